package safety

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// The review's repro, on a servo check takes: a slow one (20°/s, 100°/s²,
// a park of 5 s across its 90°) is asked to 40°; Ctrl-C. The way out parks
// it home within its park time, where a fixed 2 s left it halted mid-park
// (10°/s, which the review used, check now refuses: TestParkTime).
func TestExitParksASlowServoHome(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var outs []Output
		ctx, cancel := context.WithCancel(t.Context())
		outputs := map[string]actuators.Actuator{"pan": mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)}
		cfg := Config{Axes: []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 20, Accel: 100}},
			OnOutput: func(o Output) { mu.Lock(); outs = append(outs, o); mu.Unlock() }}
		if p := cfg.ParkTime(); p > MaxParkTime {
			t.Fatalf("park time %v past MaxParkTime %v: check would refuse the rig", p, MaxParkTime)
		}
		env, err := NewAt(cfg, outputs, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error)
		go func() { done <- env.Run(ctx, nil) }()
		time.Sleep(time.Second)
		env.MoveTo(time.Now(), "pan", 40)
		time.Sleep(8 * time.Second)
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		last := 0.0
		for _, o := range outs {
			if o.Target == "pan" && o.Action == actuators.ActionAngle && o.Err == nil {
				last = o.Value
			}
		}
		if last != 0 {
			t.Errorf("the way out left pan at %v°, not parked home", last)
		}
	})
}

func TestParkTime(t *testing.T) {
	a := AxisLimits{Min: -45, Max: 45, Speed: 90, Accel: 600}
	if got, want := a.ParkTime(DefaultTick), time.Second+300*time.Millisecond+4*DefaultTick; got != want {
		t.Fatalf("park time %v, want %v", got, want)
	}
	if got := (AxisLimits{Min: -45, Max: 45, Speed: 10, Accel: 100}).ParkTime(DefaultTick); got <= MaxParkTime {
		t.Fatalf("the review's 10°/s servo parks in %v, within MaxParkTime: check would take it", got)
	}
	if got := (AxisLimits{Min: 0, Max: 90, Speed: 1e-300}).ParkTime(DefaultTick); got != maxSettle {
		t.Fatalf("a crawling axis's park time %v, want the bound %v", got, maxSettle)
	}
}
