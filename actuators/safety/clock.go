package safety

import "time"

// How far the wall clock may stray from real time between two readings
// before it counts as stepped: a thousandth of the time between them (NTP
// slews both clocks alike; this bounds what a creeping clock could stretch
// a limit by), and a little for readings taken apart (tests).
const (
	clockRate  = 1000
	clockSlack = 10 * time.Microsecond
)

// clockRereads is how many times a reading that shows the wall clock
// jumped is taken again before it counts. The two clocks are read one
// after the other (time.Now too), and a thread descheduled between the
// two, on a loaded machine, reads a jump of as long as it waited: the
// wall clock seems to lag real time, and to catch up at the next reading.
// A step of the wall clock shows again at once; a torn reading seldom
// does.
const clockRereads = 2

// runClock is the envelope's time in Run. It is the wall clock (which the
// trace, the daily laser account and quiet hours are kept in) for as long
// as the wall clock moves with real time. A wall clock that is stepped
// (NTP after a boot without a real-time clock, fake-hwclock, someone
// setting the date) is not followed at once: the envelope's time goes on
// with real time, so every limit keeps to real time. Set back, a lit
// laser's "off" would come only when the wall clock caught up again, and
// the light budget would count nothing meanwhile. Set forward, every
// window (the light budget, cooldowns, servo duty, dwell) would forget
// what it held. A step back is never followed (the envelope's time stays
// ahead of the wall clock until the process ends); a step forward is
// followed once the rig has been quiet for longer than any window holds,
// when following it forgets nothing that real time would not have.
type runClock struct {
	read func() (wall time.Time, real time.Duration) // the wall clock (no monotonic reading) and real time since some origin
	last time.Time                                   // the envelope's time at the last reading
	at   time.Duration                               // real time at the last reading
	off  bool                                        // the wall clock and the envelope's time differ
	wall time.Time                                   // the wall clock at the last reading
	// before is the wall clock's previous reading when, at the last
	// reading, either clock jumped: the wall clock was stepped, or the
	// envelope's time followed a step of it. Zero otherwise.
	before time.Time
}

// newRunClock reads both clocks in one time.Now, so that they never
// differ but by a step; wall, if set (tests), is read instead of the wall
// clock.
func newRunClock(wall func() time.Time) *runClock {
	origin := time.Now()
	read := func() (time.Time, time.Duration) { t := time.Now(); return t.Round(0), t.Sub(origin) }
	if wall != nil {
		read = func() (time.Time, time.Duration) { return wall(), time.Since(origin) }
	}
	return &runClock{read: read}
}

// realNow is the real time since the clock was made.
func (c *runClock) realNow() time.Duration {
	_, r := c.read()
	return r
}

// now reads the envelope's time; mayFollow says whether a step forward of
// the wall clock may be followed now. stepped reports a step noticed at
// this reading; resynced, that the envelope's time is the wall clock's
// again.
func (c *runClock) now(mayFollow bool) (t, w time.Time, stepped, resynced bool) {
	w, r := c.sample()
	if c.last.IsZero() {
		c.last, c.at, c.wall = w, r, w
		return w, w, false, false
	}
	dr := r - c.at
	t = c.last.Add(dr) // real time since the last reading
	slack := dr/clockRate + clockSlack
	d := w.Sub(t)
	followed := false
	switch {
	case d >= -slack && d <= slack:
		t = w
	case d > 0 && mayFollow:
		t, followed = w, true
	}
	if t.Before(c.last) {
		t = c.last // never back
	}
	c.before = time.Time{}
	if j := w.Sub(c.wall.Add(dr)); followed || j > slack || j < -slack {
		c.before = c.wall
	}
	wasOff := c.off
	c.off = !t.Equal(w)
	c.last, c.at, c.wall = t, r, w
	return t, w, c.off && !wasOff, wasOff && !c.off
}

// sample reads both clocks, again if the wall clock seems to have jumped
// since the last reading (clockRereads). The first reading is the better
// of two: the one whose wall clock is furthest ahead of real time, as a
// torn reading only makes it lag. Every later one is measured against it.
func (c *runClock) sample() (time.Time, time.Duration) {
	w, r := c.read()
	if c.last.IsZero() {
		if w2, r2 := c.read(); w2.Sub(w) > r2-r {
			return w2, r2
		}
		return w, r
	}
	for range clockRereads {
		dr := r - c.at
		slack := dr/clockRate + clockSlack
		if j := w.Sub(c.wall.Add(dr)); j >= -slack && j <= slack {
			break
		}
		w, r = c.read()
	}
	return w, r
}

// clockNow reads the envelope's time for Run from clk, and the wall
// clock's reading it came from. A step forward of the wall clock is
// followed only while the rig is quiet (see quiet). The outputs of the
// Step that follows carry the wall clock's reading where it differs, and
// where either clock jumped at this reading, its reading the tick before
// (Output.WallBefore).
func (e *Envelope) clockNow(clk *runClock, mayFollow bool) (now, wall time.Time) {
	e.mu.Lock()
	mayFollow = mayFollow && e.quiet()
	e.mu.Unlock()
	now, wall, stepped, resynced := clk.now(mayFollow)
	e.mu.Lock()
	e.wallAt, e.wallBefore = wall, clk.before
	if stepped {
		e.counts["clock_step"]++
	}
	e.mu.Unlock()
	switch {
	case stepped:
		e.log.Warn("the wall clock jumped; the limits keep to real time", "by", wall.Sub(now).Round(time.Millisecond))
	case resynced:
		e.log.Info("the rig is quiet: its clock follows the wall clock again")
	}
	return now, wall
}

// quiet reports whether the rig may follow the wall clock forward: every
// switch dark, not asked on and unlit for longer than its light budget's
// window, every axis at its target, the hold after a homing over (it is
// the real time the servos need to get home), and nothing moved or lit
// for longer than the axes' windows remember. Caller holds e.mu.
func (e *Envelope) quiet() bool {
	for _, sl := range e.slots {
		s := sl.sw
		if s == nil {
			continue
		}
		end := s.log.lastEnd()
		if s.on || s.lit() || s.log.open || !end.IsZero() && e.lastStep.Sub(end) <= s.window() {
			return false
		}
	}
	if e.unknown == 0 && e.lastStep.Before(e.holdEnd) {
		return false // the hold is measured in real time: the servos are on their way home
	}
	last := e.activity
	if e.homed.After(last) { // the homing's angles count against the servos' duty too
		last = e.homed
	}
	return e.settled() && (last.IsZero() || e.lastStep.Sub(last) > e.memory)
}

// reqNow puts a request's time on the envelope's clock: never before the
// last Step, and while Run runs, at most two ticks after it (a replay or
// a test may ask ahead of its steps). Callers read the wall clock, which
// Run does not follow when it is stepped: set back, a laser asked for 5 s would be due off
// before it lit and the dead man would count from the past; set forward,
// it would stay lit past its 5 s (never past the light budget, which Step
// keeps on the envelope's clock). Caller holds e.mu.
func (e *Envelope) reqNow(now time.Time) time.Time {
	switch {
	case e.lastStep.IsZero(): // no Step yet: nothing to place it by
		return now
	case now.Before(e.lastStep):
		return e.lastStep
	case e.live && now.After(e.lastStep.Add(2*e.cfg.Tick)):
		return e.lastStep.Add(2 * e.cfg.Tick)
	}
	return now
}

// memoryOf is the longest time the limits of moves and of light at one
// spot look back over: an axis's duty window, the dwell window (twice the
// cap). (Each switch's light budget is judged on its own log: quiet.)
func memoryOf(cfg Config) time.Duration {
	m := 2 * cfg.DwellCap
	for _, a := range cfg.Axes {
		m = max(m, a.DutyWindow)
	}
	return m
}
