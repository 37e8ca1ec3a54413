package i18n

import "maps"

// zhReplayclock: what replay says of the restarts in a record whose
// clock went back (each such run is replayed on its own clock, moved on).
var zhReplayclock = map[string]string{
	"%s: %d of the restarts began earlier than the latest time before them, by up to %v (the clock went back: a Raspberry Pi has no clock of its own and boots on the time it saved last): each of those runs is replayed from that latest time on, its events moved on with it, their spacing kept": "%s：其中 %d 次重启的开始时间比它之前最晚的时间还早，最多早 %v（时钟往回走了：树莓派没有自己的时钟，开机时用的是它上次保存的时间）：这些运行都从那个最晚的时间起重放，事件跟着往后移，彼此间隔不变",
}

// The table is built at the first use (zhTable), after every init: these
// join the command line's own.
func init() { maps.Copy(zhCLI, zhReplayclock) }
