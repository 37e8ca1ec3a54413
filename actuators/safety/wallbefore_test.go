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

// runClock says what the wall clock read a reading before wherever either
// clock jumped at a reading: the wall clock stepped, or the envelope's
// time following a step of it; nowhere else.
func TestRunClockSaysWhatTheWallClockReadBefore(t *testing.T) {
	wall, real := t0, time.Duration(0)
	c := &runClock{read: func() (time.Time, time.Duration) { return wall, real }}
	tick := func(d time.Duration) { wall, real = wall.Add(d), real+d }
	read := func(may bool) (before time.Time) { c.now(may); return c.before }
	if b := read(false); !b.IsZero() {
		t.Fatalf("first reading: before %v", b)
	}
	tick(20 * time.Millisecond)
	wall = wall.Add(20 * time.Microsecond) // readings a moment apart: within the slack
	if b := read(true); !b.IsZero() {
		t.Fatalf("jitter: before %v", b)
	}
	for _, c := range []struct {
		name  string
		step  time.Duration
		may   bool
		after bool // the next reading, no step: the envelope's time follows it then
	}{
		{"set back", -30 * time.Minute, true, false},
		{"set forward while busy", 2 * time.Hour, false, true},
		{"set forward while still", 9 * time.Hour, true, false},
		{"a millisecond forward", time.Millisecond, true, false},
	} {
		was := wall
		tick(20 * time.Millisecond)
		wall = wall.Add(c.step)
		if b := read(c.may); !b.Equal(was) {
			t.Errorf("%s: before %v, want the last reading %v", c.name, b, was)
		}
		was = wall
		tick(20 * time.Millisecond)
		if b := read(true); c.after != b.Equal(was) || !c.after && !b.IsZero() {
			t.Errorf("%s, the next reading: before %v (the last reading %v), want it set %v", c.name, b, was, c.after)
		}
		tick(20 * time.Millisecond)
		if b := read(true); !b.IsZero() {
			t.Errorf("%s, later: before %v", c.name, b)
		}
	}
}

// The wall clock is stepped 9 h forward while the rig is still: Run
// follows the step at once, so the outputs' times jump with the wall
// clock and carry no Wall. The outputs of that tick (pre asks for a move,
// as the play layer parks at a step into quiet hours) carry what the wall
// clock read the tick before; the next tick's carry nothing.
func TestAStepRunFollowsAtOnceShowsInTheOutputs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var step atomic.Int64
		wall := func() time.Time { return time.Now().Round(0).Add(time.Duration(step.Load())) }
		var mu sync.Mutex
		var outs []Output
		cfg := Config{Axes: []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90, DutyMax: 40 * time.Second, DutyWindow: time.Minute}},
			Wall: wall, OnOutput: func(o Output) { mu.Lock(); outs = append(outs, o); mu.Unlock() }}
		env, err := NewAt(cfg, map[string]actuators.Actuator{"pan": mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)}, wall())
		if err != nil {
			t.Fatal(err)
		}
		var last time.Time
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() {
			done <- env.Run(ctx, func(now, w time.Time) {
				if !last.IsZero() && w.Sub(last) > time.Hour {
					env.MoveTo(now, "pan", 10)
				}
				last = w
			})
		}()
		time.Sleep(2 * time.Minute) // the homing, then still for longer than the duty window
		before := wall()
		step.Store(int64(9 * time.Hour))
		time.Sleep(2 * time.Second)
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		var first time.Time
		n := 0
		for _, o := range outs {
			if o.Time.Before(before.Add(time.Hour)) {
				continue // the homing
			}
			if first.IsZero() {
				first = o.Time
			}
			if !o.Wall.IsZero() {
				t.Errorf("%s %v at %v carries the wall clock %v: Run did not follow the step", o.Target, o.Value, o.Time, o.Wall)
			}
			switch {
			case o.Time.Equal(first):
				n++
				if d := before.Sub(o.WallBefore); o.WallBefore.IsZero() || d < 0 || d > 20*time.Millisecond {
					t.Errorf("%s at %v, the tick of the step: the wall clock before it %v, want a tick before %v", o.Target, o.Time, o.WallBefore, before)
				}
			case !o.WallBefore.IsZero():
				t.Errorf("%s at %v, after the step: the wall clock before it %v", o.Target, o.Time, o.WallBefore)
			}
		}
		if n == 0 {
			t.Fatalf("no output at the tick of the step: %v", outs)
		}
	})
}
