package i18n

import "maps"

// zhMonitorRules: what `cattease verify` and replay's check say of a
// motion loop that stalled while a servo moved (rule "late"), of a lit
// move that may bow into a keep-out zone, of a laser lit while a move is
// still carried out, of an angle sent under a stop kept over a restart,
// and of a servo not limp after a stop (actuators/monitor).
var zhMonitorRules = map[string]string{
	"the motion loop sent nothing for %v while %s moved at %.4g°/s: the servo stopped without braking; the machine was too busy":                                                                      "运动循环 %v 没有发出任何输出，而 %s 正以 %.4g°/s 转动：舵机没有刹车就停下了；机器太忙",
	"angle %.4g° sent under an emergency stop kept over a restart: no pulse, not even to go home, until the resume":                                                                                   "重启后急停仍然有效，却发了角度 %.4g°：恢复之前舵机收不到任何脉冲，连回原位也不行",
	"angle %.4g° sent during the emergency stop to a servo not homed before it: no pulse, not even to go home, until the resume":                                                                      "急停前还没回原位的舵机在急停期间收到了角度 %.4g°：恢复之前它收不到任何脉冲，连回原位也不行",
	"not limp %v after the emergency stop, longer than braking and a tick take: a stopped servo goes limp":                                                                                            "急停 %v 后舵机仍未松开，比刹车再加一拍的时间还长：急停后舵机应当松开",
	"lit move (%.4g°, %.4g°)→(%.4g°, %.4g°) may bow into the zone: the servos move together, each at its own speed, anywhere in the box between the two dots":                                         "亮着的光点从 (%.4g°, %.4g°) 移到 (%.4g°, %.4g°)，可能弯进禁区：两个舵机同时各按自己的速度转，光点可能经过两点围成的方框里的任何地方",
	"lit move (%.4g°, %.4g°)→(%.4g°, %.4g°) may bow %.4g° of beam angle from the zone at (%.4g°, %.4g°), within the margin %.4g°: the servos move together, anywhere in the box between the two dots": "亮着的光点从 (%.4g°, %.4g°) 移到 (%.4g°, %.4g°)，可能弯到 (%.4[6]g°, %.4[7]g°)，离禁区只有 %.4[5]g°（光束夹角），在边距 %.4[8]g° 之内：两个舵机同时转，光点可能经过两点围成的方框里的任何地方",
	"laser lit %v after the angles of a move the servos were still making: %s":                                                                                                                        "舵机还在执行一次移动时（它的角度发出后 %v）激光就亮了：%s",
}

// The table is built at the first use (zhTable), after every init: these
// join what verify prints.
func init() { maps.Copy(zhCLI, zhMonitorRules) }
