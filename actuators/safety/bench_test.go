package safety

import (
	"context"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// BenchmarkStep is one 50 Hz tick of the motion loop with the laser on and
// both axes moving: pan/tilt with acceleration, two keep-out zones, dwell
// cap, daily budget, sessions and quiet hours configured.
func BenchmarkStep(b *testing.B) {
	ceil := 42.0
	env, err := NewAt(Config{
		Axes: []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600, DetachAfter: 2 * time.Second},
			{Name: "tilt", Min: 5, Max: 40, Home: 20, Speed: 60, Accel: 400}},
		Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Hour}},
		PanAxis:  "pan", TiltAxis: "tilt", Ceiling: &ceil,
		Zones:    []Zone{{PanMin: -45, PanMax: -32, TiltMin: 28, TiltMax: 40}, {PanMin: 30, PanMax: 45, TiltMin: 34, TiltMax: 40}},
		DwellCap: 4 * time.Second, DailyLaser: time.Hour, Location: time.UTC, ZoneMargin: 1,
	}, map[string]actuators.Actuator{
		"pan": mock.New("pan", actuators.KindAxis, mock.Limits{}, nil), "tilt": mock.New("tilt", actuators.KindAxis, mock.Limits{}, nil),
		"laser": mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}, t0)
	if err != nil {
		b.Fatal(err)
	}
	now := t0
	env.Switch(now, "laser", true, 0)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%50 == 0 { // a new target every second keeps both axes moving
			env.MoveTo(now, "pan", float64(i%80-40))
			env.MoveTo(now, "tilt", float64(10+i%25))
		}
		env.Step(context.Background(), now)
		now = now.Add(env.Tick())
	}
}
