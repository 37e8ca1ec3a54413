package i18n

import "maps"

// zhRigRefusal: the streamer's laser switch that the rig refused
// (control.Engine.SetLaser): a Pi's allow under the run side's forbid.
var zhRigRefusal = map[string]string{
	"the rig refused the laser switch's allow: a forbid of another side holds the laser (on a Pi, the run side's: its panel's laser switch, chat's 关激光, a Home Assistant device's Laser allowed), which only that side lifts; the streamer's own forbid is lifted": "设备拒绝了激光开关的允许：另一边的禁止仍然压着激光（在树莓派上是电脑那边的：它面板的激光开关、弹幕的关激光、Home Assistant 设备的 Laser allowed），只有那一边能解除；主播自己的禁止已解除",
	"the rig refused the laser switch's allow": "设备拒绝了激光开关的允许",
}

// The table is built at the first use (zhTable), after every init: these
// join the control package's own.
func init() { maps.Copy(zhControl, zhRigRefusal) }
