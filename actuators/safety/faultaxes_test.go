package safety_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
)

// faultBus is an I²C bus shared by servos, as a PCA9685's: while broken,
// every write on it fails, each servo's with its own error. It breaks one
// output too, on the bus or not (a laser's GPIO pin).
type faultBus struct {
	mu     sync.Mutex
	broken map[string]bool // by output; "" breaks every servo
	halts  map[string]int  // Halt calls while broken
}

func (b *faultBus) failing(name string, onBus bool) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.broken[""] && onBus || b.broken[name]
}

func (b *faultBus) set(name string, broken bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.broken[name] = broken
}

// busOut is a mock output that a faultBus can break: a servo on the bus,
// or the laser off it.
type busOut struct {
	*mock.Actuator
	name  string
	bus   *faultBus
	onBus bool
}

func (s *busOut) Do(ctx context.Context, c actuators.Command) error {
	if s.bus.failing(s.name, s.onBus) {
		return fmt.Errorf("pca9685/%s: pulse: i2c: remote I/O error", s.name)
	}
	return s.Actuator.Do(ctx, c)
}

func (s *busOut) Halt() error {
	if s.bus.failing(s.name, s.onBus) {
		s.bus.mu.Lock()
		s.bus.halts[s.name]++
		s.bus.mu.Unlock()
		return fmt.Errorf("pca9685/%s: detach: i2c: remote I/O error", s.name)
	}
	return s.Actuator.Halt()
}

// faultRig is an envelope whose axes share a faultBus, every output fed
// to the independent monitor as it is sent, and recorded.
type faultRig struct {
	env    *safety.Envelope
	mon    *monitor.Monitor
	bus    *faultBus
	servos map[string]*busOut
	laser  *busOut

	mu   sync.Mutex
	outs []safety.Output
}

func newFaultRig(t *testing.T, axes []safety.AxisLimits, laser bool, start time.Time) *faultRig {
	t.Helper()
	return newFaultRigWatched(t, axes, laser, start, monitor.SessionLimits{})
}

// newFaultRigWatched is newFaultRig with the play layer's session limits
// (sessions, quiet hours) on the monitor.
func newFaultRigWatched(t *testing.T, axes []safety.AxisLimits, laser bool, start time.Time, sess monitor.SessionLimits) *faultRig {
	t.Helper()
	r := &faultRig{bus: &faultBus{broken: map[string]bool{}, halts: map[string]int{}}, servos: map[string]*busOut{}}
	ml := monitor.Limits{Location: time.UTC, Sessions: sess}
	cfg := safety.Config{Axes: axes, PanAxis: "pan", TiltAxis: "tilt", Location: time.UTC}
	outs := map[string]actuators.Actuator{}
	for _, a := range axes {
		ml.Axes = append(ml.Axes, monitor.AxisLimits{Name: a.Name, Role: a.Name, Min: a.Min, Max: a.Max, Home: a.Home, Speed: a.Speed, Accel: a.Accel})
		s := &busOut{Actuator: mock.New(a.Name, actuators.KindAxis, mock.Limits{Min: -90, Max: 90}, nil), name: a.Name, bus: r.bus, onBus: true}
		r.servos[a.Name], outs[a.Name] = s, s
	}
	if laser { // on a GPIO pin, not on the servos' bus
		ml.Switches = []monitor.SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}}
		cfg.Switches = []safety.SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}}
		r.laser = &busOut{Actuator: mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil), name: "laser", bus: r.bus}
		outs["laser"] = r.laser
	}
	r.mon = monitor.New(ml)
	cfg.OnOutput = func(o safety.Output) {
		action := string(o.Action)
		if o.Action == actuators.ActionAngle {
			action = "move"
		}
		r.mu.Lock()
		r.outs = append(r.outs, o)
		r.mon.Output(monitor.Event{Time: o.Time, Target: o.Target, Action: action, Value: o.Value, Failed: o.Err != nil, Exit: o.Exit})
		r.mu.Unlock()
	}
	env, err := safety.NewAt(cfg, outs, start)
	if err != nil {
		t.Fatal(err)
	}
	r.env = env
	return r
}

// violations are the monitor's, but for the stop of each axis in failed
// at the instant a write failed, under rule: its driver did not take the
// angle (rule fault), or the laser's off failed and the lit dot is held
// where it is (rule accel), and the servo holds the last angle it took,
// which no software can brake.
func (r *faultRig) violations(rule string, failed []string, at time.Time) []monitor.Violation {
	r.mu.Lock()
	defer r.mu.Unlock()
	var vs []monitor.Violation
	for _, v := range r.mon.Violations() {
		hw := v.Rule == rule && v.Time.Equal(at) && (rule == "fault" || strings.HasPrefix(v.Detail, "stopped from"))
		if !hw || !slices.Contains(failed, v.Target) {
			vs = append(vs, v)
		}
	}
	return vs
}

// angles are the angle outputs to name at [from, to), delivered (ok) or
// failed.
func (r *faultRig) angles(name string, from, to time.Time, ok bool) []safety.Output {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []safety.Output
	for _, o := range r.outs {
		if o.Target == name && o.Action == actuators.ActionAngle && !o.Time.Before(from) && o.Time.Before(to) && (o.Err == nil) == ok {
			out = append(out, o)
		}
	}
	return out
}

var faultT0 = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

// TestDriverFaultLeavesTheHealthyAxisDriven: pan and tilt cruise at
// 90°/s and one axis's driver fails a single write. The other axis, whose
// writes all went through, is not stopped dead (an acceleration of
// 90°/s in one tick against 12°/s, or nothing sent for the backoff while
// it moved, which reads as a stalled loop): it goes on being driven every
// tick, braking within its acceleration, and heads home as the fault
// parks. The failing driver gets no write during the backoff; its servo
// starts again from rest where its last delivered angle left it. The
// monitor finds nothing but that servo's own stop at the fault, which the
// failed write made.
func TestDriverFaultLeavesTheHealthyAxisDriven(t *testing.T) {
	for _, c := range []struct{ failing, healthy string }{{"pan", "tilt"}, {"tilt", "pan"}} {
		t.Run(c.failing, func(t *testing.T) {
			limits := func(name string) safety.AxisLimits {
				return safety.AxisLimits{Name: name, Min: -45, Max: 45, Speed: 90, Accel: 600}
			}
			r := newFaultRig(t, []safety.AxisLimits{limits("pan"), limits("tilt")}, false, faultT0)
			now := faultT0
			step := func(n int) {
				for range n {
					r.env.Step(context.Background(), now)
					now = now.Add(r.env.Tick())
				}
			}
			step(1)
			r.env.MoveTo(now, "pan", 40)
			r.env.MoveTo(now, "tilt", 40)
			step(15) // both at 90°/s
			at := now
			r.bus.set(c.failing, true)
			step(1)
			r.bus.set(c.failing, false)
			step(200)
			r.mon.End(now)

			if n := len(r.angles(c.failing, at, at.Add(time.Nanosecond), false)); n != 1 {
				t.Fatalf("%d failed writes to %s at the fault: the test did not exercise it", n, c.failing)
			}
			for _, v := range r.violations("fault", []string{c.failing}, at) {
				t.Errorf("monitor: %v", v)
			}
			backoff := 100 * time.Millisecond
			if got := r.angles(c.failing, at.Add(time.Nanosecond), at.Add(backoff), true); len(got) > 0 {
				t.Errorf("%s written during the backoff: %v", c.failing, got)
			}
			// Every tick of the backoff sends the healthy axis an angle.
			if got, want := len(r.angles(c.healthy, at, at.Add(backoff), true)), int(backoff/r.env.Tick()); got != want {
				t.Errorf("%s got %d angles in the %v after the fault, want one a tick (%d): it was stopped", c.healthy, got, backoff, want)
			}
			for name, s := range r.servos {
				if a := s.State().Angle; a != 0 {
					t.Errorf("%s at %v after the fault, not parked home", name, a)
				}
			}
		})
	}
}

// TestBusFailureOnEveryAxis: the servos share one I²C bus, which fails
// for 250 ms while both move with the laser lit: every servo's write
// fails, each with its own error. The laser (on a GPIO pin) goes off at
// the next tick and stays off; no servo is written to during a backoff,
// and a failure of every output at one instant is one fault, which does
// not lengthen the backoff; once the bus is back both park home from
// rest within their limits. The monitor finds nothing but the two stops
// the failed writes made.
func TestBusFailureOnEveryAxis(t *testing.T) {
	r := newFaultRig(t, []safety.AxisLimits{
		{Name: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600},
		{Name: "tilt", Min: 5, Max: 40, Home: 20, Speed: 60, Accel: 400}}, true, faultT0)
	now := faultT0
	step := func(n int) {
		for range n {
			r.env.Step(context.Background(), now)
			now = now.Add(r.env.Tick())
		}
	}
	step(100) // past the hold (1.15 s): the laser may light
	r.env.Switch(now, "laser", true, 0)
	r.env.MoveTo(now, "pan", 40)
	r.env.MoveTo(now, "tilt", 38)
	step(10)
	if !r.laser.State().On {
		t.Fatal("the laser is not lit: the test shows nothing")
	}
	at := now
	r.bus.set("", true)
	for now.Before(at.Add(250 * time.Millisecond)) {
		step(1)
	}
	r.bus.set("", false)
	step(300)
	r.mon.End(now)

	tick := r.env.Tick()
	for _, name := range []string{"pan", "tilt"} {
		var times []time.Duration
		for _, o := range r.angles(name, at, now, false) {
			times = append(times, o.Time.Sub(at))
		}
		// The first backoff is 100 ms whichever servos failed at the
		// fault; the failure at its end doubles it.
		if want := []time.Duration{0, 100 * time.Millisecond}; fmt.Sprint(times) != fmt.Sprint(want) {
			t.Errorf("%s: writes failed at %v after the fault, want %v", name, times, want)
		}
		if got := r.angles(name, at.Add(tick), at.Add(300*time.Millisecond), true); len(got) > 0 {
			t.Errorf("%s: angles delivered during the backoff: %v", name, got)
		}
		if got := r.angles(name, at.Add(300*time.Millisecond), now, true); len(got) < 10 {
			t.Errorf("%s: %d angles after the bus came back: not parked", name, len(got))
		}
	}
	r.mu.Lock()
	var off time.Time
	for _, o := range r.outs {
		if o.Target == "laser" && o.Time.After(at) {
			if o.Value != 0 && o.Err == nil {
				t.Errorf("the laser lit at %v, after the bus failed", o.Time.Sub(at))
			}
			if o.Value == 0 && o.Err == nil && off.IsZero() {
				off = o.Time
			}
		}
	}
	r.mu.Unlock()
	if !off.Equal(at.Add(tick)) || r.laser.State().On {
		t.Errorf("the laser went off %v after the fault (on now: %v), want the next tick", off.Sub(at), r.laser.State().On)
	}
	if a, b := r.servos["pan"].State().Angle, r.servos["tilt"].State().Angle; a != 0 || b != 20 {
		t.Errorf("pan %v, tilt %v after the bus came back: not parked home", a, b)
	}
	for _, v := range r.violations("fault", []string{"pan", "tilt"}, at) {
		t.Errorf("monitor: %v", v)
	}
}

// TestBusFailureAtExit: the bus is dead when Run ends. Run parks as far
// as it can (nothing reaches the servos, nothing lights), then halts
// every output: the laser goes off, each servo's halt is tried, and Run
// says which failed.
func TestBusFailureAtExit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newFaultRig(t, []safety.AxisLimits{
			{Name: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600},
			{Name: "tilt", Min: 5, Max: 40, Home: 20, Speed: 60, Accel: 400}}, true, time.Now())
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- r.env.Run(ctx, nil) }()
		time.Sleep(1500 * time.Millisecond) // past the hold
		r.env.Switch(time.Now(), "laser", true, 0)
		r.env.MoveTo(time.Now(), "pan", 40)
		r.env.MoveTo(time.Now(), "tilt", 38)
		time.Sleep(300 * time.Millisecond)
		if !r.laser.State().On {
			t.Fatal("the laser is not lit: the test shows nothing")
		}
		r.bus.set("", true)
		time.Sleep(50 * time.Millisecond)
		if r.laser.State().On {
			t.Error("the laser is lit with the servos' bus failing")
		}
		failed := time.Now()
		cancel()
		err := <-done
		if err == nil || !strings.Contains(err.Error(), "pca9685/pan: detach") || !strings.Contains(err.Error(), "pca9685/tilt: detach") {
			t.Errorf("Run returned %v, want the servos' failed halts", err)
		}
		if s := r.laser.State(); s.On || s.Halts == 0 {
			t.Errorf("the laser on %v, halted %d times, after Run ended", s.On, s.Halts)
		}
		r.bus.mu.Lock()
		halts := r.bus.halts
		r.bus.mu.Unlock()
		if halts["pan"] == 0 || halts["tilt"] == 0 {
			t.Errorf("servo halts tried: %v, want both", halts)
		}
		if got := append(r.angles("pan", failed, time.Now(), true), r.angles("tilt", failed, time.Now(), true)...); len(got) > 0 {
			t.Errorf("angles delivered on a dead bus: %v", got)
		}
	})
}

// TestLaserOffFailureHoldsTheDot: the laser's off fails while pan and
// tilt move: the laser may be lit still, and a lit dot the envelope
// cannot darken must not move (it might sweep a keep-out zone). The dot's
// axes stand still through the backoff, as every axis did before a fault
// froze only the failed ones.
func TestLaserOffFailureHoldsTheDot(t *testing.T) {
	r := newFaultRig(t, []safety.AxisLimits{
		{Name: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600},
		{Name: "tilt", Min: 5, Max: 40, Home: 20, Speed: 60, Accel: 400}}, true, faultT0)
	now := faultT0
	step := func(n int) {
		for range n {
			r.env.Step(context.Background(), now)
			now = now.Add(r.env.Tick())
		}
	}
	step(100) // past the hold (1.15 s): the laser may light
	r.env.Switch(now, "laser", true, 0)
	r.env.MoveTo(now, "pan", 40)
	r.env.MoveTo(now, "tilt", 38)
	step(10)
	at := now
	r.bus.set("laser", true)
	r.env.Switch(now, "laser", false, 0)
	step(1)
	r.bus.set("laser", false)
	step(200)
	r.mon.End(now)
	r.mu.Lock()
	failed := false
	for _, o := range r.outs {
		failed = failed || o.Target == "laser" && o.Err != nil && o.Value == 0 && o.Time.Equal(at)
	}
	r.mu.Unlock()
	if !failed {
		t.Fatal("the laser's off did not fail: the test shows nothing")
	}
	for _, name := range []string{"pan", "tilt"} {
		if got := r.angles(name, at, at.Add(100*time.Millisecond), true); len(got) > 0 {
			t.Errorf("%s moved while the laser's off had failed: %v", name, got)
		}
	}
	if r.laser.State().On {
		t.Error("the laser is still on")
	}
	for _, v := range r.violations("accel", []string{"pan", "tilt"}, at) {
		t.Errorf("monitor: %v", v)
	}
}

// TestCutShortWriteStartsFromRest: the motion loop's last tick before
// Run parks on its way out may find its context gone: every write of the
// tick fails, and no backoff holds the park. The servos got nothing at
// that tick, so they stopped at their last delivered angles, from 90°/s:
// the hardware's stop, which the monitor reports as a fault at that tick
// and nothing can brake. The park's first tick starts from rest there,
// within the speed and the acceleration, not on the move the last
// delivered angles started (read so, it moved twice a tick's way from
// rest).
func TestCutShortWriteStartsFromRest(t *testing.T) {
	r := newFaultRig(t, []safety.AxisLimits{
		{Name: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600},
		{Name: "tilt", Min: -45, Max: 45, Speed: 90, Accel: 600}}, false, faultT0)
	now := faultT0
	step := func(ctx context.Context, n int) {
		for range n {
			r.env.Step(ctx, now)
			now = now.Add(r.env.Tick())
		}
	}
	step(context.Background(), 1)
	r.env.MoveTo(now, "pan", 40)
	r.env.MoveTo(now, "tilt", -40)
	step(context.Background(), 15) // at 90°/s
	at := now
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	step(gone, 1)
	r.env.Park(nil)
	step(context.Background(), 100)
	r.mon.End(now)
	if n := len(r.angles("pan", at, at.Add(time.Nanosecond), false)); n != 1 {
		t.Fatalf("%d cut-short writes to pan: the test shows nothing", n)
	}
	for _, v := range r.violations("fault", []string{"pan", "tilt"}, at) {
		t.Errorf("monitor: %v", v)
	}
	if n := len(r.mon.Violations()); n != 2 {
		t.Errorf("%d violations, want the two servos' stops at the cut-short tick", n)
	}
	for name, s := range r.servos {
		if a := s.State().Angle; a != 0 {
			t.Errorf("%s at %v, not parked home", name, a)
		}
	}
}
