package i18n

import "maps"

// zhReplaylead: what replay says of the restarts in a record whose clock
// went back: each such run begins a homing hold after the run before, and
// that run's cooldowns carry on into it.
var zhReplaylead = map[string]string{
	"%s: %d of the restarts began earlier than the latest time before them, by up to %v (the clock went back: a Raspberry Pi has no clock of its own and boots on the time it saved last): each of those runs is replayed from %v after that latest time on (the homing hold, the soonest a restarted rig runs a command), its events moved on with it, their spacing kept; how long the live restart really took is not in the record, and the cooldowns and the rate limit of the run before carry on into it, where the live run began them afresh (so does the laser's light budget, which only a --dry-run began afresh): commands in its first seconds can be decided otherwise than live (dropped for a cooldown where live accepted them), and the decisions after them with them": "%s：其中 %d 次重启的开始时间比它之前最晚的时间还早，最多早 %v（时钟往回走了：树莓派没有自己的时钟，开机时用的是它上次保存的时间）：这些运行都从那个最晚的时间之后 %v 起重放（回原位后的保持时间，重启后的云台最早这时才执行指令），事件跟着往后移，彼此间隔不变；正式重启实际花了多久，录制文件里没有，而且前一次运行的冷却和限流会带进这次运行，正式运行却是重新开始算的（激光的光照预算也带进来，只有 --dry-run 是重新开始算的）：这次运行头几秒的指令可能和正式运行判得不一样（正式运行接受了，重放却因冷却丢弃），之后的判定也会跟着不同",
	"%s: %d of the restarts began earlier than the latest time before them, by up to %v (the clock went back: a Raspberry Pi has no clock of its own and boots on the time it saved last): each of those runs is replayed from that latest time on, its events moved on with it, their spacing kept; how long the live restart really took is not in the record, and the cooldowns and the rate limit of the run before carry on into it, where the live run began them afresh (so does the laser's light budget, which only a --dry-run began afresh): commands in its first seconds can be decided otherwise than live (dropped for a cooldown where live accepted them), and the decisions after them with them":                                                                        "%s：其中 %d 次重启的开始时间比它之前最晚的时间还早，最多早 %v（时钟往回走了：树莓派没有自己的时钟，开机时用的是它上次保存的时间）：这些运行都从那个最晚的时间起重放，事件跟着往后移，彼此间隔不变；正式重启实际花了多久，录制文件里没有，而且前一次运行的冷却和限流会带进这次运行，正式运行却是重新开始算的（激光的光照预算也带进来，只有 --dry-run 是重新开始算的）：这次运行头几秒的指令可能和正式运行判得不一样（正式运行接受了，重放却因冷却丢弃），之后的判定也会跟着不同",
}

// The table is built at the first use (zhTable), after every init: these
// join the command line's own.
func init() { maps.Copy(zhCLI, zhReplaylead) }
