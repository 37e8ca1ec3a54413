package i18n

import "maps"

// zhLaserKeep: the run's laser forbid (the streamer's laser switch, chat's
// 关激光), kept in the state directory across a restart (control's
// Engine.RestoreLasers, cmd/cattease's restoreLasers).
var zhLaserKeep = map[string]string{
	// control: what the engine keeps and reads back
	"a switch kept as forbidden by the streamer's laser switch is not in the rules: forgotten":                                          "保存为“被主播的激光开关禁止”的开关不在规则里：已忽略",
	"a laser kept as forbidden by a moderator's 关激光 is not in the rules: forgotten":                                                     "保存为“被房管的 关激光 禁止”的激光不在规则里：已忽略",
	"the laser forbid is not kept on disk: a restart would allow the laser again; the next change of the laser switch tries again":      "激光禁止没能保存到磁盘：重启后激光会重新被允许；下次拨激光开关时会再试",
	"the laser forbid kept in %s is unreadable: every laser is forbidden, as by the streamer's laser switch, which allows it again: %w": "保存在 %s 里的激光禁止读不出来：所有激光都按主播的激光开关禁止处理，用这个开关就能重新允许：%w",
	"it forbids no laser, and such a file is never written":                                                                             "里面没有禁止任何激光，而这样的文件从来不会写出来",

	// cmd/cattease: run, at start
	"the laser forbid kept from before this start is unreadable: every laser stays forbidden until the panel's laser switch allows it":                             "启动前保存的激光禁止读不出来：所有激光保持禁止，直到面板的激光开关允许",
	"the laser forbid from before this start still holds: the panel's laser switch (or Home Assistant's) lifts the streamer's, a moderator's 开激光 lifts chat's 关激光": "启动前的激光禁止仍然有效：主播下的由面板（或 Home Assistant）的激光开关解除，弹幕 关激光 下的由房管发 开激光 解除",
}

// The table is built at the first use (zhTable), after every init: these
// join the control package's own.
func init() { maps.Copy(zhControl, zhLaserKeep) }
