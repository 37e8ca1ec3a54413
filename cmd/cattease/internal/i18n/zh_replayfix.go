package i18n

import "maps"

// zhReplayfix: messages of the fixes to replay, verify and --record of
// 2026-12 (lines over 1 MiB, recordings from a pipe, rules that name the
// outputs otherwise than the trace, torn trace lines, replay --state).
var zhReplayfix = map[string]string{
	// replay
	"more bad lines: counted, not shown": "还有更多坏行：只计数，不再逐条显示",
	"longer than %d bytes":               "超过 %d 字节",
}

// The table is built at the first use (zhTable), after every init: these
// join the command line's own.
func init() { maps.Copy(zhCLI, zhReplayfix) }
