package i18n

import "maps"

// zhPlaySession: the play session kept across restarts (control/play,
// keep.go): a restart is no rest.
var zhPlaySession = map[string]string{
	"the play session kept from before this start is unreadable: the cat rests first, as after a whole session": "启动前保存的游戏时段读不出来：猫先休息，就像刚玩满一整段",
	"the cat was resting before this start: the rest goes on":                                                   "启动前猫正在休息：休息继续",
	"the play session from before this start goes on":                                                           "启动前的游戏时段继续计时",
	"play session not saved: a restart would take it for a new one; trying again":                               "游戏时段没能存盘：重启后会当成新的一段；正在重试",
	"play session saved again":                  "游戏时段又能存盘了",
	"play session not saved at exit":            "退出时没能保存游戏时段",
	"no time it was written":                    "没有写入时间",
	"a session or a rest with no last activity": "有游戏时段或休息，却没有最后一次活动的时间",
	"it starts after its last activity":         "开始时间晚于最后一次活动",
	"its last activity is after it was written": "最后一次活动晚于写入时间",
}

func init() { maps.Copy(zhControl, zhPlaySession) }
