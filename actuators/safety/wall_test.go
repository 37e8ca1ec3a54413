package safety

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// wallRig runs a pan axis (duty window 60 s) and a laser under synctest on
// a wall clock Config.Wall reads: real time plus step. It records every
// output and every (now, wall) pair Run hands pre.
type wallRig struct {
	env  *Envelope
	step atomic.Int64
	stop func()

	mu    sync.Mutex
	outs  []Output
	pairs [][2]time.Time
}

func newWallRig(t *testing.T) *wallRig {
	t.Helper()
	w := &wallRig{}
	wall := func() time.Time { return time.Now().Round(0).Add(time.Duration(w.step.Load())) }
	cfg := Config{Axes: []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90, DutyMax: 40 * time.Second, DutyWindow: time.Minute}},
		Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: 20 * time.Second, Cooldown: 20 * time.Second}},
		Wall:     wall,
		OnOutput: func(o Output) { w.mu.Lock(); w.outs = append(w.outs, o); w.mu.Unlock() }}
	env, err := NewAt(cfg, map[string]actuators.Actuator{"pan": mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
		"laser": mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}, wall())
	if err != nil {
		t.Fatal(err)
	}
	w.env = env
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() {
		done <- env.Run(ctx, func(now, wall time.Time) {
			w.mu.Lock()
			w.pairs = append(w.pairs, [2]time.Time{now, wall})
			w.mu.Unlock()
		})
	}()
	w.stop = func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Error(err)
		}
	}
	return w
}

// Run reads the wall clock from Config.Wall, hands pre its reading with
// its own time, and stamps every output with the reading where the two
// differ: the monitor reads quiet hours on it.
func TestOutputsCarryTheWallClockWhereItDiffers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWallRig(t)
		defer w.stop()
		time.Sleep(time.Second)
		w.env.Switch(time.Now(), "laser", true, 10*time.Second)
		time.Sleep(time.Second)
		w.step.Store(int64(time.Hour)) // lit: the envelope keeps to real time
		time.Sleep(100 * time.Millisecond)
		w.env.MoveTo(time.Now().Add(time.Hour), "pan", 10)
		time.Sleep(2 * time.Second)
		w.mu.Lock()
		defer w.mu.Unlock()
		var before, after int
		for _, o := range w.outs {
			switch {
			case o.Wall.IsZero():
				before++
			case o.Wall.Sub(o.Time) == time.Hour:
				after++
			default:
				t.Errorf("%s at %v carries the wall clock %v", o.Target, o.Time, o.Wall)
			}
		}
		if before == 0 || after == 0 {
			t.Errorf("%d outputs before the step, %d after: want some of both", before, after)
		}
		n := 0
		for _, p := range w.pairs {
			if d := p[1].Sub(p[0]); d != 0 && d != time.Hour {
				t.Fatalf("pre got %v and the wall clock %v", p[0], p[1])
			}
			if p[1].Sub(p[0]) == time.Hour {
				n++
			}
		}
		if n == 0 {
			t.Error("pre was never told the wall clock ran ahead")
		}
	})
}
