package monitor

import (
	"math"
	"time"
)

// sessionState is the current run of activity. A restart is no rest: a
// session goes on across a restart that keeps the state (carrySession).
type sessionState struct {
	on      bool
	start   int64 // first activity
	last    int64 // end of the latest activity
	off     int64 // the wall clock less the stream's time at it (wallState.off)
	flagged bool
}

// carrySession takes the session s of a process that ended onto the next
// one's clock, which is the wall clock's (a restart line's time, and a
// new process's, are its readings; a process that ran on after a step of
// the wall clock wrote times off it by wallState.off): its last activity
// is where the wall clock read it, its start as long before that as the
// session had lasted. The time the rig was down counts as rest only by
// the wall clock, from the last activity to the next.
func carrySession(s sessionState) sessionState {
	if s.on {
		s.start, s.last, s.off = s.start+s.off, s.last+s.off, 0
	}
	return s
}

// activity records activity over [t0, t1] (an instant when equal): an
// angle output, or a laser lit.
func (m *Monitor) activity(t0, t1 int64) {
	maxPlay := int64(m.l.Sessions.MaxPlay)
	if maxPlay <= 0 {
		return
	}
	s := &m.sess
	if gap := t0 - s.last; !s.on || (gap > 0 && gap >= int64(m.l.Sessions.Rest)) {
		*s = sessionState{on: true, start: t0, last: t0}
	}
	s.last, s.off = max(s.last, t1), m.wall.off
	if lim := maxPlay + m.park; s.last-s.start > lim && !s.flagged {
		s.flagged = true
		m.report(max(t0, s.start+lim), "session", "play", "session of %v without a rest of %v (limit %v)",
			fmtNs(s.last-s.start), m.l.Sessions.Rest, time.Duration(lim))
	}
}

// quietState caches the stretch of time around the last query that is
// either one quiet period or the time between two.
type quietState struct {
	valid  bool
	lo, hi int64
	quiet  bool
	litQ   int64 // start of the last quiet period reported for light
	moveQ  int64 // … and for an angle output
}

func (q *quietState) init() { q.litQ, q.moveQ = math.MinInt64, math.MinInt64 }

// wallState places the stream on the wall clock, for quiet hours: each
// output's wall-clock reading (Event.Wall) less its time is the offset of
// the wall clock from then on.
type wallState struct {
	off    int64 // the wall clock less the stream's time, at the latest output
	stepAt int64 // the first output after the last step into quiet hours, on the wall clock; MinInt64 = none
	born   int64 // the first output of the process, on the wall clock
	prevW  int64 // the process's last output, on the wall clock; 0 = none
}

// wallStep is how far the offset must move from one output to the next to
// count as a step of the wall clock: less is a clock slewed by NTP, which
// moves it by microseconds between two ticks. A step of a millisecond
// across the start of quiet hours parks the rig as a step of hours does.
const wallStep = int64(time.Millisecond)

func (w *wallState) reset() { *w = wallState{stepAt: math.MinInt64} }

// wallClock takes the wall-clock reading w (zero: the stream's time) of an
// output at t, and the reading a tick before it, at a step (before). A
// step of the wall clock into quiet hours is like their start (or a
// process's): the rig cannot know it ahead, and may park after it. Only
// into them: before the step the wall clock read a time outside the quiet
// period it reads after it. A step inside one (NTP correcting the clock by
// a second at 02:00) parks nothing, and allows no move. Where the output
// does not say what the wall clock read before, the stream's time is
// taken to have gone on with real time across the step, as a live run
// keeps it across a step it does not follow.
func (m *Monitor) wallClock(t int64, w, before time.Time) {
	off := int64(0)
	if !w.IsZero() {
		off = w.UnixNano() - t
	}
	prev, prevW := m.wall.off, m.wall.prevW
	m.wall.off, m.wall.prevW = off, t+off
	if m.born == 0 {
		return // a process's start, not a step
	}
	var was int64
	switch {
	case !before.IsZero():
		was = before.UnixNano()
	case off-prev >= wallStep || prev-off >= wallStep:
		was = t + prev
	default:
		return
	}
	now := t + off
	// Into the quiet period from outside it: the step's own reading and
	// the process's last output both outside. An output that was read
	// inside it already had its park; a mark that says otherwise (a
	// wall_before on every output) grants nothing more.
	lo, hi, quiet := m.quietAt(now)
	prevOut := prevW == 0 || prevW < lo || prevW >= hi
	if quiet && (was < lo || was >= hi) && prevOut {
		m.wall.stepAt = now
	}
}

func (m *Monitor) quietOn(t int64, name string) {
	w := t + m.wall.off
	if lo, _, quiet := m.quietAt(w); quiet && m.quiet.litQ != lo {
		m.quiet.litQ = lo
		m.report(t, "quiet_hours", name, "laser lit during quiet hours %s%s", m.quietText(), m.wallText(w))
	}
}

// quietLit checks lasers lit over [t0, t1) against every quiet period.
func (m *Monitor) quietLit(t0, t1 int64) {
	off := m.wall.off
	for n, w, end := 0, t0+off, t1+off; w < end; n++ {
		w = skipLong(n, w, end)
		lo, hi, quiet := m.quietAt(w)
		if !quiet && hi >= end {
			return
		}
		if quiet && m.quiet.litQ != lo {
			m.quiet.litQ = lo
			m.report(w-off, "quiet_hours", m.litLaser(), "laser lit during quiet hours %s%s", m.quietText(), m.wallText(w))
		}
		if hi <= w {
			return // no progress: times out of range
		}
		w = hi
	}
}

// quietMove checks an angle output against quiet hours: only the park at
// their start, or at the start of a process that begins inside them (its
// servos' positions are unknown until it has parked), or after a step of
// the wall clock into them from outside (wallClock), may move. On a rig
// with a laser the hold after the homing holds the servos at home (every
// angle of it home, or flagged by rule hold or home), and delays the
// park: its time counts from the hold's end where that is later.
//
// The park on the way out (Event.Exit) may move too, home (exitState).
func (m *Monitor) quietMove(t int64, name string, home bool) {
	w := t + m.wall.off
	lo, _, quiet := m.quietAt(w)
	if !quiet || m.quiet.moveQ == lo || m.holding(t) {
		return
	}
	from := max(lo, m.wall.born, m.wall.stepAt)
	if m.hold.on {
		from = max(from, m.hold.endW)
	}
	if w < from+m.park {
		return
	}
	if x := &m.exit; home && !x.broken && t-x.at < m.park {
		if !x.owed { // until the process goes on after it
			x.owed, x.t, x.name, x.w, x.lo = true, t, name, w, lo
		}
		return
	}
	m.quietMoveReport(t, name, w, lo, "")
}

func (m *Monitor) quietMoveReport(t int64, name string, w, lo int64, why string) {
	m.quiet.moveQ = lo
	m.report(t, "quiet_hours", name, "angle sent %v into quiet hours %s (park %v)%s%s",
		fmtNs(w-lo), m.quietText(), fmtNs(m.park), m.wallText(w), why)
}

// exitState follows the park a live run makes on its way out, the
// outputs marked Event.Exit. In quiet hours they may move the axes home
// (quietMove), within a park's time of the first of them, if nothing of
// the process follows but halts: the run ended there. An ordinary output
// after them, or one of them that lights a switch, says it was no such
// park: the moves let through count from then on as they would have
// unmarked (the first of them is reported), and no later one is let
// through in the process.
type exitState struct {
	seen, broken bool
	at           int64 // the first marked output of the process
	owed         bool  // a move in quiet hours was let through as the exit's …
	t, w, lo     int64 // … at t (on the wall clock w), in the quiet period from lo
	name         string
	// idle: an angle was taken for the exit's, no session activity, from
	// idleFrom to idleTo: it is counted back if the process goes on.
	idle             bool
	idleFrom, idleTo int64
}

// exitPark reports whether an angle at t, marked as the exit's and going
// home (home), is taken for the park on the way out, no session activity:
// within a park's time of the process's first marked output, while
// nothing but halts has followed the marked outputs. If the process goes
// on after it (exitMark), it was play after all, and is counted back.
func (m *Monitor) exitPark(t int64, home bool) bool {
	x := &m.exit
	if !home || x.broken || t-x.at >= m.park {
		return false
	}
	if !x.idle {
		x.idle, x.idleFrom = true, t
	}
	x.idleTo = t
	return true
}

// exitMark follows output e at t: the exit's start, or what breaks it.
func (m *Monitor) exitMark(t int64, e Event) {
	x := &m.exit
	if e.Exit && !x.seen {
		x.seen, x.at = true, t
		for i := range m.axes {
			m.axes[i].exitFrom, m.axes[i].exitReach = m.axes[i].parkFrom()
		}
	}
	halt := e.Action == "detach" || e.Action == "switch" && e.Value == 0
	if !x.seen || x.broken || halt || e.Exit && e.Action == "move" {
		return
	}
	x.broken = true
	if x.idle { // the moves taken for the exit's were play: the process went on
		m.activity(x.idleFrom, x.idleTo)
	}
	if x.owed && m.quiet.moveQ != x.lo {
		why := "; marked as the park on the way out, yet the process went on"
		if e.Exit {
			why = "; marked as the park on the way out, which lit " + e.Target
		}
		m.quietMoveReport(x.t, x.name, x.w, x.lo, why)
	}
}

// wallText names the wall clock's time w when the stream's differs.
func (m *Monitor) wallText(w int64) string {
	if m.wall.off == 0 {
		return ""
	}
	return " (wall clock " + time.Unix(0, w).In(m.l.Location).Format("2006-01-02 15:04:05") + ")"
}

func (m *Monitor) quietText() string {
	return clock(m.l.Sessions.QuietFrom) + "-" + clock(m.l.Sessions.QuietTo)
}

func clock(d time.Duration) string {
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(d).Format("15:04")
}

// quietAt returns the stretch [lo, hi) containing t: a quiet period, or
// the time from the end of one to the start of the next.
func (m *Monitor) quietAt(t int64) (lo, hi int64, quiet bool) {
	q := &m.quiet
	if m.l.Sessions.QuietFrom == m.l.Sessions.QuietTo {
		return math.MinInt64, math.MaxInt64, false
	}
	if q.valid && t >= q.lo && t < q.hi {
		return q.lo, q.hi, q.quiet
	}
	y, mo, d := time.Unix(0, t).In(m.l.Location).Date()
	lo, hi = math.MinInt64, math.MaxInt64
	for dd := d - 1; dd <= d+1; dd++ {
		s, e := m.quietPeriod(y, mo, dd)
		if s <= t && t < e {
			lo, hi, quiet = s, e, true
			break
		}
		if e <= t {
			lo = max(lo, e)
		}
		if s > t {
			hi = min(hi, s)
		}
	}
	q.valid, q.lo, q.hi, q.quiet = true, lo, hi, quiet
	return lo, hi, quiet
}

// quietPeriod is the quiet period starting on local day y-mo-d, by wall
// clock.
func (m *Monitor) quietPeriod(y int, mo time.Month, d int) (start, end int64) {
	from, to := m.l.Sessions.QuietFrom, m.l.Sessions.QuietTo
	endDay := d
	if from > to {
		endDay++
	}
	return wall(y, mo, d, from, m.l.Location), wall(y, mo, endDay, to, m.l.Location)
}

// wall is the instant at the wall-clock offset off into local day y-mo-d.
// A wall time the clocks skip (spring forward) is the first instant whose
// wall clock reads it or later: the end of the gap.
func wall(y int, mo time.Month, d int, off time.Duration, loc *time.Location) int64 {
	h, mi, s := int(off/time.Hour), int(off%time.Hour/time.Minute), int(off%time.Minute/time.Second)
	t := time.Date(y, mo, d, h, mi, s, 0, loc)
	if t.Hour() == h && t.Minute() == mi && t.Second() == s {
		return t.UnixNano()
	}
	// Skipped: search the hours around for the first instant reading at
	// or after the wall time wanted, as a naive date and time.
	want := time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	reads := func(ns int64) time.Time {
		l := time.Unix(0, ns).In(loc)
		return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
	}
	lo, hi := t.Add(-6*time.Hour).UnixNano(), t.Add(6*time.Hour).UnixNano()
	for lo < hi {
		mid := lo + (hi-lo)/2
		if reads(mid).Before(want) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}
