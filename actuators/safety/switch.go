package safety

import (
	"math"
	"time"

	"github.com/cattease/cattease/actuators"
)

// SwitchLimits bound one on/off output.
type SwitchLimits struct {
	Name string
	// MaxOn is the light budget: in every window of MaxOn + Cooldown the
	// switch is on for at most MaxOn, however it is toggled. Must be > 0.
	MaxOn time.Duration
	// Cooldown is the dark part of that window. A laser's 0 means MaxOn:
	// without it the budget would refuse nothing.
	Cooldown time.Duration
	// Laser marks a laser: the ceiling, keep-out zones, dwell cap and
	// daily budget apply to it.
	Laser bool
}

// window is the light budget's window length; it saturates rather than
// wrap round, which would put the window in the future and allow any
// light.
func (s SwitchLimits) window() time.Duration {
	if w := s.MaxOn + s.Cooldown; w >= s.MaxOn {
		return w
	}
	return math.MaxInt64
}

type switchState struct {
	SwitchLimits
	on       bool          // requested on
	offAt    time.Time     // when the request ends
	asked    time.Duration // how long the request was granted: a limp servo's hold delays its light that long (limp.go)
	sent     bool          // state last sent to the driver: the emitted state
	sentOnce bool          // the driver has been told at least once
	disabled bool          // the panel forbade it
	log      lightLog      // when it was lit, for the light budget
	reason   actuators.Reason
	until    time.Time // when reason ends, if known
}

// lit reports whether the switch is emitting light.
func (s *switchState) lit() bool { return s.sent && s.sentOnce }
