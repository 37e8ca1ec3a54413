package safety

import "time"

// SessionConfig shapes play into healthy sessions. The zero value means no
// sessions: chat may play at any time (within every other limit).
type SessionConfig struct {
	// MaxPlay is the longest play session; then the rig rests for Rest.
	// A session starts with the first request or autoplay move after a
	// pause, and ends early when the dead man parks the rig.
	MaxPlay time.Duration
	Rest    time.Duration
	// QuietFrom and QuietTo are times of day (offsets from midnight in
	// Location): between them chat control and the laser are off. Equal
	// values mean no quiet hours; QuietFrom > QuietTo spans midnight.
	QuietFrom, QuietTo time.Duration
	// Park is where a session ends (pan, tilt): a catchable spot or a toy,
	// so the chase ends in a catch. Nil means home.
	Park *[2]float64
	// Treat names a switch pulsed for TreatFor at the end of a session, at
	// most TreatsPerDay times a day ("" = no treats).
	Treat        string
	TreatFor     time.Duration
	TreatsPerDay int
}

func (c SessionConfig) quiet() bool { return c.QuietFrom != c.QuietTo }

// Session phases.
const (
	PhaseOff   = "off"
	PhasePlay  = "play"
	PhaseRest  = "rest"
	PhaseQuiet = "quiet"
)

// inQuiet reports whether now falls in quiet hours, and when they end.
func (e *Envelope) inQuiet(now time.Time) (bool, time.Time) {
	c := e.cfg.Session
	if !c.quiet() {
		return false, time.Time{}
	}
	t := now.In(e.cfg.Location)
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, e.cfg.Location)
	tod := t.Sub(midnight)
	if c.QuietFrom < c.QuietTo {
		return tod >= c.QuietFrom && tod < c.QuietTo, midnight.Add(c.QuietTo)
	}
	if tod >= c.QuietFrom {
		return true, midnight.AddDate(0, 0, 1).Add(c.QuietTo)
	}
	return tod < c.QuietTo, midnight.Add(c.QuietTo)
}

// phase is the session phase at now and when it ends by the clock.
func (e *Envelope) phase(now time.Time) (string, time.Time) {
	if q, until := e.inQuiet(now); q {
		return PhaseQuiet, until
	}
	if now.Before(e.restUntil) {
		return PhaseRest, e.restUntil
	}
	if e.cfg.Session.MaxPlay <= 0 {
		return PhaseOff, time.Time{}
	}
	if e.playStart.IsZero() {
		return PhasePlay, time.Time{}
	}
	return PhasePlay, e.playStart.Add(e.cfg.Session.MaxPlay)
}

// playRefusal says why play is not allowed at now, or "" if it is.
func (e *Envelope) playRefusal(now time.Time) (string, time.Time) {
	switch ph, until := e.phase(now); ph {
	case PhaseQuiet:
		return "quiet_hours", until
	case PhaseRest:
		return "cat_resting", until
	}
	return "", time.Time{}
}

// play notes play activity at now, starting a session if none runs.
func (e *Envelope) play(now time.Time) {
	if e.cfg.Session.MaxPlay > 0 && e.playStart.IsZero() {
		e.playStart = now
	}
}

// stepSession ends a session that ran its time and keeps everything off
// during rest and quiet hours. Caller holds e.mu.
func (e *Envelope) stepSession(now time.Time) {
	ph, until := e.phase(now)
	if ph == PhasePlay && !e.playStart.IsZero() && !now.Before(until) {
		e.endSession(now)
		ph = PhaseRest
	}
	if ph != PhaseQuiet && ph != PhaseRest {
		e.calm = false
		return
	}
	if !e.calm { // entering rest or quiet: lights off, park once
		e.calm = true
		e.park()
	}
	for _, s := range e.switches {
		if s.Name != e.treatOn {
			s.on = false
		}
	}
	e.auto.active = false
}

// endSession runs the end-of-session ritual and starts the rest.
func (e *Envelope) endSession(now time.Time) {
	c := e.cfg.Session
	e.playStart = time.Time{}
	e.restUntil = now.Add(c.Rest)
	e.calm = true
	e.park()
	e.log.Info("play session over; resting", "until", e.restUntil)
	if s, ok := e.switches[c.Treat]; ok && e.ledger.Treats < c.TreatsPerDay {
		e.ledger.Treats++
		e.ledger.save()
		s.on, s.onSince, s.offAt = true, now, now.Add(c.TreatFor)
		e.treatOn = s.Name
	}
}

// park sends the lit dot off and the axes to the park spot (or home).
func (e *Envelope) park() {
	for _, s := range e.switches {
		s.on = false
	}
	for _, a := range e.axes {
		a.target = a.Home
	}
	if p := e.cfg.Session.Park; p != nil {
		if a, ok := e.axes[e.cfg.PanAxis]; ok {
			a.target, _ = a.clamp(p[0])
		}
		if a, ok := e.axes[e.cfg.TiltAxis]; ok {
			a.target, _ = a.clamp(p[1])
		}
	}
}
