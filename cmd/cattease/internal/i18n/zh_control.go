package i18n

// zhControl: messages of the control/ hardening of 2026-11-30 (reviews of the
// control packages), kept apart so that each package's messages live together.
var zhControl = map[string]string{
	// control/play: the wall clock
	"the wall clock jumped; sessions, rests and autoplay keep to real time": "系统时钟跳了一下；游戏、休息和自动陪玩仍按真实经过的时间算",
	"the clock is not synchronised yet: quiet hours hold until it is":       "时钟还没有对时：对上之前按安静时段处理，激光关闭",
	"the clock is synchronised: quiet hours follow it again":                "时钟已对时：安静时段恢复按时钟判断",
}
