package room

import (
	"time"

	"github.com/cattease/cattease/danmu"
)

// Holder is a spell of exclusive control (包场).
type Holder struct {
	Target
	Until time.Time     // when it ends (set when it starts)
	For   time.Duration // its length, for one still waiting
	By    string        // "moderator", "gift" or "panel"
}

// MaxPending caps the 包场 bought with gifts that wait their turn; a gift's
// spell a moderator interrupts may wait past it (see Start).
const MaxPending = 16

// Exclusive is who holds 包场, and the bought spells waiting after it. A
// moderator's 包场 takes over at once; a gift's waits its turn.
type Exclusive struct {
	cur     *Holder
	pending []Holder
	// held: nobody can play (quiet hours, the cat's rest), so the clock
	// of the spell in force stands still; meanwhile cur.For is its time
	// left and cur.Until is kept at now plus that.
	held bool
}

// Hold stops the clock of the spell in force while nobody can play (on),
// or starts it again: 包场 is time to play, and time nobody can play in is
// not taken from it. A spell that starts during the hold (bought, or next
// in line after 收场) starts with its clock stopped; those waiting their
// turn wait the longer.
func (e *Exclusive) Hold(now time.Time, on bool) {
	if on == e.held {
		return
	}
	e.Current(now) // a spell that ended before the hold is over
	e.held = on
	if c := e.cur; c != nil {
		if on {
			c.For = c.Until.Sub(now)
		} else {
			c.Until = now.Add(c.For)
		}
	}
}

// Start gives t exclusive control for d at once (a moderator or the
// panel). A gift's spell it interrupts waits, with its time left, first in
// line, even past MaxPending: a paid spell is never dropped. Only a gift's
// spell is interrupted, and only Buy adds to the line, so at most
// MaxPending+1 wait.
func (e *Exclusive) Start(now time.Time, t Target, d time.Duration, by string) Holder {
	if c := e.Current(now); c != nil && c.By == "gift" {
		rest := *c
		rest.For = c.Until.Sub(now) // its time left, held or not
		e.pending = append([]Holder{rest}, e.pending...)
	}
	h := Holder{Target: t, Until: now.Add(d), For: d, By: by}
	e.cur = &h
	return h
}

// Buy queues a gift's spell of d for t: it starts at once when nobody holds
// 包场, else after those before it. False when MaxPending are waiting.
func (e *Exclusive) Buy(now time.Time, t Target, d time.Duration) (start time.Time, ok bool) {
	c := e.Current(now)
	if c == nil {
		h := Holder{Target: t, Until: now.Add(d), For: d, By: "gift"}
		e.cur = &h
		return now, true
	}
	if len(e.pending) >= MaxPending {
		return time.Time{}, false
	}
	start = c.Until
	for _, p := range e.pending {
		start = start.Add(p.For)
	}
	e.pending = append(e.pending, Holder{Target: t, For: d, By: "gift"})
	return start, true
}

// End ends the current spell (收场); the next waiting one starts. False
// when nobody held 包场.
func (e *Exclusive) End(now time.Time) bool {
	if e.Current(now) == nil {
		return false
	}
	e.cur = nil
	e.next(now)
	return true
}

// Current returns the spell in force at now, starting waiting ones as
// earlier ones end; nil when nobody holds 包场. While the clock is held
// the spell in force ends no sooner than its time left from now.
func (e *Exclusive) Current(now time.Time) *Holder {
	if e.held {
		if e.cur != nil {
			e.cur.Until = now.Add(e.cur.For)
		}
		return e.cur
	}
	for e.cur != nil && !now.Before(e.cur.Until) {
		end := e.cur.Until
		e.cur = nil
		e.next(end)
	}
	return e.cur
}

func (e *Exclusive) next(at time.Time) {
	if len(e.pending) == 0 {
		return
	}
	h := e.pending[0]
	e.pending = e.pending[1:]
	h.Until = at.Add(h.For)
	e.cur = &h
}

// Pending returns how many bought spells wait.
func (e *Exclusive) Pending() int { return len(e.pending) }

// Admits reports whether the sender may command at now: nobody holds
// 包场, or the sender does.
func (e *Exclusive) Admits(now time.Time, platform string, u danmu.User) bool {
	c := e.Current(now)
	return c == nil || c.Is(platform, u)
}
