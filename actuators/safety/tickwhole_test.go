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

// onWrite is a mock output that calls hook before each write it is given.
type onWrite struct {
	*mock.Actuator
	hook func(actuators.Command)
}

func (o *onWrite) Do(ctx context.Context, c actuators.Command) error {
	o.hook(c)
	return o.Actuator.Do(ctx, c)
}

// TestStopMidTickWritesTheWholeTick: a stop (Ctrl-C, SIGTERM) that lands
// while the motion loop is between two servos' writes of one tick leaves
// that tick whole: every servo gets its angle, none is cut short and
// stopped dead mid-move, and the park begins from where the tick left it.
func TestStopMidTickWritesTheWholeTick(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var outs []Output
		ctx, cancel := context.WithCancel(t.Context())
		moving, writes := false, 0
		hook := func(c actuators.Command) {
			mu.Lock()
			defer mu.Unlock()
			if moving && c.Action == actuators.ActionAngle {
				if writes++; writes == 20 { // mid-move, inside a tick
					cancel()
				}
			}
		}
		outputs := map[string]actuators.Actuator{}
		for _, n := range []string{"pan", "tilt"} {
			outputs[n] = &onWrite{mock.New(n, actuators.KindAxis, mock.Limits{}, nil), hook}
		}
		cfg := Config{Axes: []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600},
			{Name: "tilt", Min: -45, Max: 45, Speed: 90, Accel: 600}},
			OnOutput: func(o Output) { mu.Lock(); outs = append(outs, o); mu.Unlock() }}
		env, err := NewAt(cfg, outputs, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error)
		go func() { done <- env.Run(ctx, nil) }()
		time.Sleep(time.Second)
		env.MoveTo(time.Now(), "pan", 40)
		env.MoveTo(time.Now(), "tilt", -40)
		mu.Lock()
		moving = true
		mu.Unlock()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		if writes < 20 {
			t.Fatalf("%d angle writes: the stop never came mid-move", writes)
		}
		for _, o := range outs {
			if o.Err != nil {
				t.Errorf("%s %s %v at %v cut short: %v", o.Target, o.Action, o.Value, o.Time, o.Err)
			}
		}
	})
}
