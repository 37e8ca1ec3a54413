package safety

import "time"

// SwitchLimits bound one on/off output.
type SwitchLimits struct {
	Name string
	// MaxOn is the longest continuous on-period; the switch goes off when
	// it runs out, whatever was asked. Must be > 0.
	MaxOn time.Duration
	// Cooldown is the forced off-time after an on-period that hit MaxOn.
	Cooldown time.Duration
	// Laser marks a laser: the ceiling, keep-out zones, dwell cap, daily
	// budget and sessions apply to it.
	Laser bool
}

type switchState struct {
	SwitchLimits
	on        bool
	sent      bool      // state last sent to the driver
	sentOnce  bool      // the driver has been told at least once
	onSince   time.Time // start of the current on-period
	offAt     time.Time // requested end of the on-period (zero = MaxOn)
	restUntil time.Time // cooldown end
	disabled  bool      // the panel forbade it
	litOnce   bool      // this on-period has reached the driver
}

// deadline is when the current on-period must end.
func (s *switchState) deadline() time.Time {
	capAt := s.onSince.Add(s.MaxOn)
	if !s.offAt.IsZero() && s.offAt.Before(capAt) {
		return s.offAt
	}
	return capAt
}

// expire switches off a switch whose on-period ran out, starting its
// cooldown when the cap (not the request) ended it.
func (s *switchState) expire(now time.Time) {
	if !s.on || now.Before(s.deadline()) {
		return
	}
	if !now.Before(s.onSince.Add(s.MaxOn)) {
		s.restUntil = s.onSince.Add(s.MaxOn).Add(s.Cooldown)
	}
	s.on, s.litOnce = false, false
}
