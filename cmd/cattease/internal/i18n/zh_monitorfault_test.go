package i18n

import "testing"

// What verify prints of a servo its driver stopped reads in Chinese, the
// name and the speed kept.
func TestMonitorFaultMessageTranslates(t *testing.T) {
	const msg = "violation: 2026-11-29T10:00:00.32Z fault pan: the driver of pan failed a write while it moved at 90°/s: the servo stopped without braking; check the wiring and power (the servo HAT's supply, the I²C cable)"
	const want = "违规：2026-11-29T10:00:00.32Z fault pan: pan 的驱动写入失败，当时它正以 90°/s 转动：舵机没有刹车就停下了；请检查接线和电源（舵机 HAT 的供电、I²C 线）"
	if got := For(Chinese).TranslateLine(msg); got != want {
		t.Errorf("%q\n\tread %q\n\twant %q", msg, got, want)
	}
}
