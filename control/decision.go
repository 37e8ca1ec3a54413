package control

import (
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/control/match"

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

// Reasons: the closed set lives in package actuators, so the engine, the
// play layer and the envelope share one list and the web translates it.
const (
	ReasonNotChat         = actuators.ReasonNotChat
	ReasonNoCommand       = actuators.ReasonNoCommand
	ReasonPermission      = actuators.ReasonPermission
	ReasonPaused          = actuators.ReasonPaused
	ReasonStopped         = actuators.ReasonStopped
	ReasonRateGlobal      = actuators.ReasonRateGlobal
	ReasonCooldownCommand = actuators.ReasonCooldownCommand
	ReasonCooldownUser    = actuators.ReasonCooldownUser
	ReasonUserTable       = actuators.ReasonUserTable
	ReasonQueueFull       = actuators.ReasonQueueFull
	ReasonSuperseded      = actuators.ReasonSuperseded
	ReasonQueued          = actuators.ReasonQueued
	ReasonImmediate       = actuators.ReasonImmediate
	ReasonRan             = actuators.ReasonRan
	ReasonClamped         = actuators.ReasonClamped
	ReasonMaxOn           = actuators.ReasonMaxOn
	ReasonResting         = actuators.ReasonResting
	ReasonCatResting      = actuators.ReasonCatResting
	ReasonQuietHours      = actuators.ReasonQuietHours
	ReasonUnknownOutput   = actuators.ReasonUnknownOutput
	ReasonBadValue        = actuators.ReasonBadValue
	ReasonTimeout         = actuators.ReasonTimeout
	ReasonExclusive       = actuators.ReasonExclusive
	ReasonBlocked         = actuators.ReasonBlocked
	ReasonBlockedWord     = actuators.ReasonBlockedWord
	ReasonLevel           = actuators.ReasonLevel
	ReasonModeration      = actuators.ReasonModeration
	ReasonNoTarget        = actuators.ReasonNoTarget
	ReasonMaskedTarget    = actuators.ReasonMaskedTarget
	ReasonGift            = actuators.ReasonGift
	ReasonGiftCapped      = actuators.ReasonGiftCapped
	ReasonPriority        = actuators.ReasonPriority
	ReasonExtra           = actuators.ReasonExtra
	ReasonVoted           = actuators.ReasonVoted
	ReasonVoteRepeat      = actuators.ReasonVoteRepeat
	ReasonVoteFull        = actuators.ReasonVoteFull
	ReasonVoteWon         = actuators.ReasonVoteWon
	ReasonVoteTie         = actuators.ReasonVoteTie
	ReasonPolicyVote      = actuators.ReasonPolicyVote
	ReasonPolicy          = actuators.ReasonPolicy
	ReasonCombo           = actuators.ReasonCombo
)

// Decision records what became of one event, or of an accepted command
// when it ran. Its JSON form is a line of the audit log and of the replay
// trace (with "kind":"decision").
type Decision struct {
	Time     time.Time        `json:"time"`
	EventID  string           `json:"event_id"`
	Platform string           `json:"platform"`
	UserID   string           `json:"user_id"`
	UserName string           `json:"user_name"`
	Role     danmu.Role       `json:"role,omitempty"`
	Masked   bool             `json:"masked,omitempty"`
	Text     string           `json:"text"`
	Rule     string           `json:"rule"`
	Outcome  Outcome          `json:"decision"`
	Reason   actuators.Reason `json:"reason"`
	Repeat   int              `json:"repeat,omitempty"`
	// RetryAfter is how long until the refusal would end, when known; the
	// overlay shows it as "冷却中 3s".
	RetryAfter time.Duration `json:"retry_after_ns,omitempty"`
	// Combo spells out a combo's parts, such as "left×3+up×2".
	Combo string `json:"combo,omitempty"`
	// Target is whom a moderation command acted on (a name or uid).
	Target string `json:"target,omitempty"`
	// Until is when a timeout, 包场 or gift credit ends, when known.
	Until time.Time `json:"until,omitzero"`
	// Grant is what a gift bought (reason gift).
	Grant *Grant `json:"grant,omitempty"`
	// Policy is the play policy a policy decision switched to.
	Policy string `json:"policy,omitempty"`
}

// MaxTextInDecision caps the chat text copied into a decision, and each
// of the viewer's and the event's names and IDs: a 1 MB message (or a 1 MB
// name in a hand-made recording) must not become a 1 MB log line, nor a
// trace line longer than the monitor reads (monitor.MaxLine). The trace
// clips every string of a decision so (appendDecision), those the
// engine fills in later too.
const MaxTextInDecision = 200

func newDecision(now time.Time, ev *danmu.Event) Decision {
	return Decision{Time: now, EventID: clip(ev.ID), Platform: clip(ev.Platform), UserID: clip(ev.User.ID),
		UserName: clip(ev.User.Name), Role: ev.User.Role, Masked: ev.User.Masked, Text: clip(ev.Text)}
}

// clip cuts s to MaxTextInDecision bytes at a rune boundary and marks the
// cut with "…"; a string clipped already comes back as it is. Inlined:
// a short string, nearly every one, costs a comparison.
func clip(s string) string {
	if len(s) <= MaxTextInDecision {
		return s
	}
	return clipLong(s)
}

// clipLong is clip's slow path, kept apart so that clip inlines.
//
//go:noinline
func clipLong(s string) string { return match.Cut(s, MaxTextInDecision) + "…" }
