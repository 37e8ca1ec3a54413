package monitor

// dutyState is the recent motion of one axis with a duty limit: the
// instants (ns) of its angle outputs in the current process, oldest first,
// from head on, no older than the window.
type dutyState struct {
	at      []int64
	head    int
	flagged bool // a violation was reported and the window has not cleared
}

// dutyCheck counts an angle output of axis i at t toward its duty limit:
// each instant with an angle output is τ of motion, and no window of
// DutyWindow may hold more than DutyMax of it.
func (m *Monitor) dutyCheck(t int64, i int) {
	a := &m.axes[i]
	if a.DutyMax <= 0 || a.DutyWindow <= 0 {
		return
	}
	d := &a.duty
	if n := len(d.at); n > d.head && d.at[n-1] == t {
		return // a second angle at one instant is the same tick of motion
	}
	// Instants leave the window from the head; the list is moved down only
	// once they are most of it, not at each that leaves (a long window
	// full of instants made that time as their square).
	w := int64(a.DutyWindow)
	for d.head < len(d.at) && d.at[d.head] <= t-w {
		d.head++
	}
	if d.head > 64 && d.head*2 > len(d.at) {
		d.at = d.at[:copy(d.at, d.at[d.head:])]
		d.head = 0
	}
	d.at = append(d.at, t)
	moving := int64(len(d.at)-d.head) * m.tick
	switch {
	case moving > int64(a.DutyMax) && !d.flagged:
		d.flagged = true
		m.report(t, "duty", a.Name, "moved for %v within %v (limit %v)", fmtNs(moving), a.DutyWindow, a.DutyMax)
	case moving <= int64(a.DutyMax):
		d.flagged = false
	}
}

// dutyReset forgets the motion of the previous process.
func (d *dutyState) reset() { d.at, d.head, d.flagged = d.at[:0], 0, false }
