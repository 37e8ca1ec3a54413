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

// Run's park on its way out is marked (Output.Exit) on every output it
// sends, and on nothing before it: the lasers off, the axes home from
// where play left them, at the axes' speed.
func TestRunMarksTheParkOnItsWayOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var outs []Output
		cfg := Config{Axes: []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90}},
			Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}},
			OnOutput: func(o Output) { mu.Lock(); outs = append(outs, o); mu.Unlock() }}
		env, err := NewAt(cfg, map[string]actuators.Actuator{
			"pan":   mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
			"laser": mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil),
		}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- env.Run(ctx, nil) }()
		time.Sleep(time.Second)
		env.MoveTo(time.Now(), "pan", 30)
		env.Switch(time.Now(), "laser", true, 0)
		time.Sleep(time.Second)
		mu.Lock()
		before := len(outs)
		mu.Unlock()
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		for _, o := range outs[:before] {
			if o.Exit {
				t.Errorf("%s %s %v at %v marked before the stop", o.Target, o.Action, o.Value, o.Time)
			}
		}
		x, off := 30.0, false
		for _, o := range outs[before:] {
			if !o.Exit {
				t.Errorf("%s %s %v at %v on the way out, unmarked", o.Target, o.Action, o.Value, o.Time)
			}
			switch o.Action {
			case actuators.ActionAngle:
				if o.Value > x || o.Value < 0 {
					t.Errorf("pan %v after %v: not towards home", o.Value, x)
				}
				x = o.Value
			case actuators.ActionSwitch:
				off = off || o.Value == 0
			}
		}
		if x != 0 || !off {
			t.Errorf("the way out left pan at %v, the laser off %v: want home and off\n%v", x, off, outs[before:])
		}
	})
}
