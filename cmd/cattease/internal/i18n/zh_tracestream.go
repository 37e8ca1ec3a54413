package i18n

import "maps"

// zhTraceStream: what run says when its --trace is a FIFO, a pipe or a
// terminal that has no room for a line (its reader slow or gone): the
// line is lost at once, never waited for, and a gap line goes before the
// next line written.
var zhTraceStream = map[string]string{
	"--trace: write failed; its lines are lost, and a gap line goes before the next line written (a pipe or a terminal is never waited for: its reader is slow or gone)": "--trace：写入失败；轨迹行会丢失，下一行写入前先写一行 gap（管道或终端从不等待：读的一方太慢或已经走了）",
}

// The table is built at the first use (zhTable), after every init: these
// join the command line's own.
func init() { maps.Copy(zhCLI, zhTraceStream) }
