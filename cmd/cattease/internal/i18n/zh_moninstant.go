package i18n

import "maps"

// zhMonitorInstant: what `cattease verify` and replay's check say of an
// axis sent a further angle at the instant of its last one, which moved
// it in no time (actuators/monitor, rule "speed").
var zhMonitorInstant = map[string]string{
	"moved %.4g° in 0s: a second angle at one instant": "0 秒内转了 %.4g°：同一时刻又发了一个角度",
}

// The table is built at the first use (zhTable), after every init: these
// join what verify prints.
func init() { maps.Copy(zhCLI, zhMonitorInstant) }
