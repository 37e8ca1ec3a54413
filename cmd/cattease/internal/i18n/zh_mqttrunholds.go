package i18n

import "maps"

// zhMQTTRunHolds: a laser the Pi names otherwise, forbidden with the
// rules' lasers when the agent first names it; the run side's stop and
// laser forbid kept on the Pi over the agent's restart; an agent from
// before that does not keep them.
var zhMQTTRunHolds = map[string]string{
	"the agent's rig has a laser that the run's rules do not name: give the run side's hardware section the lasers of the Pi's, by the same names; until then it is forbidden by each side that forbids a laser of the rules when the agent names it (the run's switch, chat's 关激光, a Home Assistant device's Laser allowed), and that side's allow of the rules' lasers lifts it, but a forbid kept for it counts as one of a switch renamed": "mqtt：agent 的装置有一个整场规则里没写的激光：请在整场那边的 hardware 部分写上树莓派的激光，名字一样；在那之前，agent 报出它时，哪一边禁止着规则里的激光（整场的开关、弹幕的 关激光、Home Assistant 设备的 Laser allowed），哪一边就也禁止它，那一边允许规则里的激光时也一起解除它；但为它保存的禁止会按开关改了名来处理",
	"the agent is from an older cattease: it does not keep the run side's stop and laser forbid apart from the Pi's, nor over its own restart, so the Pi's panel's resume and allow end them until the run side sends them again; update the agent":                                                                                                                                                                                            "mqtt：agent 是旧版 cattease：它不把整场那边的急停和激光禁止跟树莓派自己的分开，重启后也不保留，所以树莓派面板上的恢复和允许会结束它们，直到整场那边再发一次；请更新 agent",
	"the run side's stop and laser forbid kept on the Pi are unreadable: the rig is held stopped and every laser forbidden until the run side's resume and laser switch; if the run side is gone for good, stop the agent and remove the file":                                                                                                                                                                                                 "mqtt：树莓派上保存的整场那边的急停和激光禁止读不出来：装置保持停止，所有激光都禁止，直到整场那边恢复并用激光开关允许；如果整场那边再也不回来，请停掉 agent 并删掉这个文件",
	"kept from before this start: the run side's stop and laser forbid hold until the run side lifts them (its resume and laser switch, chat's 继续 and 开激光); the Pi's panel ends only the Pi's own; if the run side is gone for good, stop the agent and remove the file":                                                                                                                                                                       "mqtt：本次启动前保存下来的：整场那边的急停和激光禁止仍然有效，直到整场那边解除（它的恢复和激光开关，弹幕的 继续 和 开激光）；树莓派面板只结束树莓派自己的；如果整场那边再也不回来，请停掉 agent 并删掉这个文件",
	"the run side's stop and laser forbid are not kept on the Pi: a restart of the agent would not find those given or lifted since; they hold until then, and the write is tried again every second":                                                                                                                                                                                                                                          "mqtt：整场那边的急停和激光禁止没能保存在树莓派上：agent 重启后会找不到此后给出或解除的那些；在那之前它们照样有效，每秒再试着写一次",
}

func init() { maps.Copy(zhMQTTFixes, zhMQTTRunHolds) }
