package safety

import (
	"context"
	"time"

	"github.com/cattease/cattease/actuators"
)

// Step advances the motion loop to now: switches past their time go off,
// the dead man parks an unattended rig, every axis moves one tick toward
// its target, and idle axes detach. Every change goes to its driver.
// Call it once per Tick; replay calls it with virtual times.
func (e *Envelope) Step(ctx context.Context, now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.started {
		e.start(ctx, now)
	}
	e.deadMan(now)
	for _, name := range e.order {
		if s, ok := e.switches[name]; ok {
			e.stepSwitch(ctx, now, s)
		}
	}
	for _, name := range e.order {
		if a, ok := e.axes[name]; ok {
			e.stepAxis(ctx, now, a)
		}
	}
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

func (e *Envelope) deadMan(now time.Time) {
	if e.cfg.DeadMan <= 0 || e.parked || now.Sub(e.lastReq) < e.cfg.DeadMan {
		return
	}
	e.parked = true
	for _, s := range e.switches {
		s.on = false
	}
	for _, a := range e.axes {
		a.target = a.Home
	}
	e.log.Info("dead man: no command for a while; switches off, going home", "after", e.cfg.DeadMan)
}

func (e *Envelope) stepSwitch(ctx context.Context, now time.Time, s *switchState) {
	s.expire(now)
	if e.stopped {
		s.on = false
	}
	if s.sentOnce && s.on == s.sent {
		return
	}
	if e.do(ctx, now, s.Name, switchCmd(s.on)) == nil {
		s.sent, s.sentOnce = s.on, true
	} else if s.on {
		s.on = false // a switch we cannot command is treated as off
	}
}

func (e *Envelope) stepAxis(ctx context.Context, now time.Time, a *axis) {
	if e.stopped {
		if a.attached {
			e.detach(ctx, now, a)
		}
		return
	}
	if a.advance(e.cfg.Tick) {
		e.sendAngle(ctx, now, a)
		a.restSince = now
		return
	}
	if !a.attached {
		return
	}
	if a.DetachAfter > 0 && now.Sub(a.restSince) >= a.DetachAfter {
		e.detach(ctx, now, a)
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
