package monitor_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
)

// TestEnvelopeDwellAgainstTheMonitor drives the envelope with a lit dot
// that hops about a few spots, in steps of tilt that land exactly one
// radius of beam angle away (a meridian is a great circle) and steps of
// pan that land about a third of theirs away (tilt 17°–23°), comes back
// to spots just as their light leaves the window, and toggles; the
// monitor, written from invariant 5 and not from the envelope, must find
// no dwell over the cap. The envelope once counted such a dot on another
// spot than the monitor did, and remembered spots part of a window
// longer.
func TestEnvelopeDwellAgainstTheMonitor(t *testing.T) {
	blanks := uint64(0)
	steps := [][2]float64{{0.28, 0.96}, {-0.28, -0.96}, {0.96, 0.28}, {-0.96, -0.28}, {1, 0}, {-1, 0}, {0.8, 0}, {-0.8, 0}, {0, 1}, {0, -1}, {0, 0}}
	for seed := range uint64(60) {
		r := rand.New(rand.NewPCG(seed, 7))
		const capd = 2 * time.Second
		mon := monitor.New(monitor.Limits{DwellCap: capd, DwellRadius: 1,
			Axes: []monitor.AxisLimits{{Name: "pan", Role: "pan", Min: -45, Max: 45, Speed: 1000},
				{Name: "tilt", Role: "tilt", Min: 0, Max: 60, Home: 20, Speed: 1000}},
			Switches: []monitor.SwitchLimits{{Name: "laser", Laser: true}}})
		cfg := safety.Config{DwellCap: capd, DwellRadius: 1, PanAxis: "pan", TiltAxis: "tilt",
			Axes: []safety.AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 1000},
				{Name: "tilt", Min: 0, Max: 60, Home: 20, Speed: 1000}},
			Switches: []safety.SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Hour, Cooldown: time.Second}},
			OnOutput: func(o safety.Output) {
				action := string(o.Action)
				if o.Action == actuators.ActionAngle {
					action = "move"
				}
				mon.Output(monitor.Event{Time: o.Time, Target: o.Target, Action: action, Value: o.Value, Failed: o.Err != nil})
			}}
		t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
		env, err := safety.NewAt(cfg, map[string]actuators.Actuator{
			"pan": mock.New("pan", actuators.KindAxis, mock.Limits{}, nil), "tilt": mock.New("tilt", actuators.KindAxis, mock.Limits{}, nil),
			"laser": mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}, t0)
		if err != nil {
			t.Fatal(err)
		}
		now, pan, tilt := t0, 0.0, 20.0
		env.Switch(now, "laser", true, 0)
		for i := range 3000 { // a minute
			if i%(5+r.IntN(40)) == 0 {
				s := steps[r.IntN(len(steps))]
				pan, tilt = min(3, max(-3, pan+s[0])), min(23, max(17, tilt+s[1]))
				env.MoveTo(now, "pan", pan)
				env.MoveTo(now, "tilt", tilt)
			}
			if r.IntN(150) == 0 {
				env.Switch(now, "laser", r.IntN(3) > 0, 0)
			}
			env.Step(context.Background(), now)
			now = now.Add(env.Tick())
		}
		mon.End(now)
		for _, v := range mon.Violations() {
			t.Errorf("seed %d: %v", seed, v)
		}
		blanks += env.Snapshot().Counts["dwell_blank"]
	}
	if blanks == 0 {
		t.Fatal("the dwell cap never darkened the dot: the test proves nothing")
	}
}
