package i18n

import "maps"

// zhReplaylines: messages of the replay fixes of 2026-12 (times the rig
// cannot count, the lines of events that went back in time).
var zhReplaylines = map[string]string{
	// replay: where events went back in time
	"%d event(s) went back in time, by up to %v, on line(s) %s: each was decided at the latest time before it": "有 %d 个事件的时间比前面的事件早（最多早 %v，在第 %s 行）：每个都按它之前最晚的时间来判定",

	// replay: a recorded time outside what the rig can count
	"time %s is outside the years 1970 to 2261":     "时间 %s 不在 1970 到 2261 年之间",
	"received %s is outside the years 1970 to 2261": "接收时间 %s 不在 1970 到 2261 年之间",
}

// The table is built at the first use (zhTable), after every init: these
// join the command line's own.
func init() { maps.Copy(zhCLI, zhReplaylines) }
