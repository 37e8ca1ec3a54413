package i18n

import "maps"

// zhReplayfix: messages of the fixes to replay, verify and --record of
// 2026-12 (lines over 1 MiB, recordings from a pipe, rules that name the
// outputs otherwise than the trace, torn trace lines, replay --state).
var zhReplayfix = map[string]string{
	// replay
	"more bad lines: counted, not shown": "还有更多坏行：只计数，不再逐条显示",
	"longer than %d bytes":               "超过 %d 字节",
	"%s: no event to replay":             "%s：没有可以重放的事件",
	"%s: no event to replay, only %d bad line(s): replay reads a file of run --record (a --trace file is checked with cattease verify)": "%s：没有可以重放的事件，只有 %d 行坏数据：replay 读的是 run --record 录下的文件（--trace 轨迹文件请用 cattease verify 检查）",

	// verify: an output the rules do not name
	"no axis of that name in the rules":                        "规则里没有这个名字的轴",
	"no switch of that name in the rules":                      "规则里没有这个名字的开关",
	"%w: %q (check the trace with the rules it was made with)": "%w：%q（请用生成这份轨迹时的规则来检查它）",

	// verify: a torn trace line
	"warning: %s: %v": "警告：%s：%v",
	"trace line %d cannot be read (%w): that run's part of the trace ends before it, everything off, and reading resumes at the next restart line": "轨迹第 %d 行读不出来（%w）：那次运行的轨迹到它之前为止，一切按关闭处理，从下一个 restart 行接着读",

	// replay --state: a copy of the live account
	"--state: %w": "--state: %w",
	"keep the daily laser account in a file as a live run does, starting from safety.state_file's, which is read but never written (default: in memory)": "像正式运行一样把每日激光用量记在文件里，从 safety.state_file 里的用量开始；那个文件只读不写（默认：只记在内存里）",

	// replay: events earlier than one before them
	"%d event(s) went back in time, by up to %v: each was decided at the latest time before it": "有 %d 个事件的时间比前面的事件早（最多早 %v）：每个都按它之前最晚的时间来判定",
}

// The table is built at the first use (zhTable), after every init: these
// join the command line's own.
func init() { maps.Copy(zhCLI, zhReplayfix) }
