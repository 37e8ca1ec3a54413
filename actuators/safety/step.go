package safety

import (
	"context"
	"errors"
	"time"

	"github.com/cattease/cattease/actuators"
)

// Step advances the motion loop to now: the dead man, one tick of motion
// for every axis, then what every switch may emit during [now, now+Tick).
// Every "off" reaches the drivers before any angle of the same tick and
// every "on" after them, so a lit dot never sweeps across a keep-out zone.
// Any ledger write the tick needs happens after the envelope's lock is
// released: in Run by the writer goroutine, otherwise here.
func (e *Envelope) Step(ctx context.Context, now time.Time) {
	if job, ok := e.stepLocked(ctx, now); ok {
		e.writer.submit(job, e)
	}
}

// stepLocked is Step under the envelope's lock, released even if a
// driver panics: Run recovers the panic, halts every output and saves
// the ledger, which needs the lock.
func (e *Envelope) stepLocked(ctx context.Context, now time.Time) (ledgerFile, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.step(ctx, now)
	return e.ledger.job(now, e.windowLit(now), false)
}

func (e *Envelope) step(ctx context.Context, now time.Time) {
	if !e.started {
		e.start(ctx, now)
	} else if e.unknown > 0 && !e.stopped && !e.closing && !e.aborted.Load() && !e.faulted(now) && e.wantsMove() {
		e.homeLate(ctx, now)
	}
	if e.unknown == 0 && !e.holdEnd.IsZero() && !now.Before(e.holdEnd) {
		e.holdEnd = time.Time{} // over: a Step whose clock went back (a replay) does not bring it back
	}
	if !e.limpEnd.IsZero() && !now.Before(e.limpEnd) {
		e.limpEnd = time.Time{} // over, as the hold
	}
	prev := e.lastStep
	e.lastStep = now
	if !prev.IsZero() && now.After(prev) {
		e.chargeLit(now.Sub(prev))
	}
	if e.runClk != nil {
		e.steppedAt, e.steppedRun = e.runClk.realNow(), true
	}
	if e.stalled.Swap(false) {
		e.resync(prev, now)
	}
	for _, sl := range e.slots { // light that has left every window from now on
		if s := sl.sw; s != nil {
			s.log.prune(now.Add(e.cfg.Tick - s.window()))
		}
	}
	e.ledger.roll(now)
	if e.ledger.rolled {
		e.ledger.rolled = false
		e.log.Info("a new day: the daily laser budget starts again", "day", e.ledger.day, "budget", e.cfg.DailyLaser)
	}
	e.deadMan(now)
	prevPan, prevTilt := e.dot()
	wasLit := e.laserLit()
	if !prev.IsZero() {
		e.dwell.forget(prev) // as of the light's start: the spots it may add to
		e.dwell.accrue(wasLit, prev, now)
	}
	e.dwell.forget(now)
	moved := e.advanceAxes(now)
	pan, tilt := e.dot()
	e.dwell.moved(pan, tilt)
	want := e.switchTargets(now, prevPan, prevTilt, wasLit)
	e.sendSwitches(ctx, now, want, false) // offs first
	e.sendAxes(ctx, now, moved)
	e.sendSwitches(ctx, now, want, true) // then ons
	if e.pan != nil && moved[e.pan.Name] || e.tilt != nil && moved[e.tilt.Name] {
		e.moveFrom, e.moveAt = [2]float64{prevPan, prevTilt}, now
	}
	if lit := e.laserLit() || wasLit; lit || len(moved) > 0 {
		e.activity = now
		if lit || e.playMoved(moved) {
			e.played = now
		}
	}
}

// playMoved reports whether an axis that moved this tick went towards a
// target a request set, not a park's or a brake's. Caller holds e.mu.
func (e *Envelope) playMoved(moved map[string]bool) bool {
	for name := range moved {
		if !e.axes[name].parking {
			return true
		}
	}
	return false
}

// start switches everything off first, then homes each axis: its
// position is unknown (the old process left the servo anywhere), so it is
// sent home, and held there with the lasers dark until it has surely
// arrived (holding). The homing is no activity (LastActivity): a restart
// does not start a play session; clock.go's quiet still counts it. Under
// an emergency stop kept from before, the servos are not homed: they stay
// limp where they are until a resume and a move, a light, Home or a park
// (homeLate homes them first).
func (e *Envelope) start(ctx context.Context, now time.Time) {
	e.started = true
	e.lastReq = now
	for _, name := range e.order {
		if s, ok := e.switches[name]; ok {
			s.sentOnce = e.do(ctx, now, name, switchCmd(false)) == nil
		}
	}
	if !e.stopped {
		e.homed = now
	}
	for _, sl := range e.slots {
		if a := sl.ax; a != nil {
			if !e.stopped {
				e.home(ctx, now, a)
			}
			a.restSince = now
		}
	}
}

// wantsMove reports whether an axis has somewhere to go, a laser is asked
// for, or Home or a park was asked while an axis is unknown: each needs
// the servos where the envelope thinks they are.
func (e *Envelope) wantsMove() bool {
	if e.homeAsked {
		return true
	}
	for _, a := range e.axes {
		if a.target != a.pos {
			return true
		}
	}
	for _, s := range e.lasers {
		if s.on {
			return true
		}
	}
	return false
}

// holding reports whether the hold is on at now: an axis's position is
// unknown, or the latest homing was less than settle ago. The servo jumps
// home at its own speed from wherever it was (a crash, a braked stop, a
// homing write that failed): until it has surely arrived no laser lights,
// every axis is held at home, and none goes limp but by a stop. On a rig
// without a laser settle is 0: the hold is only while an axis is unknown.
func (e *Envelope) holding(now time.Time) bool {
	return e.unknown > 0 || !e.holdEnd.IsZero() && now.Before(e.holdEnd)
}

// homeLate homes the axes whose position is unknown when a move, a light,
// Home or a park is first asked after the resume of a stop kept from
// before start (not at the resume itself: a resume in quiet hours moves
// nothing), after a stop that made them limp during the hold, or after
// the fault's backoff when a homing write failed. The hold counts from
// this homing: everything is still and dark until it ends.
func (e *Envelope) homeLate(ctx context.Context, now time.Time) {
	e.homeAsked, e.homed = false, now
	for _, sl := range e.slots {
		if a := sl.ax; a != nil && !a.known {
			e.home(ctx, now, a)
		}
	}
}

// home sends an axis whose position is unknown home, from rest: its
// homing, once the driver takes it (sendAngle). Caller holds e.mu.
func (e *Envelope) home(ctx context.Context, now time.Time, a *axis) {
	a.pos, a.vel, a.landed = a.Home, 0, false
	e.sendAngle(ctx, now, a, false)
	a.restSince = now
}

// homedAxis records the delivered homing of an axis whose position was
// unknown: once every axis is known, the hold ends settle after the
// latest homing, now.
func (e *Envelope) homedAxis(now time.Time, a *axis) {
	a.known = true
	e.unknown--
	if e.unknown == 0 {
		e.holdEnd = now.Add(e.settle)
	}
}

// resync follows a watchdog stall: the watchdog switched everything off
// behind the envelope's back: every switch is dark, stays dark until asked
// again, and its state must be re-sent.
func (e *Envelope) resync(prev, now time.Time) {
	e.count(string(actuators.ReasonWatchdog))
	if e.laserLit() && !prev.IsZero() {
		e.dwell.dark(prev, now) // lit until now, for all it knows
	}
	for _, s := range e.switches {
		s.log.off(now)
		s.on, s.sent, s.sentOnce = false, false, false // dark until asked again
	}
}

func (e *Envelope) deadMan(now time.Time) {
	if e.cfg.DeadMan <= 0 || e.parked || now.Sub(e.lastReq) < e.cfg.DeadMan {
		return
	}
	e.parkAt(nil, true)
	e.count(string(actuators.ReasonDeadMan))
	e.log.Info("dead man: no command for a while; switches off, going home", "after", e.cfg.DeadMan)
}

// dot is where the pan/tilt axes point now.
func (e *Envelope) dot() (pan, tilt float64) {
	if e.pan != nil {
		pan = e.pan.pos
	}
	if e.tilt != nil {
		tilt = e.tilt.pos
	}
	return pan, tilt
}

// laserLit reports whether any laser is emitting light.
func (e *Envelope) laserLit() bool {
	for _, s := range e.lasers {
		if s.lit() {
			return true
		}
	}
	return false
}

// advanceAxes moves every axis one tick (but those a fault's backoff
// froze) and returns which send an angle. An emergency stop brakes each
// as hard as it may. A move lasts from the axis's last angle to now
// (moveTime).
func (e *Envelope) advanceAxes(now time.Time) map[string]bool {
	moved := e.movedBuf
	clear(moved)
	if e.holding(now) || e.homed.Equal(now) {
		return moved // held at home, or homed this tick: a move starts from there at rest
	}
	asked := e.limpRule && e.laserAsked()
	for _, sl := range e.slots {
		a := sl.ax
		if a == nil {
			continue
		}
		if !a.heldUntil.IsZero() && !now.Before(a.heldUntil) {
			a.heldUntil = time.Time{} // over: a Step whose clock went back does not bring it back
		}
		g, ok := e.moveTime(now, a) // a frozen axis too: it comes to rest
		switch {
		case !ok, e.frozen(now, a):
			ok = false
		case e.stopped:
			ok = a.brake(g, e.cfg.Tick)
		case e.limpRule && (!a.attached || !a.heldUntil.IsZero()):
			ok = e.limpAxis(now, a, asked) // rule limp: limp, or held still after its re-attach
		case a.duty.limit:
			ok = e.dutyAdvance(now, a, g)
		default:
			ok = a.advance(g, e.cfg.Tick)
		}
		if ok {
			moved[sl.name] = true
			a.restSince = now
		}
	}
	return moved
}

// moveTime is how long axis a's move this tick lasts, as the monitor
// reads the stream: from its last angle to now while it moves (a tick that
// comes early or late shortens or stretches it, and the change of velocity
// must fit accel times that), one nominal tick from rest. More than 2.5
// ticks after its last angle the axis has stopped (the loop stalled): it
// starts again from rest. false: no time has passed since its last angle.
func (e *Envelope) moveTime(now time.Time, a *axis) (time.Duration, bool) {
	if a.vel == 0 {
		return e.cfg.Tick, true
	}
	switch g := now.Sub(a.lastAt); {
	case g <= 0:
		return 0, false
	case g > e.cfg.Tick*5/2:
		a.vel, a.landed = 0, false // stalled: the servo stopped; start again from rest
		return e.cfg.Tick, true
	default:
		return g, true
	}
}

// ahead is how long what a tick decides may last: until the next tick,
// which comes within 2.5 nominal ticks unless the motion loop stalls (a
// longer gap, after which every move starts again from rest, and the
// watchdog switches everything off once it lasts Watchdog). A switch is
// lit at t only if every time-based limit allows it until t + ahead: a
// real-time tick that comes late, up to a stall, stretches none of them.
// On a virtual clock the next tick comes a nominal tick later, and the
// limits are a little stricter than they need be.
func (e *Envelope) ahead() time.Duration { return e.cfg.Tick * 5 / 2 }

// chargeLit charges the daily budget for the light of the last tick,
// which lasted gap, not the nominal tick its "on" charged: a real-time
// tick comes early or late, and the budget counts the light there was.
func (e *Envelope) chargeLit(gap time.Duration) {
	for _, s := range e.lasers {
		if s.lit() {
			e.ledger.spent += gap - e.cfg.Tick
		}
	}
}

// switchTargets decides every switch's emitted state from now until the
// next tick, which comes by now+ahead.
func (e *Envelope) switchTargets(now time.Time, prevPan, prevTilt float64, wasLit bool) map[string]bool {
	want := e.wantBuf
	clear(want)
	end := now.Add(e.ahead())
	lasers := 0
	for _, sl := range e.slots {
		s, name := sl.sw, sl.name
		if s == nil {
			continue
		}
		if s.on && end.After(s.offAt) {
			s.on = false // the request ran its time
		}
		s.reason, s.until = "", time.Time{}
		if !s.on {
			continue
		}
		r, until := e.emitRefusal(now, s, prevPan, prevTilt, wasLit, lasers)
		if r == waitLease {
			continue
		}
		if r != "" {
			s.reason, s.until = r, until
			continue
		}
		want[name] = true
		if s.Laser {
			lasers++
		}
	}
	return want
}

// emitRefusal says why a requested switch may not be lit this tick.
func (e *Envelope) emitRefusal(now time.Time, s *switchState, p0, t0 float64, wasLit bool, lasers int) (actuators.Reason, time.Time) {
	if r, until := e.switchRefusal(now, s); r != "" || !s.Laser {
		return r, until
	}
	if e.holding(now) || e.limpDark(now) {
		return waitLease, time.Time{} // dark until the servos are surely home, or driven again and surely back (limp.go)
	}
	if r, until := e.budgetRefusal(now, lasers+1); r != "" {
		return r, until
	}
	p1, t1 := e.dot()
	if e.crossesZone(p0, t0, p1, t1) || e.stillMoving(now) && e.crossesZone(e.moveFrom[0], e.moveFrom[1], p0, t0) {
		e.count("keep_out_blank")
		return actuators.ReasonKeepOut, time.Time{}
	}
	if !e.dwell.mayLight(now, e.ahead(), e.cfg.DwellCap) {
		e.count("dwell_blank")
		return actuators.ReasonDwell, time.Time{}
	}
	return "", time.Time{}
}

// switchRefusal is what keeps any switch dark, a request or a tick alike:
// a stop, the panel, shutting down, its light budget; for a laser also a
// driver fault.
func (e *Envelope) switchRefusal(now time.Time, s *switchState) (actuators.Reason, time.Time) {
	if r := e.gate(s); r != "" {
		return r, time.Time{}
	}
	if ok, until := s.log.mayLight(now, e.ahead(), s.MaxOn, s.window()); !ok {
		return actuators.ReasonResting, until
	}
	if s.Laser && e.faulted(now) {
		return actuators.ReasonFault, e.fault.until
	}
	return "", time.Time{}
}

// gate is what refuses a switch whatever its limits: a stop, the panel,
// shutting down.
func (e *Envelope) gate(s *switchState) actuators.Reason {
	switch {
	case e.closing || e.aborted.Load():
		return actuators.ReasonShuttingDown
	case e.stopped:
		return actuators.ReasonStopped
	case s.disabled:
		return actuators.ReasonDisabled
	}
	return ""
}

// waitLease keeps a laser dark for a tick while its lease is written, for
// the tick that runs past local midnight, or while a resumed rig homes; it
// is not shown as a reason.
const waitLease actuators.Reason = "wait_lease"

// budgetRefusal checks the daily budget and the ledger for n lit lasers.
func (e *Envelope) budgetRefusal(now time.Time, n int) (actuators.Reason, time.Time) {
	// A lit tick is charged to the day it starts in: one that ran past
	// midnight would light the new day for part of a tick its budget
	// never counts. The laser is dark for a tick that may do so instead.
	if e.cfg.DailyLaser > 0 && e.ledger.dayTurns(now, e.ahead()) {
		return waitLease, time.Time{}
	}
	ok, err := e.ledger.may(now, time.Duration(n)*e.ahead(), e.cfg.DailyLaser)
	switch {
	case ok, errors.Is(err, errLeasePending):
		if !ok {
			return waitLease, time.Time{}
		}
		return "", time.Time{}
	case err != nil:
		return actuators.ReasonLedger, time.Time{}
	}
	return actuators.ReasonDailyBudget, e.ledger.nextDay(now)
}

// stillMoving reports whether the servos may still be making the move of
// the last tick with an angle for the dot: a move is carried out during
// the nominal tick after its angles, and a real-time tick may come before
// that has passed. A laser lit now lights the rest of that move too.
func (e *Envelope) stillMoving(now time.Time) bool {
	return !e.moveAt.IsZero() && now.Sub(e.moveAt) < e.cfg.Tick
}

// crossesZone reports whether a lit dot moving from (p0, t0) to (p1, t1)
// would sit in or sweep across a keep-out zone or an alias of one. The
// axes are written one at a time and the servos then move together, each
// at its own speed and acceleration: the dot may take either L-shaped
// path, the straight one, or any curve between them that moves each axis
// one way. All of them lie in the box between the two dots (Zone.Sweeps).
func (e *Envelope) crossesZone(p0, t0, p1, t1 float64) bool {
	pl, ph, tl, th := min(p0, p1), max(p0, p1), min(t0, t1), max(t0, t1)
	for _, z := range e.zones {
		if ph > z.PanMin && pl < z.PanMax && th > z.TiltMin && tl < z.TiltMax { // z.Sweeps, the box worked out once
			return true
		}
	}
	return false
}

// sendSwitches sends the offs (on false) or the ons of want. An on is
// checked again just before it is sent: the axes' writes come between the
// plan and the ons, and while they were written a driver may have failed
// (lasers off) or the watchdog may have switched everything off (a write,
// or the trace, stalled past it); either stands until the next Step.
func (e *Envelope) sendSwitches(ctx context.Context, now time.Time, want map[string]bool, on bool) {
	for _, sl := range e.slots {
		s, name := sl.sw, sl.name
		if s == nil || want[name] != on || (s.sentOnce && s.sent == on) {
			continue
		}
		if on && (!s.on || s.Laser && (e.faulted(now) || e.holding(now) || e.limpDark(now)) || e.stalled.Load()) {
			continue
		}
		if e.do(ctx, now, name, switchCmd(on)) != nil {
			if on {
				s.on = false // a switch we cannot command is treated as off
			}
			continue
		}
		s.sent, s.sentOnce = on, true
		if on {
			s.log.on(now)
		} else {
			s.log.off(now)
		}
	}
	if on { // charge the day's budget for the lasers lit this tick
		for _, s := range e.lasers {
			if s.lit() {
				e.ledger.charge(now, e.cfg.Tick, e.cfg.DailyLaser)
			}
		}
	}
}

func (e *Envelope) sendAxes(ctx context.Context, now time.Time, moved map[string]bool) {
	for _, sl := range e.slots {
		a := sl.ax
		switch {
		case a == nil:
		case moved[sl.name] && !e.frozen(now, a): // frozen since the plan: a laser's off failed
			e.sendAngle(ctx, now, a, true)
		case !a.attached:
		case e.limpRule && e.laserHeld(): // rule limp: no servo goes limp under a lit or asked-for laser (limp.go)
		case e.stopped && e.frozen(now, a):
			e.detach(ctx, now, a) // it can get no angle to brake with: limp at once
		case !a.settled():
		case e.stopped, a.DetachAfter > 0 && now.Sub(a.restSince) >= a.DetachAfter && !e.holding(now):
			e.detach(ctx, now, a) // during the hold, only a stop makes a servo limp
		}
	}
}

// sendAngle sends the axis's position. A moving axis sends every tick,
// its turning point too (the same angle twice): the stream then shows the
// tick it stood still, which a late real-time tick does not.
//
// An axis whose position is unknown is sent nothing but its home.
func (e *Envelope) sendAngle(ctx context.Context, now time.Time, a *axis, moving bool) {
	if a.attached && a.sent == a.pos && !moving || !a.known && a.pos != a.Home {
		return
	}
	a.lastAt = now
	if e.do(ctx, now, a.Name, actuators.Command{Action: actuators.ActionAngle, Value: a.pos}) == nil {
		a.sent, a.attached = a.pos, true
		a.sentAt, a.sentVel, a.sentLanded = now, a.vel, a.landed
		if !a.known {
			e.homedAxis(now, a)
		}
	}
	a.duty.record(now) // sent or not, it counts against the servo's duty
}

// detach makes the servo limp. Limp during the hold (a stop), it may be
// anywhere the homing had not yet brought it: its position is unknown
// again, and it is homed again after the resume.
func (e *Envelope) detach(ctx context.Context, now time.Time, a *axis) {
	if e.do(ctx, now, a.Name, actuators.Command{Action: actuators.ActionDetach}) == nil {
		if a.known && e.holding(now) {
			a.known = false
			e.unknown++
		}
		a.attached, a.vel, a.landed = false, 0, false
		a.sentVel, a.sentLanded = 0, false // limp: its next angle starts from rest
	}
}

func switchCmd(on bool) actuators.Command {
	v := 0.0
	if on {
		v = 1
	}
	return actuators.Command{Action: actuators.ActionSwitch, Value: v}
}
