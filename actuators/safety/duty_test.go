package safety

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// dutyWorst is the most distinct angle-output instants of target within
// any window of length w (checked here from the stream, not the envelope).
func dutyWorst(outs []Output, target string, w time.Duration) int {
	var at []time.Time
	for _, o := range outs {
		if o.Target == target && o.Action == actuators.ActionAngle && (len(at) == 0 || !at[len(at)-1].Equal(o.Time)) {
			at = append(at, o.Time)
		}
	}
	worst, lo := 0, 0
	for hi := range at {
		for !at[lo].After(at[hi].Add(-w)) {
			lo++
		}
		worst = max(worst, hi-lo+1)
	}
	return worst
}

// TestDutyHostile swings a wand back and forth as hard as chat can ask,
// every tick, for ten minutes: the axis never moves for more than its duty
// max in any window, rests, comes back, and keeps its speed and
// acceleration all the while (the brake before a rest included).
func TestDutyHostile(t *testing.T) {
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 7))
		max, window := time.Duration(3+rng.IntN(20))*time.Second, time.Duration(30+rng.IntN(60))*time.Second
		speed, accel := 60+rng.Float64()*200, 300+rng.Float64()*1200
		r := newRig(t, func(c *Config) {
			c.Axes[0].Speed, c.Axes[0].Accel, c.Axes[0].DetachAfter = speed, accel, 300*time.Millisecond
			c.Axes[0].DutyMax, c.Axes[0].DutyWindow = max, window
			c.Axes[0].Min, c.Axes[0].Max = -20, 20
		})
		var pos []float64
		refused := 0
		for i := range 30000 {
			var rep Report
			switch rng.IntN(4) {
			case 0:
				rep = r.env.MoveTo(r.now, "pan", 20*float64(1-2*(i/7%2)))
			case 1:
				rep = r.env.MoveBy(r.now, "pan", rng.Float64()*80-40)
			case 2:
				rep = r.env.Aim(r.now, rng.Float64()*40-20, 0)
			default:
				if rng.IntN(500) == 0 {
					r.env.Park(nil)
				}
			}
			if rep.Refused && rep.Reason == actuators.ReasonResting {
				refused++
				if rep.Until.IsZero() || !rep.Until.After(r.now) {
					t.Fatalf("resting refusal without a future until: %+v", rep)
				}
			}
			r.step(1)
			pos = append(pos, r.env.Snapshot().Axes[0].Pos)
		}
		checkProfile(t, pos, -20, 20, speed, accel, r.env.Tick())
		capTicks := int(max / r.env.Tick())
		if got := dutyWorst(r.outs, "pan", window); got > capTicks {
			t.Fatalf("seed %d: %d ticks of motion in a %v window, cap %d (%v)", seed, got, window, capTicks, max)
		}
		if refused == 0 {
			t.Fatalf("seed %d: the axis never rested", seed)
		}
		if got := dutyWorst(r.outs, "pan", window); got < capTicks/2 {
			t.Fatalf("seed %d: only %d of %d ticks used: the duty limit is too shy", seed, got, capTicks)
		}
	}
}

func TestDutyConfigRefused(t *testing.T) {
	for _, c := range []struct{ max, window time.Duration }{
		{10 * time.Second, 10 * time.Second},  // window not longer than max
		{200 * time.Millisecond, time.Minute}, // no room for a park in reserve
	} {
		_, err := New(Config{Axes: []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600,
			DutyMax: c.max, DutyWindow: c.window}}}, map[string]actuators.Actuator{"pan": mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)})
		if err == nil {
			t.Fatalf("duty %v/%v accepted", c.max, c.window)
		}
	}
}

// BenchmarkStepWand is one 50 Hz tick of a wand rig: both axes moving
// under acceleration and duty limits, resting when the duty runs out.
func BenchmarkStepWand(b *testing.B) {
	env, err := NewAt(Config{
		Axes: []AxisLimits{
			{Name: "swing", Min: -60, Max: 60, Speed: 150, Accel: 900, DetachAfter: 300 * time.Millisecond, DutyMax: 40 * time.Second, DutyWindow: time.Minute},
			{Name: "lift", Min: 0, Max: 45, Home: 15, Speed: 90, Accel: 600, DetachAfter: 300 * time.Millisecond, DutyMax: 30 * time.Second, DutyWindow: time.Minute}},
		PanAxis: "swing", TiltAxis: "lift", Location: time.UTC,
	}, map[string]actuators.Actuator{
		"swing": mock.New("swing", actuators.KindAxis, mock.Limits{}, nil), "lift": mock.New("lift", actuators.KindAxis, mock.Limits{}, nil)}, t0)
	if err != nil {
		b.Fatal(err)
	}
	now := t0
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%25 == 0 { // back and forth twice a second: the duty limit bites
			env.MoveTo(now, "swing", float64(i%100-50))
			env.MoveTo(now, "lift", float64(5+i%30))
		}
		env.Step(context.Background(), now)
		now = now.Add(env.Tick())
	}
}
