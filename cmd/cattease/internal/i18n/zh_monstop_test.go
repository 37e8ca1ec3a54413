package i18n

import "testing"

// What verify prints of a broken emergency stop reads in Chinese, the
// numbers kept.
func TestMonitorStopMessagesTranslate(t *testing.T) {
	for _, c := range []struct{ msg, want string }{
		{"violation: 2026-11-22T10:00:00.18Z stop laser: laser still lit at the first output instant 20ms after the emergency stop",
			"违规：2026-11-22T10:00:00.18Z stop laser: 急停后的第一个输出时刻（急停后 20ms）激光仍亮着"},
		{"violation: 2026-11-22T10:00:00.09Z stop laser: laser still lit 50ms after the emergency stop",
			"违规：2026-11-22T10:00:00.09Z stop laser: 急停 50ms 后激光仍亮着"},
		{"violation: 2026-11-22T10:00:00.2Z stop treat: switched on during the emergency stop",
			"违规：2026-11-22T10:00:00.2Z stop treat: 在急停期间被打开"},
		{"violation: 2026-11-22T10:00:00.18Z stop pan: sped up from -126°/s to -144°/s during the emergency stop",
			"违规：2026-11-22T10:00:00.18Z stop pan: 急停期间加速：从 -126°/s 加到 -144°/s"},
		{"violation: 2026-11-22T10:00:00.36Z stop pan: still moving at -74°/s 200ms after the emergency stop, longer than braking at 900°/s² takes",
			"违规：2026-11-22T10:00:00.36Z stop pan: 仍以 -74°/s 移动，距急停已 200ms，比按 900°/s² 刹车所需的时间还长"},
	} {
		if got := For(Chinese).TranslateLine(c.msg); got != c.want {
			t.Errorf("%q\n\tread %q\n\twant %q", c.msg, got, c.want)
		}
	}
}
