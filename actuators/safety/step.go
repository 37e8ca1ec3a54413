package safety

import (
	"context"
	"time"

	"github.com/cattease/cattease/actuators"
)

// Step advances the motion loop to now. In order: the session clock (rest,
// quiet hours, the end-of-session ritual), the dead man, autoplay, one tick
// of motion for every axis, then what every switch may do this tick. A
// laser goes dark on the very tick its dot would cross a keep-out zone or
// has dwelt too long, and every "off" reaches the drivers before any angle
// of the same tick, every "on" after them: no sequence of outputs ever has
// a lit dot crossing a zone. Call it once per Tick.
func (e *Envelope) Step(ctx context.Context, now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.started {
		e.start(ctx, now)
	}
	e.lastStep = now
	if e.stalled.Swap(false) {
		e.resync()
	}
	e.ledger.roll(now)
	e.stepSession(now)
	e.deadMan(now)
	e.stepAutoplay(now)
	prevPan, prevTilt := e.dot()
	moved := e.advanceAxes(now)
	e.updateDwell(moved)
	want := e.switchTargets(now, prevPan, prevTilt)
	e.sendSwitches(ctx, now, want, false) // offs first
	e.sendAxes(ctx, now, moved)
	e.sendSwitches(ctx, now, want, true) // then ons
	e.account(now, want)
}

// start switches everything off first, then puts each axis at home.
func (e *Envelope) start(ctx context.Context, now time.Time) {
	e.started = true
	e.lastReq = now
	for _, name := range e.order {
		if s, ok := e.switches[name]; ok {
			s.sentOnce = e.do(ctx, now, name, switchCmd(false)) == nil
		}
	}
	for _, name := range e.order {
		if a, ok := e.axes[name]; ok {
			e.sendAngle(ctx, now, a)
			a.restSince = now
		}
	}
}

// resync follows a watchdog stall: the watchdog switched everything off
// behind the envelope's back, so every switch is off and must be re-sent.
func (e *Envelope) resync() {
	e.count("watchdog")
	for _, s := range e.switches {
		s.on, s.sentOnce = false, false
	}
}

func (e *Envelope) deadMan(now time.Time) {
	if e.cfg.DeadMan <= 0 || e.parked || e.auto.active || now.Sub(e.lastReq) < e.cfg.DeadMan {
		return
	}
	e.parked = true
	e.playStart = time.Time{} // an abandoned session ends without a rest
	for _, s := range e.switches {
		s.on = false
	}
	for _, a := range e.axes {
		a.target = a.Home
	}
	e.count("dead_man")
	e.log.Info("dead man: no command for a while; switches off, going home", "after", e.cfg.DeadMan)
}

// dot is where the pan/tilt axes point now.
func (e *Envelope) dot() (pan, tilt float64) {
	if a, ok := e.axes[e.cfg.PanAxis]; ok {
		pan = a.pos
	}
	if a, ok := e.axes[e.cfg.TiltAxis]; ok {
		tilt = a.pos
	}
	return pan, tilt
}

// advanceAxes moves every axis one tick (not during a stop, or while a
// fault backs off) and returns which moved.
func (e *Envelope) advanceAxes(now time.Time) map[string]bool {
	moved := e.movedBuf
	clear(moved)
	if e.stopped || e.faulted(now) {
		return moved
	}
	for name, a := range e.axes {
		if a.advance(e.cfg.Tick) {
			moved[name] = true
			a.restSince = now
		}
	}
	return moved
}

// updateDwell counts how long a laser has been asked to shine on a dot
// that does not move.
func (e *Envelope) updateDwell(moved map[string]bool) {
	lit := false
	for _, s := range e.switches {
		lit = lit || (s.Laser && s.on)
	}
	if !lit || moved[e.cfg.PanAxis] || moved[e.cfg.TiltAxis] {
		e.stillFor = 0
		return
	}
	e.stillFor += e.cfg.Tick
}

// switchTargets decides every switch's state for this tick.
func (e *Envelope) switchTargets(now time.Time, prevPan, prevTilt float64) map[string]bool {
	want := e.wantBuf
	clear(want)
	pan, tilt := e.dot()
	for name, s := range e.switches {
		// Expire as of the end of this tick, so no on-period outlasts
		// MaxOn or its request, even by part of a tick.
		s.expire(now.Add(e.cfg.Tick - 1))
		if name == e.treatOn && !s.on {
			e.treatOn = ""
		}
		on := s.on && !e.stopped
		if on && s.Laser {
			on = e.switchRefusal(now, s) == "" && !e.blank(prevPan, prevTilt, pan, tilt)
			if !on && e.switchRefusal(now, s) != "" {
				s.on = false // refused for good (budget, session, fault): the request ends
			}
		}
		want[name] = on
	}
	return want
}

// blank reports whether a lit dot must go dark this tick: it would sweep
// across or sit inside a keep-out zone, or it has dwelt too long.
//
// Outputs reach the drivers one axis at a time, so besides the straight
// path (the servos move together) both L-shaped paths count.
func (e *Envelope) blank(p0, t0, p1, t1 float64) bool {
	for _, z := range e.cfg.Zones {
		if z.Crosses(p0, t0, p1, t1) || z.Crosses(p0, t0, p1, t0) || z.Crosses(p1, t0, p1, t1) ||
			z.Crosses(p0, t0, p0, t1) || z.Crosses(p0, t1, p1, t1) {
			e.count("keep_out_blank")
			return true
		}
	}
	if e.cfg.DwellCap > 0 && e.stillFor >= e.cfg.DwellCap {
		e.count("dwell_blank")
		return true
	}
	return false
}

func (e *Envelope) sendSwitches(ctx context.Context, now time.Time, want map[string]bool, on bool) {
	for _, name := range e.order {
		s, ok := e.switches[name]
		if !ok || want[name] != on || (s.sentOnce && s.sent == on) {
			continue
		}
		if e.do(ctx, now, name, switchCmd(on)) == nil {
			if on && !s.sent && !s.litOnce {
				s.onSince, s.litOnce = now, true // MaxOn counts from the first light
			}
			s.sent, s.sentOnce = on, true
		} else if on {
			s.on = false // a switch we cannot command is treated as off
		}
	}
}

func (e *Envelope) sendAxes(ctx context.Context, now time.Time, moved map[string]bool) {
	for _, name := range e.order {
		a, ok := e.axes[name]
		switch {
		case !ok:
		case e.stopped && a.attached:
			e.detach(ctx, now, a)
		case moved[name] && !e.faulted(now):
			e.sendAngle(ctx, now, a)
		case a.attached && a.DetachAfter > 0 && now.Sub(a.restSince) >= a.DetachAfter:
			e.detach(ctx, now, a)
		}
	}
}

// account charges this tick's laser light to the day's budget and stops
// a laser whose budget ran out.
func (e *Envelope) account(now time.Time, want map[string]bool) {
	if e.cfg.DailyLaser <= 0 {
		return
	}
	lit := false
	for name, s := range e.switches {
		lit = lit || (s.Laser && want[name] && s.sent)
	}
	if !lit {
		return
	}
	e.ledger.addLaser(e.cfg.Tick)
	if e.ledger.Laser+e.cfg.Tick > e.cfg.DailyLaser {
		e.count("daily_budget")
		for _, s := range e.switches {
			if s.Laser {
				s.on = false
			}
		}
	}
}

func (e *Envelope) sendAngle(ctx context.Context, now time.Time, a *axis) {
	if a.attached && a.sent == a.pos {
		return
	}
	if e.do(ctx, now, a.Name, actuators.Command{Action: actuators.ActionAngle, Value: a.pos}) == nil {
		a.sent, a.attached = a.pos, true
	}
}

func (e *Envelope) detach(ctx context.Context, now time.Time, a *axis) {
	if e.do(ctx, now, a.Name, actuators.Command{Action: actuators.ActionDetach}) == nil {
		a.attached = false
	}
}

func switchCmd(on bool) actuators.Command {
	v := 0.0
	if on {
		v = 1
	}
	return actuators.Command{Action: actuators.ActionSwitch, Value: v}
}
