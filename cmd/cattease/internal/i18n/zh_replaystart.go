package i18n

import "maps"

// zhReplaystart: a --record file's start lines, where each process that
// recorded began (replay starts its rig there), what replay says of a
// record without one, and run --rig refusing --trace.
var zhReplaystart = map[string]string{
	// replay: where the rig starts
	"%s has no start line (recorded by an older cattease, or begun by --record-max's rotation: replay the files in order): the rig starts %v before the first event, homed and still by then":                                                           "%s 里没有开始行（旧版 cattease 录的，或是 --record-max 轮换时新开的文件：按顺序重放这些文件）：云台从第一个事件之前 %v 开始，到那时已回原位并停稳",
	"%s has no start line (recorded by an older cattease, or begun by --record-max's rotation: replay the files in order): the rig starts at the first event":                                                                                           "%s 里没有开始行（旧版 cattease 录的，或是 --record-max 轮换时新开的文件：按顺序重放这些文件）：云台从第一个事件开始",
	"%s: its start line is later than its first event (the clock was set back): the rig starts %v before the first event, homed and still by then":                                                                                                      "%s：开始行比第一个事件还晚（时钟被往回调过）：云台从第一个事件之前 %v 开始，到那时已回原位并停稳",
	"%s has no start line (recorded by an older cattease, or begun by --record-max's rotation: replay the files in order): the rig starts %v before the first event, homed, still and its servos limp (detach_after) by then, as a live rig left alone": "%s 里没有开始行（旧版 cattease 录的，或是 --record-max 轮换时新开的文件：按顺序重放这些文件）：云台从第一个事件之前 %v 开始，到那时已回原位、停稳，舵机也已松开（detach_after），和一直闲着的正式运行一样",
	"%s: its start line is later than its first event (the clock was set back): the rig starts %v before the first event, homed, still and its servos limp (detach_after) by then, as a live rig left alone":                                            "%s：开始行比第一个事件还晚（时钟被往回调过）：云台从第一个事件之前 %v 开始，到那时已回原位、停稳，舵机也已松开（detach_after），和一直闲着的正式运行一样",
	"%s: %d start line(s) after the first event, where the live run restarted: replayed as one run (cooldowns, the queue, votes and sessions carry on, the rig is not homed again)":                                                                     "%s：第一个事件之后还有 %d 个开始行，正式运行在那里重启过：重放当作一次运行（冷却、队列、投票和场次接着算，云台不再重新回原位）",

	// danmu/replay: a start line that is not one
	"a start line":                                   "开始行",
	"%w: a start line, not an event":                 "%w：这是开始行，不是事件",
	"%w: a start line holds its kind and time only":  "%w：开始行只能有 kind 和 time",
	"%w: a start line without a time":                "%w：开始行没有 time",
	"%w: start %s is outside the years 1970 to 2261": "%w：开始时间 %s 不在 1970 到 2261 年之间",

	// run --rig --trace
	"run: --trace does not go with --rig: the trace is written where the safety envelope runs, on the agent, and cattease agent has no --trace yet": "run：--trace 不能和 --rig 一起用：轨迹在安全包络运行的地方写，也就是 agent 那边，而 cattease agent 还没有 --trace",
}

// The table is built at the first use (zhTable), after every init: these
// join the command line's own.
func init() { maps.Copy(zhCLI, zhReplaystart) }
