package i18n

import "maps"

// zhReplaystart: run --rig refusing --trace.
var zhReplaystart = map[string]string{
	// run --rig --trace
	"run: --trace does not go with --rig: the trace is written where the safety envelope runs, on the agent, and cattease agent has no --trace yet": "run：--trace 不能和 --rig 一起用：轨迹在安全包络运行的地方写，也就是 agent 那边，而 cattease agent 还没有 --trace",
}

// The table is built at the first use (zhTable), after every init: these
// join the command line's own.
func init() { maps.Copy(zhCLI, zhReplaystart) }
