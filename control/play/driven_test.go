package play

import "github.com/cattease/cattease/actuators/safety"

// driven keeps every servo of a rig driven (no detach_after): on a laser
// rig a limp servo is re-attached and held still, the laser dark, before
// it moves again, and a park leaves it where it is (rule limp,
// actuators/safety/limp.go). Tests of sessions, parks and the clock that
// are not about that use it.
func driven(c *safety.Config) {
	for i := range c.Axes {
		c.Axes[i].DetachAfter = 0
	}
}
