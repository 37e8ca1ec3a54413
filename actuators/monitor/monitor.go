package monitor

import (
	"fmt"
	"time"
)

// eps is the tolerance on angles (degrees) and, relatively, on products.
const eps = 1e-9

// MaxStored is how many violations a Monitor keeps; Count counts them all.
const MaxStored = 1000

// Event is one output of the stream. Action is "move" (Value in degrees),
// "detach" or "switch" (Value 1 on, 0 off).
type Event struct {
	Time   time.Time
	Target string
	Action string
	Value  float64
	// Wall, if set, is the wall clock's reading when the output was sent,
	// where it differs from Time: a live run keeps the stream's time to
	// real time across a step of the wall clock. Quiet hours are read on
	// it; zero means Time is the wall clock's.
	Wall time.Time
	// WallBefore, if set, is the wall clock's reading a tick before the
	// output, which was sent at the tick the wall clock was stepped or the
	// stream's time followed a step of it: a live run follows a step
	// forward at once when the rig is still, and its times then jump with
	// the wall clock, which Wall cannot show.
	WallBefore time.Time
	// Exit marks an output of the park a live run makes on its way out,
	// before it halts every output (a trace line's "exit"). In quiet
	// hours such an output may move an axis, only as that park: towards
	// its home (or braking, as a park from full speed must), within a
	// park's time of the process's first marked output, and followed by
	// nothing of the process but halts (detach, switch off). It gains
	// nothing else: a laser it lights is lit, and if anything else of the
	// process follows, its moves count as any other.
	Exit bool
	// Failed marks an output the driver did not take (its write returned
	// an error; a trace line's "error"): it was not delivered, and its
	// target keeps its state for every rule. An angle not sent did not
	// move the servo, nor home it; a failed switch write leaves the
	// switch as it was, a lit laser lit. Only time passes, and the wall
	// clock is read.
	Failed bool
}

// Violation is one broken invariant.
type Violation struct {
	Time   time.Time
	Rule   string // range, ceiling, keep_out, home, hold, limp, speed, accel, late, fault, duty, light_budget, dwell, daily, session, quiet_hours, stop
	Target string
	Detail string
	Line   int // the trace line it was found at (ReadTrace, SetLine); 0: none
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s %s: %s", v.Time.UTC().Format(time.RFC3339Nano), v.Rule, v.Target, v.Detail)
}

// Monitor checks a stream of outputs against Limits. It is not safe for
// concurrent use.
type Monitor struct {
	l       Limits
	tick    int64 // τ in ns
	tauSec  float64
	park    int64
	axes    []axisState
	axisIdx map[string]int
	pan     int // index of the pan-role axis, -1 if none
	tilt    int
	sws     []switchState
	swIdx   map[string]int
	zones   []rect
	dot     [2]float64
	started bool
	now     int64 // ns since the Unix epoch
	before  int64 // the output instant before now
	group   group
	nLit    int // switches lit
	nLasers int // lasers lit
	dwell   dwellState
	daily   dailyState
	days    [keptDays]dailyState // other days' accounts, kept for a return to them (a clock set back)
	sess    sessionState
	quiet   quietState
	wall    wallState
	exit    exitState
	stop    stopState
	hold    holdState
	limp    limpState
	born    int64 // first output of the current process; 0 = none yet
	viol    []Violation
	count   int

	// dwellChord2 is the square of the chord of dwell_radius, give or
	// take eps: the dot is within the radius of a spot when their beams
	// are at most that far apart.
	dwellChord2 float64
	// regions are the zones' regions, for the margin; none without one.
	regions []region
	// beamAt is the dot whose beam is beamU (beamOK): see dotBeam.
	beamAt [2]float64
	beamU  vec3
	beamOK bool
	// prevAt is another dot whose beam is prevU (prevOK): see beamOf.
	prevAt [2]float64
	prevU  vec3
	prevOK bool
	// lastMove is the latest instant with a pan or tilt angle output
	// (endGroup): a laser lit within τ of it lights its move.
	lastMove lastMove
}

// New returns a Monitor for l, filling in the defaults.
func New(l Limits) *Monitor {
	if l.Tick <= 0 {
		l.Tick = DefaultTick
	}
	if l.DwellRadius == 0 {
		l.DwellRadius = DefaultDwellRadius
	}
	if l.Location == nil {
		l.Location = time.Local
	}
	m := &Monitor{l: l, tick: int64(l.Tick), tauSec: l.Tick.Seconds(), park: int64(l.park(l.Tick)),
		axisIdx: map[string]int{}, swIdx: map[string]int{}, pan: -1, tilt: -1}
	for _, a := range l.Axes {
		m.axisIdx[a.Name] = len(m.axes)
		switch a.Role {
		case "pan":
			m.pan = len(m.axes)
		case "tilt":
			m.tilt = len(m.axes)
		}
		m.axes = append(m.axes, axisState{AxisLimits: a})
	}
	for _, s := range l.Switches {
		m.swIdx[s.Name] = len(m.sws)
		m.sws = append(m.sws, switchState{SwitchLimits: s, window: int64(s.MaxOn + s.Cooldown)})
	}
	c := chordOf(l.DwellRadius + eps)
	m.dwellChord2 = c * c
	m.zones = growZones(l.Zones, 0)
	if l.KeepOutMargin > eps {
		for _, z := range l.Zones {
			m.regions = append(m.regions, newRegion(z, l.KeepOutMargin))
		}
	}
	m.quiet.init()
	m.holdInit()
	m.resetProcess()
	return m
}

// Output feeds one output. Outputs must come in time order; an earlier
// time counts as the latest time seen.
func (m *Monitor) Output(e Event) {
	t := m.at(e.Time)
	m.wallClock(t, e.Wall, e.WallBefore)
	if e.Failed { // not delivered: the rig's outputs are as they were
		if m.stop.on {
			m.stop.seen = true // yet it is of a tick after the stop
		}
		if i, ok := m.axisIdx[e.Target]; ok {
			m.failedWrite(t, i)
		}
		return
	}
	if m.born == 0 {
		m.born, m.wall.born = t, t+m.wall.off
	}
	m.exitMark(t, e)
	m.stopOutput(t, e)
	switch e.Action {
	case "move":
		if i, ok := m.axisIdx[e.Target]; ok {
			m.move(t, i, e.Value, e.Exit)
		}
	case "detach":
		if i, ok := m.axisIdx[e.Target]; ok {
			m.detach(t, i)
		}
	case "switch":
		if i, ok := m.swIdx[e.Target]; ok {
			m.switchTo(t, i, e.Value != 0)
		}
	}
}

// Restart ends the current process at t (every switch off, every axis
// detached) and starts a new one. keepState means the new process shares
// the state file: the light budget and the daily totals carry on, so does
// the session (a restart is no rest: the time the rig was down counts as
// rest only by the wall clock, from the last activity to the next), and
// so does an emergency stop in force (Stop), which the state directory
// keeps on the hardware; without it (a dry run, which keeps no state)
// the stop ends, and the new process's session starts afresh.
//
// The previous process may have died any time before t (a restart line is
// written by the process that starts), so a move it left unfinished is not
// taken for a stop of its own: its crash or its halt stopped the servo,
// and a servo it left attached under a stop went limp with it.
//
// A restart earlier than the latest time seen starts the stream again on
// the new process's clock (rebase).
func (m *Monitor) Restart(t time.Time, keepState bool) {
	for i := range m.axes {
		m.axes[i].pending, m.axes[i].limpBy = false, 0
	}
	m.end(t, keepState)
	m.stopRestart(keepState)
	m.rebase(t.UnixNano())
}

// rebase goes back to t, a restart earlier than the latest time seen. A
// live run keeps its time to real time across a step of the wall clock,
// so after a step back its outputs run ahead of the wall clock until it
// ends; the next process's clock is the wall clock again, earlier. Its
// times are its own: taken for the latest time seen, they would all be one
// instant (no speed, duty, light or session measured) until its clock
// caught up, hours later, and quiet hours read on that instant. Every
// rule of a process starts afresh with it; what a restart carries over
// (keepState) is moved onto the new clock: the lasers' light ends at the
// restart at the latest (the worst case for every window from then on,
// as the envelope seeds it), and each day's laser account is that day's
// whenever the stream is in it, before the step or after it (newDay).
func (m *Monitor) rebase(t int64) {
	if !m.started || t >= m.now {
		return
	}
	back := m.now - t
	for i := range m.sws { // each interval moves back on reading: one step a switch
		m.sws[i].shift += back
	}
	m.now = t
}

func (m *Monitor) end(t time.Time, keepState bool) {
	ns := m.at(t)
	m.endGroup()
	m.stopDark(ns)
	sess := m.sess
	m.endProcess(ns)
	if keepState { // a restart is no rest: the session goes on (invariant 7)
		m.sess = carrySession(sess)
	}
	for i := range m.sws { // the ledger carries only the lasers' light over
		if !keepState || !m.sws[i].Laser {
			m.sws[i].clearHistory()
		}
	}
	if !keepState {
		m.daily, m.days = dailyState{}, [keptDays]dailyState{}
	}
}

// End ends the stream at t: the process ends, every switch goes off.
func (m *Monitor) End(t time.Time) { m.end(t, true) }

// Violations returns the violations found so far, at most MaxStored.
func (m *Monitor) Violations() []Violation { return append([]Violation(nil), m.viol...) }

// Count returns how many violations were found, stored or not.
func (m *Monitor) Count() int { return m.count }

// at moves the clock to t, closing the group at the previous instant.
func (m *Monitor) at(tm time.Time) int64 {
	t := tm.UnixNano()
	if !m.started {
		m.started, m.now = true, t
		m.group.reset(m.dot)
		return t
	}
	if t > m.now {
		m.endGroup()
		m.before = m.now
		m.advance(t)
	}
	return m.now
}

// advance lets time pass from m.now to t with the outputs unchanged.
func (m *Monitor) advance(t int64) {
	t0 := m.now
	m.stopDark(t)
	m.resolveStops(t)
	m.stopLimp(t)
	if m.nLit > 0 {
		for i := range m.sws {
			if m.sws[i].lit {
				m.checkBudget(i, t)
			}
		}
	}
	if m.nLasers > 0 {
		m.accrueDwell(t0, t)
		m.accrueDaily(t0, t)
		m.activity(t0, t)
		m.quietLit(t0, t)
	}
	m.now = t
}

// endProcess turns everything off at t and resets the per-process state.
func (m *Monitor) endProcess(t int64) {
	m.endStops(t)
	for i := range m.sws {
		if m.sws[i].lit {
			m.switchTo(t, i, false)
		}
	}
	m.resetProcess()
	m.group.reset(m.dot)
}

func (m *Monitor) resetProcess() {
	for i := range m.axes {
		m.axes[i].reset()
	}
	m.dot = [2]float64{}
	if m.pan >= 0 {
		m.dot[0] = m.axes[m.pan].Home
	}
	if m.tilt >= 0 {
		m.dot[1] = m.axes[m.tilt].Home
	}
	m.dwell = dwellState{}
	m.lastMove = lastMove{}
	m.sess = sessionState{}
	m.born = 0
	m.wall.reset()
	m.exit = exitState{}
	m.hold.reset()
	m.limp = limpState{}
}

// dotBeam returns the beam of the dot, computed once for each dot.
func (m *Monitor) dotBeam() vec3 {
	if !m.beamOK || m.beamAt != m.dot {
		m.beamAt, m.beamU, m.beamOK = m.dot, beam(m.dot[0], m.dot[1]), true
	}
	return m.beamU
}

// report records a violation at t (ns).
func (m *Monitor) report(t int64, rule, target, format string, args ...any) {
	m.count++
	if len(m.viol) >= MaxStored {
		return
	}
	m.viol = append(m.viol, Violation{Time: time.Unix(0, t).UTC(), Rule: rule, Target: target,
		Detail: fmt.Sprintf(format, args...)})
}

func fmtNs(ns int64) string { return time.Duration(ns).String() }
