package safety

import "time"

// Rule limp (rigs with a laser; invariant 11): while any servo axis is
// detached, every laser is dark. A limp servo goes wherever a cat or a
// bump pushes it, and at its next angle it snaps back at its own top
// speed: a lit dot on it would keep to no ceiling or keep-out zone. So a
// servo never goes limp while a laser is lit or asked for (it stays
// driven instead), and a limp one is woken (a move or a light asked for)
// by re-attaching it at its last angle, the angle it holds, alone, with
// every laser dark, for settle, the whole-range rest-to-rest time of the
// hold after a homing; then it moves, and the laser lights. A park (the
// dead man's, the play layer's, the exit's, a stop's brake) leaves a limp
// or held servo where it is: waking it would hold it for settle before
// the park's move, longer than a park may take.

// limpDark reports whether rule limp keeps every laser dark at now: an
// axis is limp, or one re-attached is held still until limpEnd. Caller
// holds e.mu.
func (e *Envelope) limpDark(now time.Time) bool {
	if !e.limpRule {
		return false
	}
	if now.Before(e.limpEnd) {
		return true
	}
	for _, sl := range e.slots {
		if a := sl.ax; a != nil && !a.attached {
			return true
		}
	}
	return false
}

// laserHeld reports whether a laser is lit or asked for: on a laser rig
// no servo goes limp then. Caller holds e.mu.
func (e *Envelope) laserHeld() bool {
	for _, s := range e.lasers {
		if s.on || s.lit() {
			return true
		}
	}
	return false
}

// laserAsked reports whether a laser is asked for: it wakes a limp servo.
func (e *Envelope) laserAsked() bool {
	for _, s := range e.lasers {
		if s.on {
			return true
		}
	}
	return false
}

// limpAxis is advanceAxes' tick for a known axis of a laser rig that is
// limp, or held still after its re-attach: it reports whether an angle is
// to be sent, the re-attach, at its last angle, from rest. It is woken by
// a target elsewhere or a laser asked for (asked), unless a park set its
// target: a park leaves it where it is. Caller holds e.mu.
func (e *Envelope) limpAxis(now time.Time, a *axis, asked bool) bool {
	room := e.dutyRoom(now, a) // a rested axis plays again: its requests are taken again
	switch {
	case a.parking:
		a.target = a.pos // a park leaves it where it is
		return false
	case a.attached: // held still after its re-attach
		return false
	case a.target == a.pos && !asked, !room:
		return false
	}
	a.pos, a.vel, a.landed = a.sent, 0, false
	a.heldUntil = now.Add(e.settle)
	if a.heldUntil.After(e.limpEnd) {
		e.limpEnd = a.heldUntil
	}
	for _, s := range e.lasers {
		e.delayLight(s)
	}
	e.count("limp_hold")
	e.log.Debug("a limp servo re-attached: held still, the laser dark, until it has surely got back", "axis", a.Name, "until", a.heldUntil)
	return true
}

// delayLight starts a laser's asked time when rule limp lets it light
// (limpEnd), if it is not lit yet: a request shorter than the hold is not
// answered ok and then never lit. Caller holds e.mu.
func (e *Envelope) delayLight(s *switchState) {
	if !s.on || s.lit() || s.asked <= 0 {
		return
	}
	if end := e.limpEnd.Add(s.asked); end.After(s.offAt) {
		s.offAt = end
	}
}

// dutyRoom reports whether a duty-limited axis has room for a tick of
// motion and a park in reserve, and ends its rest once it has rested, as
// dutyAdvance does (true for an axis without a duty limit). Caller holds
// e.mu.
func (e *Envelope) dutyRoom(now time.Time, a *axis) bool {
	d := &a.duty
	if !d.limit {
		return true
	}
	used := d.used(now, a.DutyWindow)
	reserve := a.parkTicks(e.cfg.Tick)
	if d.rest && a.settled() && used <= d.restedAt(reserve) {
		d.rest = false
	}
	return !d.rest && used+1+reserve <= d.cap
}
