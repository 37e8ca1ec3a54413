package monitor

import (
	"time"
)

// dwellState holds the spots of invariant 5 the lit dot has lit lately.
type dwellState struct {
	spots []dwellSpot
	free  [][][2]int64 // span slices of forgotten spots, for new ones
}

// dwellSpot is one of them: where the dot was when it lit further than
// the radius from every spot remembered, and its light (the dot within
// the radius of it) still in the window of twice the cap.
type dwellSpot struct {
	at      [2]float64
	u       vec3       // its beam
	spans   [][2]int64 // lit [from, to), oldest first, from head on
	head    int
	sum     int64 // total length of spans[head:]
	flagged bool  // already went over the cap
}

// accrueDwell counts lit time [t0, t1) for every spot within the radius
// of the dot, or for a new spot at the dot when none is. A spot whose
// light has all left the window is forgotten first. The radius is an
// angle between beams: a chord of at most m.dwellChord2's root.
func (m *Monitor) accrueDwell(t0, t1 int64) {
	lim := int64(m.l.DwellCap)
	if lim <= 0 {
		return
	}
	d := &m.dwell
	k := 0 // spots before k are live: only those after move
	for k < len(d.spots) && d.spots[k].spans[len(d.spots[k].spans)-1][1] > t0-2*lim {
		k++
	}
	live := d.spots[:k]
	for _, s := range d.spots[k:] {
		if s.spans[len(s.spans)-1][1] > t0-2*lim {
			live = append(live, s)
		} else {
			d.free = append(d.free, s.spans[:0])
		}
	}
	clear(d.spots[len(live):])
	d.spots = live
	u := m.dotBeam()
	near := false
	for i := range d.spots {
		s := &d.spots[i]
		if chord2(u, s.u) <= m.dwellChord2 {
			near = true
			m.dwellAdd(s, t0, t1)
		}
	}
	if !near {
		s := dwellSpot{at: m.dot, u: u}
		if n := len(d.free); n > 0 {
			s.spans, d.free = d.free[n-1], d.free[:n-1]
		}
		d.spots = append(d.spots, s)
		m.dwellAdd(&d.spots[len(d.spots)-1], t0, t1)
	}
}

// dwellAdd adds [t0, t1) to spot s and reports its light in the window
// ending at t1 going over the cap. The light in a window only grows while
// the spot is lit, so the windows ending at the ends of its lit spans are
// the ones to check.
func (m *Monitor) dwellAdd(s *dwellSpot, t0, t1 int64) {
	lim := int64(m.l.DwellCap)
	if n := len(s.spans); n > s.head && s.spans[n-1][1] == t0 {
		s.spans[n-1][1] = t1
	} else {
		s.spans = append(s.spans, [2]int64{t0, t1})
	}
	s.sum += t1 - t0
	// The spans that left the window go from the head, the list moved
	// down only once they are most of it: a still dot toggled fast has
	// many spans in the window, and adding them all up at each lit step,
	// or moving them all at each that leaves, took time as their square.
	from := t1 - 2*lim
	for s.head < len(s.spans) && s.spans[s.head][1] <= from {
		s.sum -= s.spans[s.head][1] - s.spans[s.head][0]
		s.head++
	}
	if s.head > 64 && s.head*2 > len(s.spans) {
		s.spans = s.spans[:copy(s.spans, s.spans[s.head:])]
		s.head = 0
	}
	lit := s.sum
	if s.spans[s.head][0] < from { // the last span ends at t1, in the window
		lit -= from - s.spans[s.head][0]
	}
	if lit > lim+int64(m.l.Slack) && !s.flagged {
		s.flagged = true
		m.report(t1-(lit-lim), "dwell", m.litLaser(), "lit dot within %.4g° of (%.4g°, %.4g°) for over %v in %v",
			m.l.DwellRadius, s.at[0], s.at[1], m.l.DwellCap, 2*m.l.DwellCap)
	}
}

// dailyState is the laser time of the current local day.
type dailyState struct {
	valid   bool
	start   int64 // local midnight starting the day
	end     int64 // the next local midnight
	total   int64
	flagged bool
}

// accrueDaily adds the lasers' lit time [t0, t1), split at local
// midnights, to each day's total.
func (m *Monitor) accrueDaily(t0, t1 int64) {
	lim, k := int64(m.l.DailyLaser), int64(m.nLasers)
	if lim <= 0 || k <= 0 {
		return
	}
	lim += int64(m.l.Slack)
	d := &m.daily
	for n := 0; t0 < t1; n++ {
		t0 = skipLong(n, t0, t1)
		if !d.valid || t0 < d.start || t0 >= d.end {
			m.newDay(t0)
		}
		end := min(t1, d.end)
		if end <= t0 {
			return // a day that does not move forward: times out of range
		}
		before := d.total
		d.total += k * (end - t0)
		if d.total > lim && !d.flagged {
			d.flagged = true
			at := t0 + max(0, (lim-before)/k)
			m.report(at, "daily", m.litLaser(), "laser lit %v on %s (limit %v)", fmtNs(d.total),
				time.Unix(0, d.start).In(m.l.Location).Format("2006-01-02"), m.l.DailyLaser)
		}
		t0 = end
	}
}

// maxDays bounds the days a loop walks one by one; a lit interval longer
// than that (only a broken stream has one) has its middle skipped, after
// every day-based rule has had more than a year to report.
const maxDays = 400

// skipLong moves t0 of an interval walked a day at a time close to t1
// once the walk has taken maxDays steps.
func skipLong(steps int, t0, t1 int64) int64 {
	if steps == maxDays {
		return max(t0, t1-int64(48*time.Hour))
	}
	return t0
}

// keptDays is how many days' laser accounts a Monitor keeps besides the
// current day's: the latest of them. The daily budget is per local
// calendar day, across restarts (invariant 6): a restart on a clock set
// back re-enters a day already lit, whose light counts still; a clock
// set back by more days than that finds them forgotten.
const keptDays = 8

// newDay makes the local day containing t the current one; the day it
// leaves is kept (m.days), and a day kept is taken up again where it was
// left: its light, and whether it was reported.
func (m *Monitor) newDay(t int64) {
	d := &m.daily
	y, mo, dd := time.Unix(0, t).In(m.l.Location).Date()
	start := time.Date(y, mo, dd, 0, 0, 0, 0, m.l.Location).UnixNano()
	if d.valid && start == d.start {
		return
	}
	left := *d
	*d = dailyState{valid: true, start: start, end: time.Date(y, mo, dd+1, 0, 0, 0, 0, m.l.Location).UnixNano()}
	for i := range m.days {
		if k := &m.days[i]; k.valid && k.start == start {
			*d, *k = *k, dailyState{}
			break
		}
	}
	if !left.valid {
		return
	}
	slot := 0 // a free slot, else the earliest day's
	for i := range m.days {
		if k := &m.days[i]; !k.valid || k.start < m.days[slot].start {
			slot = i
			if !k.valid {
				break
			}
		}
	}
	if k := &m.days[slot]; !k.valid || k.start < left.start {
		*k = left
	}
}
