package safety

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// litFor asks for the laser at every tick for d and returns how long it
// was lit.
func (r *rig) litFor(d time.Duration) time.Duration {
	lit := time.Duration(0)
	for end := r.now.Add(d); r.now.Before(end); {
		r.env.Switch(r.now, "laser", true, 0)
		r.step(1)
		if r.lz.State().On {
			lit += r.env.Tick()
		}
	}
	return lit
}

// TestLaserWithoutCooldownRests: a laser configured with no cooldown
// still rests as long as it may shine. With none, the budget (MaxOn in
// every MaxOn + Cooldown) would refuse nothing, and a viewer asking again
// and again would keep it lit for ever.
func TestLaserWithoutCooldownRests(t *testing.T) {
	r := newRig(t, func(c *Config) {
		c.Switches = []SwitchLimits{{Name: "laser", Laser: true, MaxOn: 5 * time.Second}}
	})
	if lit := r.litFor(time.Minute); lit > 31*time.Second {
		t.Fatalf("asked for at every tick for a minute, lit %v with max_on 5s and no cooldown: want at most half", lit)
	}
}

// TestHugeCooldownDoesNotWrapTheBudget: a cooldown so long that MaxOn +
// Cooldown overflows must not put the budget's window in the future,
// which would allow any light.
func TestHugeCooldownDoesNotWrapTheBudget(t *testing.T) {
	r := newRig(t, func(c *Config) {
		c.Switches = []SwitchLimits{{Name: "laser", Laser: true, MaxOn: 5 * time.Second, Cooldown: math.MaxInt64 - time.Second}}
	})
	if lit := r.litFor(time.Minute); lit > 5*time.Second+r.env.Tick() {
		t.Fatalf("lit %v in a minute with max_on 5s and a cooldown of centuries", lit)
	}
}

// TestTiltBelowMinusTheCeilingRefused: tilt 0° points straight down, so a
// negative tilt leans the other way; a tilt range reaching −ceiling would
// take a laser's beam as far from the floor as the ceiling forbids. A
// wand's feather has no beam: its ceiling bounds only how high it lifts.
func TestTiltBelowMinusTheCeilingRefused(t *testing.T) {
	ceil := 42.0
	outs := map[string]actuators.Actuator{
		"pan":   mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
		"tilt":  mock.New("tilt", actuators.KindAxis, mock.Limits{}, nil),
		"laser": mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}
	for _, laser := range []bool{true, false} {
		var sw []SwitchLimits
		if laser {
			sw = []SwitchLimits{{Name: "laser", Laser: true, MaxOn: 5 * time.Second}}
		}
		for min, ok := range map[float64]bool{-89: !laser, -42: !laser, -41: true, 5: true} {
			_, err := New(Config{Axes: []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90}, {Name: "tilt", Min: min, Max: 40, Home: 20, Speed: 90}},
				Switches: sw, PanAxis: "pan", TiltAxis: "tilt", Ceiling: &ceil}, outs)
			if (err == nil) != ok || err != nil && !strings.Contains(err.Error(), "−ceiling") {
				t.Errorf("laser %v, tilt minimum %v° with a 42° ceiling: %v", laser, min, err)
			}
		}
	}
}
