package play

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// Envelope is what the play layer needs of the safety envelope.
type Envelope interface {
	MoveTo(now time.Time, axis string, deg float64) safety.Report
	MoveBy(now time.Time, axis string, delta float64) safety.Report
	Aim(now time.Time, pan, tilt float64) safety.Report
	Switch(now time.Time, name string, on bool, d time.Duration) safety.Report
	Home(now time.Time) safety.Report
	Stop(now time.Time) safety.Report
	Resume(now time.Time) safety.Report
	Park(pt *[2]float64)
	TakeTreat(max int) bool
	Settled() bool
	Stopped() bool
	LastActivity() time.Time
	LastPlay() time.Time
	AimArea() (lo, hi [2]float64)
	Lasers() []string
	Snapshot() safety.State
	Step(ctx context.Context, now time.Time)
	Enable(name string, on bool) bool
	Tick() time.Duration
}

// Layer is the play layer. It has the rule engine's view of the rig
// (control.Rig) and steps the envelope behind it. Safe for concurrent use.
type Layer struct {
	cfg Config
	env Envelope

	mu       sync.Mutex
	lastAct  time.Time // the envelope's last activity seen
	start    time.Time // current session's first activity; zero = none
	played   bool      // the rig played (LastPlay) since the session started
	resting  bool      // a session ran out: resting until still for Rest
	quietNow bool      // quiet hours (or the tick before them)
	quietEnd time.Time // on the wall clock
	lastChat time.Time // the last request from chat or the panel
	auto     autoplay
	finale   finale
	counts   map[string]uint64
	clock    clock
	keep     *keeper // Config.SessionFile; nil = the session in memory only
}

// New builds a play layer in front of env; start is when play begins
// (the idle clock for autoplay starts there), on the wall clock. It starts
// nothing. With Config.SessionFile (and sessions) it goes on with the
// session kept there: see loadSession.
func New(cfg Config, env Envelope, start time.Time) *Layer {
	cfg.Tick = env.Tick()
	cfg = cfg.withDefaults()
	seed := cfg.Autoplay.Seed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	l := &Layer{cfg: cfg, env: env, lastChat: start.Round(0), counts: map[string]uint64{}, clock: newClock(start)}
	l.auto.rng = rand.New(rand.NewPCG(seed, 0x636174))
	if cfg.SessionFile != "" && cfg.MaxPlay > 0 {
		l.keep = newKeeper(cfg.SessionFile)
		l.loadSession(start.Round(0))
	}
	return l
}

// Step runs the play layer's clock, then one tick of the envelope: the
// virtual-clock form of Pre + the envelope's Run. A virtual clock (a
// replay's) is real time, and the wall clock too: a jump forward is time
// that passed (a replay jumps over a long silence). It never runs back; a
// reading from the past counts as one tick.
func (l *Layer) Step(ctx context.Context, now time.Time) {
	now = now.Round(0)
	l.mu.Lock()
	l.tick(now, now, now.Sub(l.clock.wall))
	l.mu.Unlock()
	l.env.Step(ctx, now)
}

// Pre is the play layer's work for the tick at now, the envelope's time,
// read from the wall clock whose reading is wall; the envelope's Run
// calls it before every Step. Sessions, rests and autoplay follow the real
// time between calls, taken from the monotonic clock, so a wall clock set
// back or forward (NTP's first answer after a boot without a real-time
// clock) neither stretches nor cuts them. Quiet hours follow the wall
// clock, wall, at once: the envelope's time, which keeps to real time
// across such a step, follows a step forward only once the rig has been
// still for a while and a step back never, and may be hours off.
func (l *Layer) Pre(now, wall time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keep != nil && !l.keep.started {
		l.startKeeper() // the live loop: the session is written off it
	}
	m := l.clock.mono()
	d := m - l.clock.monoAt
	l.clock.monoAt = m
	l.tick(now.Round(0), wall.Round(0), d)
}

// tick is the play layer's work for the reading now (the envelope's
// time), d real time after the last one, when the wall clock read wall.
// Caller holds l.mu.
func (l *Layer) tick(now, wall time.Time, d time.Duration) {
	l.follow(now, d)
	l.clock.skew = wall.Sub(now)
	l.quietHours(wall) // first: a session that ends in them ends without a treat
	l.session(now)
	l.keepSession(now)
	if l.finale.on {
		l.stepFinale(now)
		return
	}
	l.stepAutoplay(now)
}

// session follows the envelope's activity: a new session starts at the
// first activity after a pause of at least Rest; one that reaches MaxPlay
// (by the end of the next tick) ends in the ritual and a rest. The homing
// at start is no activity; a park is (the monitor measures a session on
// every angle sent, invariant 7), but no play (LastPlay): a session that
// only parked ends without a ritual.
func (l *Layer) session(now time.Time) {
	if act, ok := l.activity(now); ok {
		if !l.resting && (l.start.IsZero() || l.lastAct.IsZero() || act.Sub(l.lastAct) >= l.cfg.Rest) {
			l.start, l.played = act, false
		}
		l.lastAct = act
	}
	if l.playedNow() && !l.start.IsZero() {
		l.played = true
	}
	if l.cfg.MaxPlay <= 0 {
		return
	}
	if now.Sub(l.lastAct) >= l.cfg.Rest {
		l.resting, l.start, l.played = false, time.Time{}, false // rested, or a long pause ended the session
		l.finale = finale{}
	}
	if !l.start.IsZero() && !l.resting && now.Add(l.ahead()).After(l.start.Add(l.cfg.MaxPlay)) {
		l.endSession(now)
		return
	}
	if f := l.cfg.Finish; f > 0 && f < l.cfg.MaxPlay && !l.start.IsZero() && !l.resting && !l.finale.on && !l.quietNow &&
		l.played && now.Add(f).After(l.start.Add(l.cfg.MaxPlay)) {
		l.startFinale(now)
	}
}

// endSession starts the rest, after the end-of-session ritual: a treat
// and the park. In quiet hours, which parked the rig already, it holds
// still and no treat drops at night; a session in which nothing played
// (the rig only parked) has no ritual either, and uses up no treat.
func (l *Layer) endSession(now time.Time) {
	played := l.played
	l.resting, l.start, l.played, l.auto.active = true, time.Time{}, false, false
	l.finale = finale{}
	l.count(actuators.ReasonCatResting)
	if l.quietNow || !played {
		return
	}
	if l.cfg.Treat != "" {
		l.giveTreat(now)
	}
	l.env.Park(l.cfg.Park)
}

// giveTreat pulses the treat switch if the envelope lets it and the day
// has a treat left. The switch is asked first: a treat the envelope
// refuses (an emergency stop, the streamer's switch off, the dispenser
// cooling down) is not given, so it stays in the day's count. If the day
// has none left, the request is taken back before the next Step could
// send it (the motion loop runs Pre and Step in turn).
func (l *Layer) giveTreat(now time.Time) {
	if r := l.env.Switch(now, l.cfg.Treat, true, l.cfg.TreatFor); r.Refused {
		l.count("treat_refused") // the envelope counted why, too
		return
	}
	if !l.env.TakeTreat(l.cfg.TreatsPerDay) {
		l.env.Switch(now, l.cfg.Treat, false, 0)
	}
}

// ahead is how far a tick looks ahead for quiet hours and a session's end:
// until the next tick however late it comes, short of a stall (2.5 ticks),
// as the envelope does for its time limits, so that a late tick does not
// carry play past either.
func (l *Layer) ahead() time.Duration { return l.cfg.Tick * 5 / 2 }

// quietHours parks the rig from the tick before quiet hours begin, and
// while the clock they are read on is not known to be right; wall is the
// wall clock's reading.
func (l *Layer) quietHours(wall time.Time) {
	q, end := l.cfg.quiet(wall)
	if !q {
		q, end = l.cfg.quiet(wall.Add(l.ahead()))
	}
	if !q && l.clockUnsynced() {
		q, end = true, time.Time{} // they end when the clock is synchronised
	}
	if q && !l.quietNow {
		l.auto.active, l.finale = false, finale{}
		if !l.resting { // a rest parked the rig already: it holds still
			l.aheadOfPlay()
			l.env.Park(l.cfg.Park)
		}
	}
	l.quietNow, l.quietEnd = q, end
}

// refusal says why chat may not play now, or "", and when play resumes,
// on the wall clock (zero: not known).
func (l *Layer) refusal() (actuators.Reason, time.Time) {
	switch {
	case l.quietNow:
		return actuators.ReasonQuietHours, l.resumes(l.quietEnd)
	case l.resting, l.finale.on:
		return actuators.ReasonCatResting, l.resumes(l.restEnd())
	}
	return "", time.Time{}
}

// restEnd is when the rest ends on the wall clock: the current one, or the
// one that follows the session's finish; zero if there is none.
func (l *Layer) restEnd() time.Time {
	switch {
	case l.resting:
		return l.onWallClock(l.lastAct.Add(l.cfg.Rest))
	case l.finale.on:
		return l.onWallClock(l.finale.until.Add(l.cfg.Rest))
	}
	return time.Time{}
}

// resumes is when play resumes, given until, when one of the holds ends (a
// rest, quiet hours): they chain, so a rest that ends in quiet hours lasts
// until they end, and quiet hours that end in a rest, until it ends. Zero
// (quiet hours held until the clock is synchronised) stays zero.
func (l *Layer) resumes(until time.Time) time.Time {
	if until.IsZero() {
		return until
	}
	rest := l.restEnd()
	for range 4 { // a rest is shorter than a day: it meets one quiet period at most
		if rest.After(until) {
			until = rest
		}
		q, end := l.cfg.quiet(until)
		if !q {
			q, end = l.cfg.quiet(until.Add(l.ahead())) // quiet hours park from the tick before
		}
		if !q || !end.After(until) {
			break
		}
		until = end
	}
	return until
}

// onWallClock puts t, an instant on the layer's clock (the envelope's), on
// the wall clock, which chat, the overlay and the gift credits read: the
// two differ while the envelope keeps to real time across a step of the
// wall clock. Zero stays zero.
func (l *Layer) onWallClock(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Add(l.clock.skew)
}

// switchesOnWallClock puts the times of the envelope's snapshot of its
// switches (when a request ends, a rest, a refusal) on the wall clock, as
// onWallClock does. Caller holds l.mu.
func (l *Layer) switchesOnWallClock(sw []safety.SwitchState) {
	for i := range sw {
		s := &sw[i]
		s.Until, s.OffAt, s.RestUntil = l.onWallClock(s.Until), l.onWallClock(s.OffAt), l.onWallClock(s.RestUntil)
	}
}

// request runs a chat request through the play rules: refused in rest and
// quiet hours; otherwise autoplay hands over and the envelope decides.
// When the envelope refuses until a time (a laser resting, the daily
// budget spent), that time is on its clock: it is put on the wall clock,
// which chat is told.
func (l *Layer) request(now time.Time, do func() safety.Report) safety.Report {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lastChat = now
	l.auto.active = false
	if r, until := l.refusal(); r != "" {
		l.count(r)
		return safety.Refuse(r, until)
	}
	rep := do()
	if !rep.Refused {
		l.aheadOfPlay()
	}
	rep.Until = l.onWallClock(rep.Until)
	return rep
}

func (l *Layer) count(r actuators.Reason) { l.counts[string(r)]++ }
