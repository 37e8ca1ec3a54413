package safety

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// gate holds the calls it is shut on until it is opened.
type gate struct {
	mu   sync.Mutex
	shut map[string]chan struct{}
}

func (g *gate) close(key string) chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.shut == nil {
		g.shut = map[string]chan struct{}{}
	}
	c := make(chan struct{})
	g.shut[key] = c
	return c
}

func (g *gate) wait(key string) {
	g.mu.Lock()
	c := g.shut[key]
	delete(g.shut, key)
	g.mu.Unlock()
	if c != nil {
		<-c
	}
}

// slowLaser is a laser whose "on" write can hang on a slow bus.
type slowLaser struct {
	*mock.Actuator
	g *gate
}

func (s slowLaser) Do(ctx context.Context, c actuators.Command) error {
	if c.Value == 1 {
		s.g.wait("laser on write")
	}
	return s.Actuator.Do(ctx, c)
}

func stallRig(t *testing.T, g *gate) (*Envelope, *mock.Actuator) {
	t.Helper()
	pan := mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)
	lz := mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
	env, err := New(Config{
		Axes:     []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 30}},
		Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}},
		// As --trace does: a line written for each output, under the
		// envelope's lock; a slow SD card stalls it.
		OnOutput: func(o Output) {
			switch {
			case o.Target == "pan" && o.Action == actuators.ActionAngle:
				g.wait("pan trace")
			case o.Target == "laser" && o.Value == 1:
				g.wait("laser trace")
			}
		},
	}, map[string]actuators.Actuator{"pan": pan, "laser": slowLaser{lz, g}})
	if err != nil {
		t.Fatal(err)
	}
	return env, lz
}

// running runs env's motion loop past the hold after its homing, and
// 110 ms more, and returns what stops it.
func running(t *testing.T, env *Envelope) (stop func()) {
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- env.Run(ctx, nil) }()
	time.Sleep(holdTime(env) + 110*time.Millisecond) // between ticks: the loop waits for the next
	return func() { cancel(); <-done }
}

// A Step that stalls while writing the axes, past the watchdog, does not
// go on to light the laser it planned to light before the stall: the
// watchdog's "switches off" stands until the next Step. Before, the laser
// came on after the watchdog had fired, and a second stall (its own trace
// line) kept it lit with the watchdog spent.
func TestWatchdogFiredMidStepLightsNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := &gate{}
		env, lz := stallRig(t, g)
		stop := running(t, env)
		panStall, laserStall := g.close("pan trace"), g.close("laser trace")
		env.MoveTo(time.Now(), "pan", 40)
		env.Switch(time.Now(), "laser", true, 0) // planned in the Step that stalls
		time.Sleep(300 * time.Millisecond)       // the watchdog fires at 200 ms
		close(panStall)
		time.Sleep(2 * time.Second)
		if lz.State().On {
			t.Error("laser lit by the Step the watchdog had switched off")
		}
		close(laserStall)
		stop()
		for _, c := range lz.History() {
			if c.Action == actuators.ActionSwitch && c.Value == 1 {
				t.Errorf("the laser was sent %v after the watchdog fired; it was never asked again", c)
			}
		}
	})
}

// A loop that stays stalled is switched off again every watchdog period:
// a laser that came on during the stall (its own write hung past the
// watchdog, then went through, and the trace line after it hung) is off
// again within one period, not left lit for as long as the stall lasts.
func TestWatchdogKeepsSwitchingOffWhileStalled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := &gate{}
		env, lz := stallRig(t, g)
		stop := running(t, env)
		write, trace := g.close("laser on write"), g.close("laser trace")
		env.Switch(time.Now(), "laser", true, 0)
		time.Sleep(300 * time.Millisecond) // the write hangs; the watchdog fires
		close(write)                       // it goes through: lit; then its trace line hangs
		synctest.Wait()
		if !lz.State().On {
			t.Fatal("the late write did not light the laser: the test shows nothing")
		}
		time.Sleep(env.cfg.Watchdog)
		if lz.State().On {
			t.Errorf("laser lit %v into a stall the watchdog had already fired in", env.cfg.Watchdog)
		}
		if h := lz.State().Halts; h < 2 {
			t.Errorf("%d halts from the watchdog, want one a period", h)
		}
		close(trace)
		stop()
	})
}

// panicky is a driver that panics on its first write once armed.
type panicky struct {
	*mock.Actuator
	armed    chan struct{} // closed: the next write panics
	panicked chan struct{}
	once     sync.Once
}

func (p *panicky) Do(ctx context.Context, c actuators.Command) error {
	select {
	case <-p.armed:
		p.once.Do(func() { close(p.panicked) })
		panic("driver bug")
	default:
	}
	return p.Actuator.Do(ctx, c)
}

// A driver that panics in a Step: Run returns the panic as an error with
// every output halted, rather than hanging on the lock the Step held.
// (Not in a synctest bubble: a goroutine waiting for a mutex is not
// durably blocked there, and that hang is what this test is for.)
func TestRunReturnsADriverPanic(t *testing.T) {
	pan := &panicky{Actuator: mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
		armed: make(chan struct{}), panicked: make(chan struct{})}
	lz := mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
	env, err := New(Config{
		Axes:     []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 30}},
		Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}},
	}, map[string]actuators.Actuator{"pan": pan, "laser": lz})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- env.Run(t.Context(), nil) }()
	env.Switch(time.Now(), "laser", true, 0)
	close(pan.armed)
	env.MoveTo(time.Now(), "pan", 30) // the homing writes pan, or the move once the hold after it ends
	<-pan.panicked
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "driver bug") {
			t.Errorf("Run returned %v, want the panic", err)
		}
	case <-time.After(10 * time.Second): // a bound: Run returns at once or never
		t.Fatal("Run did not return after a driver panicked in a Step")
	}
	if st := lz.State(); st.On || st.Halts == 0 {
		t.Errorf("laser after the panic: %+v, want halted", st)
	}
}

// slowHalt is a switch whose halt waits for the test.
type slowHalt struct {
	*mock.Actuator
	release chan struct{}
	halting chan struct{}
}

func (s slowHalt) Halt() error {
	select {
	case s.halting <- struct{}{}:
	default:
	}
	<-s.release
	return s.Actuator.Halt()
}

// Stopping the watchdog waits for a run under way, so that it never
// halts an output after Run has closed it, and none starts after.
func TestWatchdogStopWaitsForItsRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lz := slowHalt{mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil), make(chan struct{}), make(chan struct{}, 1)}
		env, err := New(Config{Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}}},
			map[string]actuators.Actuator{"laser": lz})
		if err != nil {
			t.Fatal(err)
		}
		w := env.startWatch(nil)
		<-lz.halting // the watchdog runs: no Step came
		stopped := make(chan struct{})
		go func() { w.stop(); close(stopped) }()
		synctest.Wait()
		select {
		case <-stopped:
			t.Fatal("stop returned while the watchdog was halting")
		default:
		}
		close(lz.release)
		<-stopped
		halts := lz.State().Halts
		time.Sleep(time.Second)
		if lz.State().Halts != halts {
			t.Error("the watchdog ran after stop")
		}
	})
}

// countingHalt is a switch whose halts take a while (a hung bus), and
// which counts how many run at once.
type countingHalt struct {
	*mock.Actuator
	mu        sync.Mutex
	now, most int
	slow      time.Duration
}

func (c *countingHalt) Halt() error {
	c.mu.Lock()
	c.now++
	c.most = max(c.most, c.now)
	c.mu.Unlock()
	time.Sleep(c.slow)
	c.mu.Lock()
	c.now--
	c.mu.Unlock()
	return errors.New("i2c: bus hung")
}

// The watchdog's runs never overlap, even when a Step resets it while a
// run's halts are still waiting on a hung bus: each run keeps the
// outputs it has already reported, which two at once would share.
func TestWatchdogRunsNeverOverlap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lz := &countingHalt{Actuator: mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil), slow: time.Second}
		env, err := New(Config{Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}}},
			map[string]actuators.Actuator{"laser": lz})
		if err != nil {
			t.Fatal(err)
		}
		w := env.startWatch(nil)
		for range 10 { // a loop that steps now and then, resetting the watchdog mid-run
			time.Sleep(300 * time.Millisecond)
			w.reset()
		}
		w.stop()
		if lz.most != 1 {
			t.Errorf("%d watchdog runs at once, want 1", lz.most)
		}
	})
}
