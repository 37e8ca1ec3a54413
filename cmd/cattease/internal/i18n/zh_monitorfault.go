package i18n

import "maps"

// zhMonitorFault: what `cattease verify` and replay's check say of a
// servo whose driver failed a write while it moved, so that it stopped
// without braking (actuators/monitor, rule "fault").
var zhMonitorFault = map[string]string{
	"the driver of %s failed a write while it moved at %.4g°/s: the servo stopped without braking; check the wiring and power (the servo HAT's supply, the I²C cable)": "%s 的驱动写入失败，当时它正以 %.4g°/s 转动：舵机没有刹车就停下了；请检查接线和电源（舵机 HAT 的供电、I²C 线）",
}

// The table is built at the first use (zhTable), after every init: these
// join what verify prints.
func init() { maps.Copy(zhCLI, zhMonitorFault) }
