package actuators

// Reason says why a chat command, a request or an output was changed,
// refused or cut short. The set is closed: every package that decides
// something names its reason from this list, so counters keyed by reason
// stay bounded and the overlay and panel translate every one (a test in
// package web checks that each has a Chinese and an English text).
type Reason string

// Decision reasons: what the rule engine made of a chat event.
const (
	ReasonNotChat         Reason = "not_chat"         // a gift, entry, live notice...: not a command
	ReasonNoCommand       Reason = "no_command"       // ordinary chat
	ReasonPermission      Reason = "permission"       // the sender may not use this command
	ReasonPaused          Reason = "paused"           // the streamer paused chat control
	ReasonRateGlobal      Reason = "rate_global"      // global pacing: too many commands overall
	ReasonCooldownCommand Reason = "cooldown_command" // this command is cooling down
	ReasonCooldownUser    Reason = "cooldown_user"    // this sender is cooling down
	ReasonUserTable       Reason = "user_table_full"  // too many senders cooling down at once
	ReasonQueueFull       Reason = "queue_full"       // the play queue is full
	ReasonSuperseded      Reason = "superseded"       // latest-wins: a newer command replaced it
	ReasonQueued          Reason = "queued"           // accepted, waiting its turn
	ReasonImmediate       Reason = "immediate"        // accepted and run at once (stop, resume)
	ReasonRan             Reason = "ran"              // handed to the rig as asked
)

// Room reasons: moderation, the gift lane, votes and combos.
const (
	ReasonTimeout      Reason = "timeout"       // a moderator muted (禁言) this sender for a while
	ReasonExclusive    Reason = "exclusive"     // someone has exclusive control (包场) right now
	ReasonBlocked      Reason = "blocked"       // the sender is on the streamer's blocklist
	ReasonBlockedWord  Reason = "blocked_word"  // the message holds a blocked word
	ReasonLevel        Reason = "level"         // the sender's platform level is below the minimum
	ReasonModeration   Reason = "moderation"    // a moderation command, carried out
	ReasonNoTarget     Reason = "no_target"     // a moderation command named nobody cattease has seen
	ReasonMaskedTarget Reason = "masked_target" // a masked guest (uid 0) cannot be singled out
	ReasonGift         Reason = "gift"          // a gift bought play (priority, extra commands, 包场, a pattern)
	ReasonGiftCapped   Reason = "gift_capped"   // a gift bought nothing more: the sender's or the day's cap is reached
	ReasonPriority     Reason = "priority"      // accepted ahead of the queue, on a gift's credit
	ReasonExtra        Reason = "extra"         // accepted past a cooldown, on a gift's credit
	ReasonVoted        Reason = "voted"         // counted as a vote in the current window
	ReasonVoteRepeat   Reason = "vote_repeat"   // this sender already voted in this window
	ReasonVoteFull     Reason = "vote_full"     // the window holds as many voters as it may
	ReasonVoteWon      Reason = "vote_won"      // the most-voted command of a window, run
	ReasonVoteTie      Reason = "vote_tie"      // a tied window: nothing runs, the status quo stays
	ReasonPolicyVote   Reason = "policy_vote"   // a vote on the play policy, counted on the meter
	ReasonPolicy       Reason = "policy"        // the play policy changed
	ReasonCombo        Reason = "combo"         // a combo with too many parts or steps
	ReasonLink         Reason = "link"          // the link between chat and rig is lost or a request came too late
)

// Safety and play reasons: what the play layer and the safety envelope
// made of a request, or why an output differs from what was requested.
const (
	ReasonClamped       Reason = "clamped"        // held inside the axis limits or below the ceiling
	ReasonKeepOut       Reason = "keep_out"       // target moved out of a keep-out zone, or laser dark crossing one
	ReasonMaxOn         Reason = "max_on"         // a switch's light budget (max_on per window) cut it short
	ReasonResting       Reason = "resting"        // a switch is cooling down: its light budget is spent
	ReasonDwell         Reason = "dwell"          // a lit dot stayed still too long: dark until it moves
	ReasonDailyBudget   Reason = "daily_budget"   // the day's laser time is used up
	ReasonLedger        Reason = "ledger"         // the daily laser ledger cannot be read or written: laser refused
	ReasonStopped       Reason = "stopped"        // emergency stop in force
	ReasonDisabled      Reason = "disabled"       // the streamer forbade the laser
	ReasonFault         Reason = "fault"          // a driver failed: backing off
	ReasonShuttingDown  Reason = "shutting_down"  // cattease is parking on its way out
	ReasonDeadMan       Reason = "dead_man"       // no command for a while: parked
	ReasonWatchdog      Reason = "watchdog"       // the motion loop stalled: switches halted
	ReasonCatResting    Reason = "cat_resting"    // a play session ended: the cat rests
	ReasonQuietHours    Reason = "quiet_hours"    // quiet hours: no play
	ReasonUnknownOutput Reason = "unknown_output" // the output is not part of the rig
	ReasonBadValue      Reason = "bad_value"      // not a usable number
)

var allReasons = []Reason{
	ReasonNotChat, ReasonNoCommand, ReasonPermission, ReasonPaused, ReasonRateGlobal,
	ReasonCooldownCommand, ReasonCooldownUser, ReasonUserTable, ReasonQueueFull, ReasonSuperseded,
	ReasonQueued, ReasonImmediate, ReasonRan,
	ReasonTimeout, ReasonExclusive, ReasonBlocked, ReasonBlockedWord, ReasonLevel, ReasonModeration,
	ReasonNoTarget, ReasonMaskedTarget, ReasonGift, ReasonGiftCapped, ReasonPriority, ReasonExtra,
	ReasonVoted, ReasonVoteRepeat, ReasonVoteFull, ReasonVoteWon, ReasonVoteTie, ReasonPolicyVote,
	ReasonPolicy, ReasonCombo, ReasonLink,
	ReasonClamped, ReasonKeepOut, ReasonMaxOn, ReasonResting, ReasonDwell, ReasonDailyBudget,
	ReasonLedger, ReasonStopped, ReasonDisabled, ReasonFault, ReasonShuttingDown, ReasonDeadMan,
	ReasonWatchdog, ReasonCatResting, ReasonQuietHours, ReasonUnknownOutput, ReasonBadValue,
}

// Reasons lists every reason, in a stable order.
func Reasons() []Reason { return append([]Reason(nil), allReasons...) }
