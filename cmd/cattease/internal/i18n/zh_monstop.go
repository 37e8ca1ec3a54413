package i18n

import "maps"

// zhMonStop: what `cattease verify` and replay's check say of an output
// that breaks the emergency stop (actuators/monitor, rule "stop").
var zhMonStop = map[string]string{
	"laser still lit at the first output instant %v after the emergency stop":                         "急停后的第一个输出时刻（急停后 %v）激光仍亮着",
	"laser still lit %v after the emergency stop":                                                     "急停 %v 后激光仍亮着",
	"switched on during the emergency stop":                                                           "在急停期间被打开",
	"angle %.4g° sent to a servo the emergency stop left limp":                                        "急停已让舵机松开，却又给它发了角度 %.4g°",
	"moved %.4g° from rest during the emergency stop":                                                 "急停期间从静止又移动了 %.4g°",
	"reversed from %.4g°/s to %.4g°/s during the emergency stop":                                      "急停期间反向：从 %.4g°/s 变为 %.4g°/s",
	"sped up from %.4g°/s to %.4g°/s during the emergency stop":                                       "急停期间加速：从 %.4g°/s 加到 %.4g°/s",
	"kept moving at %.4g°/s during the emergency stop":                                                "急停期间仍以 %.4g°/s 移动，没有减速",
	"still moving at %.4g°/s %v after the emergency stop, longer than braking at %.4g°/s² takes":      "仍以 %.4g°/s 移动，距急停已 %v，比按 %.4g°/s² 刹车所需的时间还长",
	"still moving at %.4g°/s %v after the emergency stop, with no acceleration limit to brake within": "仍以 %.4g°/s 移动，距急停已 %v；这个轴没有加速度限制，本应立即停下",
}

// The table is built at the first use (zhTable), after every init: these
// join what verify prints.
func init() { maps.Copy(zhCLI, zhMonStop) }
