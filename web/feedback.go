package web

import (
	"strconv"
	"time"

	"github.com/cattease/cattease/control"
)

// KeyedDecision is a decision as the pages get it, in a frame's feed and
// decisions: with Key, which names its chat event, so that a page can
// tell a command that was queued and then ran (one event, one key) from
// two events. A decision whose event has no ID (Douyu's gifts) has a key
// of its own, and never matches another.
type KeyedDecision struct {
	control.Decision
	Key string `json:"key"`
}

// noted is a decision as the hub keeps it: n numbers a decision whose
// event has no ID, 0 for the others.
type noted struct {
	control.Decision
	n uint64
}

// key is the decision's Key: "e:" and its platform and event ID, or "n:"
// and its own number.
func (d noted) key() string {
	if d.EventID == "" {
		return "n:" + strconv.FormatUint(d.n, 10)
	}
	return "e:" + d.Platform + ":" + d.EventID
}

// keyed is the decision as the pages get it.
func (d noted) keyed() KeyedDecision { return KeyedDecision{d.Decision, d.key()} }

// keyed gives each decision its key, in a new slice.
func keyed(ds []noted) []KeyedDecision {
	if len(ds) == 0 {
		return nil
	}
	out := make([]KeyedDecision, len(ds))
	for i, d := range ds {
		out[i] = d.keyed()
	}
	return out
}

// feed keeps the last FeedSize accepted commands, one entry per event: a
// command that was queued and then ran shows once, in its latest state.
// Status.Recent cannot serve here, because in a flood of refusals its last
// 20 decisions may hold no accepted command at all.
type feed struct {
	buf  [FeedSize]noted
	n    int // entries in use
	next int // where the next new entry goes
}

func (f *feed) add(d noted) {
	if f.update(d) {
		return
	}
	f.buf[f.next] = d
	f.next = (f.next + 1) % FeedSize
	f.n = min(f.n+1, FeedSize)
}

// update replaces the entry for d's event, if there is one: a queued
// command that ran, or that the envelope refused when its turn came. An
// event without an ID is no other event: its decision replaces nothing.
func (f *feed) update(d noted) bool {
	if d.EventID == "" {
		return false
	}
	for i := range f.n {
		if f.buf[i].EventID == d.EventID && f.buf[i].Platform == d.Platform {
			f.buf[i] = d
			return true
		}
	}
	return false
}

// list returns the entries, newest first, with their keys.
func (f *feed) list() []KeyedDecision {
	out := make([]KeyedDecision, 0, f.n)
	for i := 1; i <= f.n; i++ {
		out = append(out, f.buf[(f.next-i+FeedSize)%FeedSize].keyed())
	}
	return out
}

// Refusal is one line of the overlay's feedback: refusals of the same kind
// in the last few seconds, counted instead of listed, so a flood shows as
// "冷却中 3s ×40" rather than forty lines.
type Refusal struct {
	Reason string    `json:"reason"`
	Rule   string    `json:"rule,omitempty"`
	Count  int       `json:"count"`
	Last   time.Time `json:"last"`
	// Until is when the latest refusal of this kind would have ended
	// (cooldowns, a resting laser); zero when unknown.
	Until time.Time `json:"until,omitzero"`
}

// feedback aggregates refused commands by reason and rule. It holds at
// most maxFeedback lines; a line lasts feedbackLife after its latest
// refusal, and a new kind replaces the stalest line when all are taken.
type feedback struct {
	lines [maxFeedback]Refusal
	n     int
}

func (f *feedback) add(d control.Decision) {
	rule := d.Rule
	if d.Reason == control.ReasonCooldownUser || d.Reason == control.ReasonRateGlobal {
		rule = "" // not about one command: one line for all
	}
	i := f.find(string(d.Reason), rule, d.Time)
	r := &f.lines[i]
	r.Count++
	r.Last = d.Time
	r.Until = time.Time{}
	if d.RetryAfter > 0 {
		r.Until = d.Time.Add(d.RetryAfter)
	}
}

// find returns the line for (reason, rule), starting a fresh one (in a
// free slot, an expired one, or the stalest) when there is none.
func (f *feedback) find(reason, rule string, now time.Time) int {
	stalest := 0
	for i := range f.n {
		l := &f.lines[i]
		if l.Reason == reason && l.Rule == rule {
			if now.Sub(l.Last) > feedbackLife {
				l.Count = 0
			}
			return i
		}
		if l.Last.Before(f.lines[stalest].Last) {
			stalest = i
		}
	}
	i := stalest
	if f.n < maxFeedback {
		i = f.n
		f.n++
	}
	f.lines[i] = Refusal{Reason: reason, Rule: rule}
	return i
}

// list returns the lines still live at now, most recent first.
func (f *feedback) list(now time.Time) []Refusal {
	out := make([]Refusal, 0, f.n)
	for _, l := range f.lines[:f.n] {
		if now.Sub(l.Last) <= feedbackLife {
			out = append(out, l)
		}
	}
	for i := 1; i < len(out); i++ { // insertion sort: at most maxFeedback lines
		for j := i; j > 0 && out[j].Last.After(out[j-1].Last); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
