package i18n

import "testing"

// What verify prints of a laser lit or a servo moved during the hold after
// the homing, and of an angle sent where a servo's position is unknown,
// reads in Chinese, the numbers kept.
func TestMonitorHoldMessagesTranslate(t *testing.T) {
	for _, c := range []struct{ msg, want string }{
		{"violation: 2026-11-22T10:00:00.02Z hold laser: laser lit 20ms after the last homing, within the settle time 1.15s",
			"违规：2026-11-22T10:00:00.02Z hold laser: 最后一次回原位后 20ms 激光就亮了，还在到位时间 1.15s 之内"},
		{"violation: 2026-11-22T10:00:02Z hold laser: laser lit while axis pan is not homed",
			"违规：2026-11-22T10:00:02Z hold laser: 轴 pan 还没有回原位，激光就亮了"},
		{"violation: 2026-11-22T10:00:00.5Z hold pan: angle 0.24° 500ms after the last homing, within the settle time 1.15s: the servos are held at home 0°",
			"违规：2026-11-22T10:00:00.5Z hold pan: 最后一次回原位后 500ms 发了角度 0.24°，还在到位时间 1.15s 之内：舵机应停在原位 0°"},
		{"violation: 2026-11-22T10:00:00.02Z hold pan: angle 0.24° while axis tilt is not homed: the servos are held at home 0°",
			"违规：2026-11-22T10:00:00.02Z hold pan: 轴 tilt 还没有回原位时发了角度 0.24°：舵机应停在原位 0°"},
		{"violation: 2026-11-22T10:00:02Z home pan: angle 5° while its position is unknown, not home 0°",
			"违规：2026-11-22T10:00:02Z home pan: 舵机位置未知时发了角度 5°，不是原位 0°"},
	} {
		if got := For(Chinese).TranslateLine(c.msg); got != c.want {
			t.Errorf("%q\n\tread %q\n\twant %q", c.msg, got, c.want)
		}
	}
}
