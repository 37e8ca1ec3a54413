package control

import (
	"time"

	"github.com/cattease/cattease/danmu"
)

// Outcome is what became of an event.
type Outcome string

// The outcomes.
const (
	Accepted Outcome = "accepted"
	Dropped  Outcome = "dropped"
	Ignored  Outcome = "ignored"
)

// Reasons. The set is closed, so counters keyed by reason stay bounded.
const (
	ReasonNotChat         = "not_chat"         // a gift, entry, live notice...: not a command
	ReasonNoCommand       = "no_command"       // ordinary chat
	ReasonPermission      = "permission"       // the sender may not use this command
	ReasonPaused          = "paused"           // the streamer paused chat control
	ReasonStopped         = "stopped"          // emergency stop in force
	ReasonRateGlobal      = "rate_global"      // global pacing: too many commands overall
	ReasonCooldownCommand = "cooldown_command" // this command is cooling down
	ReasonCooldownUser    = "cooldown_user"    // this sender is cooling down
	ReasonUserTable       = "user_table_full"  // too many senders cooling down at once
	ReasonQueueFull       = "queue_full"       // the play queue is full
	ReasonSuperseded      = "superseded"       // latest-wins: a newer command replaced it
	ReasonQueued          = "queued"           // accepted, waiting its turn
	ReasonImmediate       = "immediate"        // accepted and run at once (stop, resume)
	ReasonRan             = "ran"              // handed to the envelope as asked
	ReasonClamped         = "clamped"          // ran, held inside the limits
	ReasonMaxOn           = "max_on"           // ran, switch on-time capped
	ReasonResting         = "resting"          // refused: switch cooling down
	ReasonUnknownOutput   = "unknown_output"   // refused: output missing from the rig
	ReasonBadValue        = "bad_value"        // refused: not a number
)

// Decision records what became of one event, or of an accepted command
// when it ran. Its JSON form is a line of the audit log and of the replay
// trace (with "kind":"decision").
type Decision struct {
	Time     time.Time  `json:"time"`
	EventID  string     `json:"event_id"`
	Platform string     `json:"platform"`
	UserID   string     `json:"user_id"`
	UserName string     `json:"user_name"`
	Role     danmu.Role `json:"role,omitempty"`
	Masked   bool       `json:"masked,omitempty"`
	Text     string     `json:"text"`
	Rule     string     `json:"rule"`
	Outcome  Outcome    `json:"decision"`
	Reason   string     `json:"reason"`
	Repeat   int        `json:"repeat,omitempty"`
	// RetryAfter is how long until the refusal would end, when known; the
	// overlay shows it as "冷却中 3s".
	RetryAfter time.Duration `json:"retry_after_ns,omitempty"`
}

// MaxTextInDecision caps the chat text copied into a decision: a 1 MB
// message must not become a 1 MB log line.
const MaxTextInDecision = 200

func newDecision(now time.Time, ev danmu.Event) Decision {
	return Decision{Time: now, EventID: ev.ID, Platform: ev.Platform, UserID: ev.User.ID,
		UserName: ev.User.Name, Role: ev.User.Role, Masked: ev.User.Masked, Text: clip(ev.Text)}
}

// clip cuts s to MaxTextInDecision bytes at a rune boundary.
func clip(s string) string {
	if len(s) <= MaxTextInDecision {
		return s
	}
	i := MaxTextInDecision
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}
