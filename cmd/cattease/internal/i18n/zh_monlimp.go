package i18n

import "maps"

// zhMonLimp: what `cattease verify` and replay's check say of a laser lit
// while a servo is limp (detached), or before its next angle has surely
// brought it back, and of another angle sent meanwhile (rule "limp";
// actuators/monitor).
var zhMonLimp = map[string]string{
	"laser lit while axis %s is detached: a limp servo may be pushed anywhere":                                      "轴 %s 松开着时激光亮了：松开的舵机可能被推到任何地方",
	"laser lit %v after axis %s's first angle since it went limp, within the settle time %v":                        "轴 %[2]s 松开后第一个角度之后 %[1]v 激光就亮了，还在到位时间 %[3]v 之内",
	"angle %.4g° %v after its first angle %.4g° since it went limp, within the settle time %v: it holds that angle": "松开后第一个角度 %.4[3]g° 之后 %[2]v 发了角度 %.4[1]g°，还在到位时间 %[4]v 之内：应保持那个角度",
}

// The table is built at the first use (zhTable), after every init: these
// join what verify prints.
func init() { maps.Copy(zhCLI, zhMonLimp) }
