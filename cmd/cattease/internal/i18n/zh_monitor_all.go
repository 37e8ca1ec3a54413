package i18n

import "maps"

// zhMonitorAll: the rest of what `cattease verify` and replay's check say
// (actuators/monitor): the detail of each core safety violation (speed,
// accel, range, ceiling, keep_out, dwell, daily, light_budget, session,
// quiet_hours, duty), the trace lines they cannot read, and the limits
// they cannot build from the rules. The rule and its target before the
// detail ("speed pan: ") stay as written, like the rule names in the
// rules file.
var zhMonitorAll = map[string]string{
	// speed, accel
	"moved %.4g° in %v (limit %.4g°)":                                "%[2]v 内转了 %.4[1]g°（上限 %.4[3]g°）",
	"velocity changed from %.4g°/s to %.4g°/s in %v (limit %.4g°/s)": "%[3]v 内速度从 %.4[1]g°/s 变为 %.4[2]g°/s（速度变化上限 %.4[4]g°/s）",
	"stopped from %.4g°/s in one tick (limit %.4g°/s)":               "一拍之内从 %.4g°/s 停下（速度变化上限 %.4g°/s）",

	// range, ceiling
	"angle %.4g° outside [%.4g°, %.4g°]":                                    "角度 %.4g° 超出 [%.4g°, %.4g°]",
	"angle %.4g° as far from straight down as the ceiling %.4g° or further": "角度 %.4g° 离正下方和 ceiling %.4g° 一样远，或者更远",

	// keep_out
	"lit dot path (%.4g°, %.4g°)→(%.4g°, %.4g°) meets the zone": "亮着的光点从 (%.4g°, %.4g°) 移到 (%.4g°, %.4g°) 的路上碰到了禁区",

	// dwell, daily, light_budget
	"lit dot within %.4g° of (%.4g°, %.4g°) for over %v in %v": "%[5]v 内亮着的光点停留在 (%.4[2]g°, %.4[3]g°) 周围 %.4[1]g° 之内超过 %[4]v",
	"laser lit %v on %s (limit %v)":                            "%[2]s 这一天激光亮了 %[1]v（每日激光额度 %[3]v）",
	"lit %v in the %v before (limit %v)":                       "此前 %[2]v 内亮了 %[1]v（亮灯额度 %[3]v）",

	// session, quiet_hours, duty
	"session of %v without a rest of %v (limit %v)":   "连续玩了 %v，中间没有 %v 的休息（每轮上限 %v）",
	"laser lit during quiet hours %s%s":               "激光在安静时段 %s%s 内亮了",
	"angle sent %v into quiet hours %s (park %v)%s%s": "安静时段 %[2]s 开始 %[1]v 后还发了角度（停靠只需 %[3]v）%[4]s%[5]s",
	"moved for %v within %v (limit %v)":               "%[2]v 内转动了 %[1]v（占空上限 %[3]v）",
	// what the monitor appends to a quiet_hours detail, by concatenation
	// the catalogue test cannot see (TestMonitorViolationsInChinese does):
	// the wall clock's reading where it differs from the outputs' times,
	// and why the park on the way out was not let through
	"%s (wall clock %s)": "%s（系统时钟 %s）",
	"%s; marked as the park on the way out, yet the process went on": "%s；标为退出时的停靠，进程却还在继续",
	"%s; marked as the park on the way out, which lit %s":            "%s；标为退出时的停靠，却打开了 %s",

	// the trace
	"the run goes on after a line that could not be read (a full disk tears a line in the middle of a run; a power cut only its last): what it did cannot be checked": "读不出来的一行之后，运行还在继续（磁盘写满会把运行中间的一行写残，断电只会写残最后一行）：它之后做了什么无法检查",
	"unknown kind":                "未知的 kind",
	"unknown field":               "未知的字段",
	"unknown action":              "未知的 action",
	"unknown action %q":           "未知的 action %q",
	"switch value not 0 or 1":     "开关的 value 不是 0 也不是 1",
	"switch value not 0 or 1: %g": "开关的 value 不是 0 也不是 1：%g",
	// JSON's reason for a line a power cut tore, in the warning
	"unexpected end of JSON input":                                                "这一行在中途断了（unexpected end of JSON input）",
	"trace line %d: %w: is this a trace? (--record files are for replay)":         "轨迹第 %d 行：%w：这是轨迹文件吗？（run --record 录下的文件请用 replay）",
	"no output or restart line: is this a trace? (--record files are for replay)": "没有 output 行也没有 restart 行：这是轨迹文件吗？（run --record 录下的文件请用 replay）",

	// the limits from the rules
	"no config": "没有配置",
	"keep-out zone %q: want pan: [from, to] and tilt: [from, to]": "禁区 %q：应写成 pan: [from, to] 和 tilt: [from, to]",
	"want pan: [from, to] and tilt: [from, to]":                   "应写成 pan: [from, to] 和 tilt: [from, to]",
	"axes %q and %q: both have the role %q":                       "轴 %q 和 %q 的 role 都是 %q",
	"both have the role":                                          "role 相同",
}

// The table is built at the first use (zhTable), after every init: these
// join what verify prints.
func init() { maps.Copy(zhCLI, zhMonitorAll) }
