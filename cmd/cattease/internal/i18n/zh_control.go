package i18n

// zhControl: messages of the control/ hardening of 2026-11-30 (reviews of the
// control packages), kept apart so that each package's messages live together.
var zhControl = map[string]string{
	// control/play: the wall clock
	"the wall clock jumped; sessions, rests and autoplay keep to real time": "系统时钟跳了一下；游戏、休息和自动陪玩仍按真实经过的时间算",
	"the clock is not synchronised yet: quiet hours hold until it is":       "时钟还没有对时：对上之前按安静时段处理，激光关闭",
	"the clock is synchronised: quiet hours follow it again":                "时钟已对时：安静时段恢复按时钟判断",
	// actuators/safety: an emergency stop kept across restarts
	"the emergency stop from before this start still holds: resume from the panel, Home Assistant or a moderator's resume": "启动前的急停仍然有效：请在控制面板、Home Assistant 上恢复，或由房管发“继续”",
	"the emergency stop file is unreadable: starting stopped; resume to clear it":                                          "急停文件读不出来：按急停启动；恢复一次就会清掉它",
	"emergency stop not saved: a restart would forget it; trying again":                                                    "急停没能存盘：重启后会丢失；正在重试",
	"%s is where the service cannot see it (its sandbox hides %s): put it in /etc/cattease or %s":                          "%s 所在的位置服务看不到（它的沙箱隐藏了 %s）：请放到 /etc/cattease 或 %s",
	// cmd: a jog or run typed in a shell beside the service
	"the servos' %s is in use by another cattease (the service: sudo systemctl stop cattease; or a jog or run in another shell): stop it first": "舵机的 %s 正被另一个 cattease 占用（服务：sudo systemctl stop cattease；或另一个终端里的 jog、run）：请先停掉它",
	"lock %s: %w": "锁定 %s：%w",
}
