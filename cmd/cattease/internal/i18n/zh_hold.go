package i18n

import "maps"

// zhHold: what `cattease verify` and replay's check say of a laser lit or
// a servo moved before the homed servos have surely arrived (rule "hold"),
// and of an angle sent where a servo's position is unknown (rule "home";
// actuators/monitor).
var zhHold = map[string]string{
	"laser lit while axis %s is not homed":                                                               "轴 %s 还没有回原位，激光就亮了",
	"laser lit %v after the last homing, within the settle time %v":                                      "最后一次回原位后 %v 激光就亮了，还在到位时间 %v 之内",
	"angle %.4g° while axis %s is not homed: the servos are held at home %.4g°":                          "轴 %[2]s 还没有回原位时发了角度 %.4[1]g°：舵机应停在原位 %.4[3]g°",
	"angle %.4g° %v after the last homing, within the settle time %v: the servos are held at home %.4g°": "最后一次回原位后 %[2]v 发了角度 %.4[1]g°，还在到位时间 %[3]v 之内：舵机应停在原位 %.4[4]g°",
	"angle %.4g° while its position is unknown, not home %.4g°":                                          "舵机位置未知时发了角度 %.4g°，不是原位 %.4g°",
}

// The table is built at the first use (zhTable), after every init: these
// join what verify prints.
func init() { maps.Copy(zhCLI, zhHold) }
