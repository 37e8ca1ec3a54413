package i18n

import "testing"

// What verify prints of the monitor's newer rules reads in Chinese, the
// numbers and names kept.
func TestMonitorRulesMessagesTranslate(t *testing.T) {
	for _, c := range []struct{ msg, want string }{
		{"violation: 2026-11-29T10:00:00.06Z late pan: the motion loop sent nothing for 64ms while pan moved at 15.9°/s: the servo stopped without braking; the machine was too busy",
			"违规：2026-11-29T10:00:00.06Z late pan: 运动循环 64ms 没有发出任何输出，而 pan 正以 15.9°/s 转动：舵机没有刹车就停下了；机器太忙"},
	} {
		if got := For(Chinese).TranslateLine(c.msg); got != c.want {
			t.Errorf("%q\n\tread %q\n\twant %q", c.msg, got, c.want)
		}
	}
}
