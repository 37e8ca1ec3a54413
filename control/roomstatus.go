package control

import "time"

// The play policies, in the order the panel offers them.
const (
	PolicyQueue  = "queue"  // a paced FIFO: everyone's command runs, in order
	PolicyLatest = "latest" // a new command replaces the one waiting
	PolicyVote   = "vote"   // commands are votes; each window runs the most-voted
	PolicyFair   = "fair"   // one waiting command per viewer, served round-robin
)

// Policies lists every play policy.
func Policies() []string { return []string{PolicyQueue, PolicyLatest, PolicyVote, PolicyFair} }

// VoteStatus is the current vote window under the vote policy.
type VoteStatus struct {
	Window time.Duration `json:"window_ns"`
	EndsIn time.Duration `json:"ends_in_ns"` // relative to Status time
	Voters int           `json:"voters"`
	Tally  []VoteCount   `json:"tally"` // most votes first
}

// VoteCount is one option of a vote window: a command and its repeat.
type VoteCount struct {
	Rule   string `json:"rule"`
	Repeat int    `json:"repeat"`
	Votes  int    `json:"votes"`
}

// MeterStatus is the policy meter: chat voting between the base policy
// and the vote policy.
type MeterStatus struct {
	Share    float64       `json:"share"` // fraction of recent policy votes for the vote policy
	Votes    int           `json:"votes"` // recent policy votes counted
	MinVotes int           `json:"min_votes"`
	Enter    float64       `json:"enter"` // share at which the vote policy starts
	Leave    float64       `json:"leave"` // share at or below which it ends
	Base     string        `json:"base"`  // the policy left for vote, and returned to
	Cooldown time.Duration `json:"cooldown_ns"`
	Forced   bool          `json:"forced"` // a moderator or the panel chose the policy
}

// Waiting is one queued command, for the overlay's queue list.
type Waiting struct {
	Position int           `json:"position"` // 1 = next
	UserName string        `json:"user_name"`
	Platform string        `json:"platform"`
	Rule     string        `json:"rule"`
	Repeat   int           `json:"repeat,omitempty"`
	Priority bool          `json:"priority,omitempty"` // bought with a gift
	ETA      time.Duration `json:"eta_ns"`             // estimated wait
}

// ExclusiveStatus is who holds exclusive control (包场) and until when.
type ExclusiveStatus struct {
	UserName string    `json:"user_name"`
	UserID   string    `json:"user_id"`
	Platform string    `json:"platform"`
	Until    time.Time `json:"until"`
	By       string    `json:"by"` // "moderator", "gift" or "panel"
	Pending  int       `json:"pending,omitempty"`
}

// Grant is what a gift bought.
type Grant struct {
	Gift       string        `json:"gift"`
	Count      int           `json:"count,omitempty"`
	ValueCents int64         `json:"value_cents"`
	Priority   int           `json:"priority,omitempty"` // next commands that jump the queue
	Extra      int           `json:"extra,omitempty"`    // commands past the cooldowns
	Exclusive  time.Duration `json:"exclusive_ns,omitempty"`
	Pattern    string        `json:"pattern,omitempty"` // a sequence run for the sender
}

// Moderation is a moderation action from the panel (chat moderators use
// the commands of rules.yaml): Action is "timeout", "untimeout",
// "exclusive" or "end_exclusive"; Target a display name or uid; For the
// duration (0 = the configured default).
type Moderation struct {
	Action string        `json:"action"`
	Target string        `json:"target"`
	For    time.Duration `json:"for_ns"`
}
