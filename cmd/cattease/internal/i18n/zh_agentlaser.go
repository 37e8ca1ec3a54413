package i18n

import "maps"

// zhAgentLaser: the laser forbid of the Pi's own panel, which cattease
// agent keeps in its state directory across a restart (cmd/cattease's
// restoreAgentLasers).
var zhAgentLaser = map[string]string{
	"the Pi panel's laser forbid kept from before this start is unreadable: every laser stays forbidden until the Pi's panel, or the run side's laser switch, allows it": "启动前保存的树莓派面板的激光禁止读不出来：所有激光保持禁止，直到树莓派的面板或电脑那边的激光开关允许",
	"the Pi panel's laser forbid from before this start still holds: the Pi's panel, or the run side's laser switch, allows it again":                                    "启动前树莓派面板下的激光禁止仍然有效：树莓派的面板或电脑那边的激光开关能重新允许",
}

// The table is built at the first use (zhTable), after every init: these
// join the control package's own.
func init() { maps.Copy(zhControl, zhAgentLaser) }
