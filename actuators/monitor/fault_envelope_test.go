package monitor_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
)

// failingServo is a mock servo whose writes fail while broken, as a
// PCA9685 channel's do when its I²C cable or supply gives out.
type failingServo struct {
	*mock.Actuator
	name   string
	mu     sync.Mutex
	broken bool
}

func (s *failingServo) set(broken bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.broken = broken
}

func (s *failingServo) Do(ctx context.Context, c actuators.Command) error {
	s.mu.Lock()
	broken := s.broken
	s.mu.Unlock()
	if broken {
		return fmt.Errorf("pca9685/%s: pulse: i2c: remote I/O error", s.name)
	}
	return s.Actuator.Do(ctx, c)
}

// TestEnvelopeDriverFault drives the envelope with the monitor attached
// to every output it sends, as a trace would be: one servo's driver (or
// both, on one bus) fails a single write while the axes cruise. The
// envelope drives every other axis on, braking within its limits, and
// gives the failing one nothing during the backoff: its servo stopped
// without braking at the failed write. The monitor names that stop the
// hardware's ("fault", at the failed write) and finds nothing else: not
// "accel", not "late" (a busy machine), and nothing on a healthy axis.
func TestEnvelopeDriverFault(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name    string
		failing []string
		moving  []string
	}{
		{"pan fails, tilt cruising", []string{"pan"}, []string{"pan", "tilt"}},
		{"tilt fails, pan cruising", []string{"tilt"}, []string{"pan", "tilt"}},
		{"pan fails, tilt at rest", []string{"pan"}, []string{"pan"}},
		{"the bus fails both", []string{"pan", "tilt"}, []string{"pan", "tilt"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			axes := []safety.AxisLimits{
				{Name: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600},
				{Name: "tilt", Min: -45, Max: 45, Speed: 90, Accel: 600}}
			ml := monitor.Limits{Location: time.UTC}
			servos := map[string]*failingServo{}
			outs := map[string]actuators.Actuator{}
			for _, a := range axes {
				ml.Axes = append(ml.Axes, monitor.AxisLimits{Name: a.Name, Role: a.Name, Min: a.Min, Max: a.Max, Home: a.Home, Speed: a.Speed, Accel: a.Accel})
				s := &failingServo{Actuator: mock.New(a.Name, actuators.KindAxis, mock.Limits{Min: -90, Max: 90}, nil), name: a.Name}
				servos[a.Name], outs[a.Name] = s, s
			}
			mon := monitor.New(ml)
			var failedAt []time.Time
			env, err := safety.NewAt(safety.Config{Axes: axes, PanAxis: "pan", TiltAxis: "tilt", Location: time.UTC,
				OnOutput: func(o safety.Output) {
					action := string(o.Action)
					if o.Action == actuators.ActionAngle {
						action = "move"
					}
					if o.Err != nil {
						failedAt = append(failedAt, o.Time)
					}
					mon.Output(monitor.Event{Time: o.Time, Target: o.Target, Action: action, Value: o.Value, Failed: o.Err != nil, Exit: o.Exit})
				}}, outs, t0)
			if err != nil {
				t.Fatal(err)
			}
			now := t0
			step := func(n int) {
				for range n {
					env.Step(context.Background(), now)
					now = now.Add(env.Tick())
				}
			}
			step(1)
			for _, name := range c.moving {
				env.MoveTo(now, name, 40)
			}
			step(15) // at 90°/s
			at := now
			for _, name := range c.failing {
				servos[name].set(true)
			}
			step(1)
			for _, name := range c.failing {
				servos[name].set(false)
			}
			step(200)
			mon.End(now)

			if len(failedAt) != len(c.failing) || !failedAt[0].Equal(at) {
				t.Fatalf("writes failed at %v, want %d at %v: the test shows nothing", failedAt, len(c.failing), at)
			}
			var got, want []string
			for _, v := range mon.Violations() {
				got = append(got, fmt.Sprintf("%s %s at %v", v.Rule, v.Target, v.Time.Sub(at)))
			}
			for _, name := range c.failing {
				want = append(want, fmt.Sprintf("fault %s at 0s", name))
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("monitor found %v, want %v", got, want)
				for _, v := range mon.Violations() {
					t.Logf("  %v", v)
				}
			}
			for name, s := range servos {
				if a := s.State().Angle; a != 0 {
					t.Errorf("%s at %v after the fault, not parked home", name, a)
				}
			}
		})
	}
}
