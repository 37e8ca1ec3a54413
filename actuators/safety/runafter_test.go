package safety

import (
	"context"
	"math"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// writeTimes records when each angle reached the driver, on the clock.
type writeTimes struct {
	actuators.Actuator
	mu  sync.Mutex
	at  []time.Time
	deg []float64
}

func (w *writeTimes) Do(ctx context.Context, c actuators.Command) error {
	if c.Action == actuators.ActionAngle {
		w.mu.Lock()
		w.at, w.deg = append(w.at, time.Now()), append(w.deg, c.Value)
		w.mu.Unlock()
	}
	return w.Actuator.Do(ctx, c)
}

// fastest is the highest speed between two consecutive writes, by when
// they reached the driver.
func (w *writeTimes) fastest() float64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	v := 0.0
	for i := 1; i < len(w.at); i++ {
		if dt := w.at[i].Sub(w.at[i-1]).Seconds(); dt > 0 {
			v = max(v, math.Abs(w.deg[i]-w.deg[i-1])/dt)
		}
	}
	return v
}

// TestRunAfterWaitsBeforeTheTime: a wait at a tick (the engine's tick
// handed to its goroutine, up to a quarter tick when it is busy) comes
// before the Step's time is read, so the outputs reach the driver as far
// apart as the envelope counted: never faster than the speed limit in
// real time. Waiting in pre, after the time was read, a tick held up a
// quarter tick and the next not put two angles 15 ms apart that the
// envelope counted 20 ms apart: 120°/s against a 90°/s limit.
func TestRunAfterWaitsBeforeTheTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pan := &writeTimes{Actuator: mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)}
		env, err := New(Config{Axes: []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90}}},
			map[string]actuators.Actuator{"pan": pan})
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		wait := func() { // every other tick held up a quarter tick
			if k++; k%2 == 1 {
				time.Sleep(DefaultTick / 4)
			}
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- env.RunAfter(ctx, wait, nil) }()
		time.Sleep(100 * time.Millisecond)
		env.MoveTo(time.Now(), "pan", 45)
		time.Sleep(600 * time.Millisecond)
		cancel()
		<-done
		if v := pan.fastest(); v > 90*(1+1e-6) {
			t.Fatalf("angles reached the driver at %.1f°/s, over the 90°/s limit", v)
		}
	})
}
