package i18n

import "maps"

// zhTraceGap: what run says when its --trace file loses lines (a full
// disk), and what verify and replay --verify say of a trace: lines lost
// (a gap line), a line the trace does not write, an input that is no
// trace, and the trace line of each violation (actuators/monitor).
var zhTraceGap = map[string]string{
	// run --trace
	"--trace: write failed; its lines are lost until a write works again":           "--trace：写入失败；在又能写入之前，轨迹行都会丢失",
	"--trace: writing again, after a gap line: verify stops there":                  "--trace：又能写入了，先写了一行 gap：verify 检查到那里为止",
	"--trace: lines could not be written: verify stops at the gap, and run exits 1": "--trace：有轨迹行没能写入：verify 检查到 gap 行为止，run 以退出码 1 结束",

	// verify
	"violation: %s:%d: %v":         "违规：%s:%d：%v",
	"violation: trace line %d: %v": "违规：轨迹第 %d 行：%v",
	"trace line %d: %w":            "轨迹第 %d 行：%w",
	"trace line %d":                "轨迹第 %d 行",
	"%w: is this a trace? (--record files are for replay)": "%w：这是轨迹文件吗？（run --record 录下的文件请用 replay）",
	"is this a trace? (--record files are for replay)":     "这是轨迹文件吗？（run --record 录下的文件请用 replay）",
	"no output or restart line":                            "没有 output 行也没有 restart 行",
	"unknown kind %q":                                      "未知的 kind %q",
	"no time":                                              "没有 time",
	"no target":                                            "没有 target",
	"no action":                                            "没有 action",
	"no value":                                             "没有 value",
	"%d line(s) lost from %s on (the run's writes to the trace failed, on a full disk say, and it wrote on after them): %w": "从 %[2]s 起丢了 %[1]d 行（这次运行写轨迹失败了，比如磁盘写满，之后又接着写）：%[3]w",
	"what the run did from here cannot be checked": "运行从这里起做了什么，无法检查",
}

// The table is built at the first use (zhTable), after every init: these
// join the command line's own.
func init() { maps.Copy(zhCLI, zhTraceGap) }
