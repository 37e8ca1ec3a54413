package safety

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// flaky wraps a mock: it fails writes while broken, and can block a write
// until released (a hung bus).
type flaky struct {
	*mock.Actuator
	mu     sync.Mutex
	broken bool
	hang   chan struct{}
}

func (f *flaky) Do(ctx context.Context, c actuators.Command) error {
	f.mu.Lock()
	broken, hang := f.broken, f.hang
	f.mu.Unlock()
	if hang != nil {
		<-hang
	}
	if broken {
		return errors.New("i2c: remote I/O error")
	}
	return f.Actuator.Do(ctx, c)
}

// flakyRig is a pan servo on a bus that can fail, and a laser.
func flakyRig(t *testing.T) (*Envelope, *flaky, *mock.Actuator) {
	t.Helper()
	pan := &flaky{Actuator: mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)}
	lz := mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
	env, err := NewAt(Config{
		Axes:     []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90}},
		Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}},
	}, map[string]actuators.Actuator{"pan": pan, "laser": lz}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return env, pan, lz
}

func TestDriverFaultDarkensParksAndRetries(t *testing.T) {
	env, pan, lz := flakyRig(t)
	now := t0
	step := func(n int) {
		for range n {
			env.Step(context.Background(), now)
			now = now.Add(env.Tick())
		}
	}
	step(1 + holdTicks(env)) // the servo surely home: the laser may light
	env.Switch(now, "laser", true, 0)
	env.MoveTo(now, "pan", 30)
	step(3)
	if !lz.State().On {
		t.Fatal("laser should be on")
	}
	pan.mu.Lock()
	pan.broken = true
	pan.mu.Unlock()
	step(2)
	if lz.State().On {
		t.Fatal("a failing servo write must switch the laser off")
	}
	if rep := env.Switch(now, "laser", true, 0); !rep.Refused || rep.Reason != "fault" || !rep.Until.After(now) {
		t.Fatalf("laser during a fault: %+v", rep)
	}
	st := env.Snapshot()
	if st.Faults == 0 || st.Counts["driver_fault"] == 0 || st.Axes[0].Target != 0 {
		t.Fatalf("fault not recorded or not parking: %+v", st)
	}
	failed := st.Faults
	step(5) // backing off: no writes while the fault lasts
	if env.Snapshot().Faults > failed+1 {
		t.Fatalf("writes during the backoff: %d faults", env.Snapshot().Faults)
	}
	pan.mu.Lock()
	pan.broken = false
	pan.mu.Unlock()
	step(200)
	if a := pan.State(); a.Angle != 0 {
		t.Fatalf("after the bus recovers the axis must park home, at %v", a.Angle)
	}
	if rep := env.Switch(now, "laser", true, 0); rep.Refused {
		t.Fatalf("after recovery: %+v", rep)
	}
}

// TestWatchdogSwitchesOffWhenTheLoopStalls: a servo write hangs, so the
// motion loop stops ticking; the watchdog's own timer turns the laser off.
func TestWatchdogSwitchesOffWhenTheLoopStalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pan := &flaky{Actuator: mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)}
		lz := mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
		env, err := New(Config{
			Axes:     []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 30}},
			Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}},
		}, map[string]actuators.Actuator{"pan": pan, "laser": lz})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- env.Run(ctx, nil) }()
		env.Switch(time.Now(), "laser", true, 0)
		time.Sleep(holdTime(env) + 100*time.Millisecond) // virtual time; the laser waits for the hold
		if !lz.State().On {
			t.Fatal("laser should be on")
		}
		release := make(chan struct{})
		pan.mu.Lock()
		pan.hang = release
		pan.mu.Unlock()
		env.MoveTo(time.Now(), "pan", 40) // the next tick's write hangs
		time.Sleep(150 * time.Millisecond)
		if !lz.State().On {
			t.Fatal("watchdog fired too early")
		}
		time.Sleep(200 * time.Millisecond)
		if lz.State().On {
			t.Fatal("the motion loop has stalled for over 200 ms and the laser is still on")
		}
		pan.mu.Lock()
		pan.hang = nil
		pan.mu.Unlock()
		close(release)
		time.Sleep(100 * time.Millisecond)
		if lz.State().On {
			t.Fatal("after a stall the laser must stay off until asked again")
		}
		if env.Snapshot().Counts["watchdog"] == 0 {
			t.Fatal("stall not counted")
		}
		cancel()
		<-done
	})
}

// TestShutdownWriteIsNoError: a write cut short by the motion loop's own
// cancellation still darkens and parks, but is not logged as an error.
func TestShutdownWriteIsNoError(t *testing.T) {
	var logs strings.Builder
	pan := mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)
	lz := mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
	env, err := NewAt(Config{
		Axes:     []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90}},
		Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}},
		Log:      slog.New(slog.NewTextHandler(&logs, nil)),
	}, map[string]actuators.Actuator{"pan": pan, "laser": lz}, t0)
	if err != nil {
		t.Fatal(err)
	}
	env.MoveTo(t0, "pan", 20)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	env.Step(ctx, t0.Add(20*time.Millisecond))
	if env.faults == 0 {
		t.Fatal("the cut-short write was not handled as a fault (laser off, park)")
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Fatalf("a shutdown write was logged as an error:\n%s", logs.String())
	}
}

// TestShutdownWriteDoesNotHoldThePark: after earlier faults have grown the
// backoff, a write cut short by shutdown still darkens and sends the axes
// home, but starts no backoff, so parking proceeds at once.
func TestShutdownWriteDoesNotHoldThePark(t *testing.T) {
	pan := mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)
	lz := mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
	env, err := NewAt(Config{
		Axes:     []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90}},
		Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}},
	}, map[string]actuators.Actuator{"pan": pan, "laser": lz}, t0)
	if err != nil {
		t.Fatal(err)
	}
	now := t0.Add(time.Second)
	env.MoveTo(now, "pan", 20)
	env.Switch(now, "laser", true, 0)
	env.mu.Lock()
	env.fault.backoff, env.fault.until = 8*time.Second, now.Add(-time.Millisecond) // earlier faults, just over
	env.onFault(now, "pan", actuators.Command{Action: actuators.ActionAngle, Value: 1}, context.Canceled, true)
	faulted, backoff, lit, target := env.faulted(now), env.fault.backoff, env.switches["laser"].on, env.axes["pan"].target
	env.mu.Unlock()
	if faulted || backoff != 8*time.Second {
		t.Fatalf("a shutdown write started a backoff: faulted %v, backoff %v", faulted, backoff)
	}
	if lit || target != 0 {
		t.Fatalf("after a shutdown write: laser requested %v, pan target %v; want off and home", lit, target)
	}
}

// A servo write that fails in a Step puts the lasers off; the same Step,
// which had planned to light one before the failure, lights none.
func TestDriverFaultMidStepLightsNoLaser(t *testing.T) {
	env, pan, lz := flakyRig(t)
	now := t0
	for range 1 + holdTicks(env) { // past the hold: the laser may light
		env.Step(context.Background(), now)
		now = now.Add(env.Tick())
	}
	pan.mu.Lock()
	pan.broken = true
	pan.mu.Unlock()
	env.MoveTo(now, "pan", 30)
	env.Switch(now, "laser", true, 0)
	env.Step(context.Background(), now)
	if env.Snapshot().Counts["driver_fault"] == 0 {
		t.Fatal("no fault: the test shows nothing")
	}
	if lz.State().On {
		t.Error("laser lit in the Step whose servo write failed")
	}
}

// TestDriverFaultResumesFromWhatWasSent: a write that fails mid-move
// leaves the servos where the last angles sent put them, at rest: no
// angle goes out while the writes back off. Motion after the back-off
// starts from there within the speed and acceleration limits, whichever
// write failed: the first axis's (the second one's is then skipped), or
// the second's (the first one's went out that tick).
func TestDriverFaultResumesFromWhatWasSent(t *testing.T) {
	for _, failing := range []string{"pan", "tilt"} {
		t.Run(failing, func(t *testing.T) { faultMidMove(t, failing) })
	}
}

func faultMidMove(t *testing.T, failing string) {
	axes := map[string]*flaky{}
	outs := map[string]actuators.Actuator{}
	for _, name := range []string{"pan", "tilt"} {
		axes[name] = &flaky{Actuator: mock.New(name, actuators.KindAxis, mock.Limits{}, nil)}
		outs[name] = axes[name]
	}
	limits := func(name string) AxisLimits {
		return AxisLimits{Name: name, Min: -45, Max: 45, Speed: 90, Accel: 600}
	}
	var sent []Output // the angles that reached the servos
	env, err := NewAt(Config{Axes: []AxisLimits{limits("pan"), limits("tilt")}, OnOutput: func(o Output) {
		if o.Action == actuators.ActionAngle && o.Err == nil {
			sent = append(sent, o)
		}
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
	broken := func(b bool) {
		axes[failing].mu.Lock()
		axes[failing].broken = b
		axes[failing].mu.Unlock()
	}
	step(1)
	env.MoveTo(now, "pan", 40)
	env.MoveTo(now, "tilt", 40)
	step(15) // both at speed
	broken(true)
	step(1)
	broken(false)
	env.MoveTo(now, "pan", 40) // asked again after the fault sent them home
	env.MoveTo(now, "tilt", 40)
	step(60)

	// A servo with no angle for a tick has stopped: its next move starts
	// from rest, as the monitor has it.
	tick := env.Tick()
	for _, name := range []string{"pan", "tilt"} {
		var last Output
		var vel float64
		n := 0
		for _, o := range sent {
			if o.Target != name {
				continue
			}
			if n > 0 {
				if o.Time.Sub(last.Time) > tick {
					vel = 0
				}
				v := (o.Value - last.Value) / tick.Seconds()
				if math.Abs(v) > 90+1e-6 {
					t.Errorf("%s: %.2f° → %.2f° at %v: %.0f°/s, over 90°/s", name, last.Value, o.Value, o.Time.Sub(t0), v)
				}
				if math.Abs(v-vel) > 600*tick.Seconds()+1e-6 {
					t.Errorf("%s: %.2f° → %.2f° at %v: %.0f°/s after %.0f°/s, over the acceleration limit", name, last.Value, o.Value, o.Time.Sub(t0), v, vel)
				}
				vel = v
			}
			last = o
			n++
		}
		if n < 20 {
			t.Errorf("%s: %d angles sent", name, n)
		}
	}
}
