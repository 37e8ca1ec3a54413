package monitor_test

import (
	"context"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
)

// TestEnvelopeStopOnLateTicks takes an emergency stop of the envelope at
// full speed on a loaded machine, whose ticks after the stop come late
// but under 2.5τ (no stall): every tick of them, or one of them, or the
// first; at points of the tick the stop comes in. Each tick after the braking may
// come that late too: the stop angle, then the detach at the tick after
// it. The monitor, written from the invariants, once wanted the detach a
// nominal tick after the braking time ("stop tilt: not limp 211ms after
// the emergency stop" on ticks 40 or 49 ms apart).
func TestEnvelopeStopOnLateTicks(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	type ticks struct {
		name  string
		first time.Duration // the first tick after the stop's
		gap   func(k int) time.Duration
	}
	var runs []ticks
	for _, g := range []time.Duration{20, 30, 40, 45, 49} {
		g *= time.Millisecond
		runs = append(runs, ticks{"every tick " + g.String(), 20 * time.Millisecond, func(int) time.Duration { return g }},
			ticks{"every tick " + g.String() + " from the first", g, func(int) time.Duration { return g }})
	}
	for late := range 10 {
		runs = append(runs, ticks{"one tick 49ms, the " + string(rune('0'+late)) + "th", 20 * time.Millisecond, func(k int) time.Duration {
			if k == late {
				return 49 * time.Millisecond
			}
			return 20 * time.Millisecond
		}})
	}
	for _, r := range runs {
		for _, part := range []float64{0, 0.05, 0.5, 0.95} { // the stop, that part of the tick before it in
			mon := monitor.New(monitor.Limits{Axes: []monitor.AxisLimits{
				{Name: "pan", Role: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600},
				{Name: "tilt", Role: "tilt", Min: 5, Max: 40, Home: 20, Speed: 60, Accel: 400}},
				Switches: []monitor.SwitchLimits{{Name: "laser", Laser: true}}, Location: time.UTC})
			limp := map[string]bool{}
			env, err := safety.NewAt(safety.Config{Axes: []safety.AxisLimits{
				{Name: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600},
				{Name: "tilt", Min: 5, Max: 40, Home: 20, Speed: 60, Accel: 400}},
				Switches: []safety.SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}},
				PanAxis:  "pan", TiltAxis: "tilt",
				OnOutput: func(o safety.Output) {
					action := string(o.Action)
					if o.Action == actuators.ActionAngle {
						action = "move"
					}
					limp[o.Target] = o.Action == actuators.ActionDetach && o.Err == nil
					mon.Output(monitor.Event{Time: o.Time, Target: o.Target, Action: action, Value: o.Value, Failed: o.Err != nil})
				}}, map[string]actuators.Actuator{
				"pan":   mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
				"tilt":  mock.New("tilt", actuators.KindAxis, mock.Limits{}, nil),
				"laser": mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil),
			}, t0)
			if err != nil {
				t.Fatal(err)
			}
			now := t0
			step := func(gap time.Duration) {
				env.Step(context.Background(), now)
				now = now.Add(gap)
			}
			for range 100 { // homed and settled
				step(20 * time.Millisecond)
			}
			env.MoveTo(now, "pan", -40)
			env.MoveTo(now, "tilt", 38)
			for range 14 { // both at speed
				step(20 * time.Millisecond)
			}
			at := now.Add(time.Duration(part * float64(r.first)))
			step(r.first)
			env.Stop(at)
			mon.Stop(at)
			for k := range 30 {
				step(r.gap(k))
			}
			mon.Resume(now)
			mon.End(now)
			if !limp["pan"] || !limp["tilt"] {
				t.Errorf("%s, stopped %g into a tick: the envelope left a servo attached (%v): the test proves nothing", r.name, part, limp)
			}
			for _, v := range mon.Violations() {
				t.Errorf("%s, stopped %g into a tick: %v", r.name, part, v)
			}
		}
	}
}
