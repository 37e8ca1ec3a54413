package safety

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// panicOn is a log handler that panics when msg is logged: a bug on the
// goroutine that logs it, without a seam in the code under test.
type panicOn struct{ msg string }

func (h panicOn) Enabled(context.Context, slog.Level) bool { return true }
func (h panicOn) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h panicOn) WithGroup(string) slog.Handler            { return h }
func (h panicOn) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		panic("injected bug")
	}
	return nil
}

// panicRig is a pan axis and a laser whose envelope logs to a handler
// that panics on msg; mod adjusts the config.
func panicRig(t *testing.T, msg string, mod func(*Config)) (*Envelope, *mock.Actuator, *mock.Actuator) {
	t.Helper()
	pan := mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)
	lz := mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
	cfg := Config{
		Axes:     []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90}},
		Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}},
		Log:      slog.New(panicOn{msg}),
	}
	if mod != nil {
		mod(&cfg)
	}
	env, err := New(cfg, map[string]actuators.Actuator{"pan": pan, "laser": lz})
	if err != nil {
		t.Fatal(err)
	}
	return env, pan, lz
}

// assertPanicEnded checks that Run ended by itself with the panic on its
// goroutine where, and with every output halted.
func assertPanicEnded(t *testing.T, done <-chan error, where string, outs ...*mock.Actuator) {
	t.Helper()
	err := <-done
	if err == nil || !strings.Contains(err.Error(), "panic in "+where+": injected bug") || errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want the panic in %s alone", err, where)
	}
	if !strings.Contains(err.Error(), "goroutine ") {
		t.Errorf("the panic's error holds no stack: %v", err)
	}
	for _, o := range outs {
		if st := o.State(); st.On || st.Attached || st.Halts == 0 {
			t.Errorf("%s after the panic: %+v, want halted", o, st)
		}
	}
}

// A panic on the ledger writer's goroutine (it writes the laser's lease
// while the laser lights) used to end the process with the laser at its
// last level: now every output is halted and Run returns the panic, which
// ends the run as any failed part does. Run's context is never cancelled
// here: the panic alone ends it.
func TestLedgerWriterPanicHaltsAndEndsRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		state := filepath.Join(t.TempDir(), "gone", "ledger.json") // the write fails, and logs
		env, pan, lz := panicRig(t, "laser ledger not saved: laser refused until it is", func(c *Config) {
			c.DailyLaser, c.StateFile = time.Hour, state
		})
		done := make(chan error, 1)
		go func() { done <- env.Run(context.Background(), nil) }()
		time.Sleep(time.Second)
		env.MoveTo(time.Now(), "pan", 30)
		env.Switch(time.Now(), "laser", true, 0) // the lease is written first
		assertPanicEnded(t, done, "the laser ledger's writer", pan, lz)
	})
}

// A panic on the emergency stop's writer (it keeps the stop on disk):
// every output is halted and Run returns the panic.
func TestStopWriterPanicHaltsAndEndsRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		stopFile := filepath.Join(t.TempDir(), "gone", "cattease-estop")
		env, pan, lz := panicRig(t, "emergency stop not saved: a restart would forget it; trying again", func(c *Config) {
			c.StopFile = stopFile
		})
		done := make(chan error, 1)
		go func() { done <- env.Run(context.Background(), nil) }()
		time.Sleep(time.Second)
		env.Switch(time.Now(), "laser", true, 0)
		time.Sleep(time.Second)
		if !lz.State().On {
			t.Fatal("the laser did not light")
		}
		env.Stop(time.Now())
		assertPanicEnded(t, done, "the emergency stop's writer", pan, lz)
	})
}

// Outside Run, a panic on the stop's writer goes on as a panic, as it did
// (a library user's program ends as with any other), and the next change
// starts a new writer.
func TestStopWriterPanicOutsideRunGoesOn(t *testing.T) {
	l := &stopLatch{path: filepath.Join(t.TempDir(), "gone", "cattease-estop"),
		log:   slog.New(panicOn{"emergency stop not saved: a restart would forget it; trying again"}),
		since: time.Now(), seq: 1, busy: true}
	var p any
	func() {
		defer func() { p = recover() }()
		l.write()
	}()
	if p != "injected bug" {
		t.Fatalf("the writer's panic: %v, want it to go on", p)
	}
	if l.busy {
		t.Error("the writer is still counted as running: no change would be written again")
	}
}

// A panic in the watchdog (it fires from a timer of its own while the
// motion loop is stalled): every output is halted, and Run returns the
// panic once the loop is back.
func TestWatchdogPanicHaltsAndEndsRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var stall chan struct{}
		env, pan, lz := panicRig(t, "watchdog: motion loop stalled; switches off", func(c *Config) {
			c.OnOutput = func(o Output) { // as a stuck --trace write would, under the envelope's lock
				mu.Lock()
				s := stall
				mu.Unlock()
				if s != nil && o.Target == "pan" {
					<-s
				}
			}
		})
		done := make(chan error, 1)
		go func() { done <- env.Run(context.Background(), nil) }()
		time.Sleep(time.Second)
		env.Switch(time.Now(), "laser", true, 0)
		time.Sleep(time.Second)
		s := make(chan struct{})
		mu.Lock()
		stall = s
		mu.Unlock()
		env.MoveTo(time.Now(), "pan", 30)
		time.Sleep(time.Second) // the loop stalls on its pan write; the watchdog fires
		synctest.Wait()
		if st := lz.State(); st.On || st.Halts == 0 {
			t.Errorf("laser while the loop is stalled after the watchdog's panic: %+v, want halted", st)
		}
		// The watchdog still guards the stall after its panic: it fires
		// again a period later (it used to stay marked busy for good).
		h := lz.State().Halts
		time.Sleep(env.cfg.Watchdog)
		synctest.Wait()
		if lz.State().Halts == h {
			t.Error("the watchdog did not fire again after its panic")
		}
		mu.Lock()
		stall = nil
		mu.Unlock()
		close(s)
		assertPanicEnded(t, done, "the watchdog", pan, lz)
	})
}

// haltOrder records the order of its outputs' halts.
type haltOrder struct {
	mu    sync.Mutex
	names []string
}

type recordedHalt struct {
	*mock.Actuator
	order *haltOrder
	panic bool
}

func (r recordedHalt) Halt() error {
	r.order.mu.Lock()
	r.order.names = append(r.order.names, r.String())
	r.order.mu.Unlock()
	if r.panic {
		panic("halt bug")
	}
	return r.Actuator.Halt()
}

// Abort halts the lasers first, whatever their names, and goes on past a
// driver whose Halt panics. Run's way out uses it: its last halt, after a
// panic in a driver too, puts the laser first.
func TestAbortHaltsLasersFirst(t *testing.T) {
	order := &haltOrder{}
	a := recordedHalt{mock.New("a", actuators.KindAxis, mock.Limits{}, nil), order, true}
	b := recordedHalt{mock.New("b", actuators.KindSwitch, mock.Limits{}, nil), order, false}
	z := recordedHalt{mock.New("z", actuators.KindSwitch, mock.Limits{}, nil), order, false}
	env, err := New(Config{
		Axes:     []AxisLimits{{Name: "a", Min: -45, Max: 45, Speed: 90}},
		Switches: []SwitchLimits{{Name: "b", MaxOn: time.Minute}, {Name: "z", Laser: true, MaxOn: time.Minute}},
	}, map[string]actuators.Actuator{"a": a, "b": b, "z": z})
	if err != nil {
		t.Fatal(err)
	}
	// Halt too: the program's exit (the rig's halt) calls it, not Abort.
	for _, stop := range []struct {
		name string
		f    func() error
	}{{"Abort", env.Abort}, {"Halt", env.Halt}} {
		order.names = nil
		halts := z.State().Halts + b.State().Halts
		err = stop.f()
		if err == nil || !strings.Contains(err.Error(), "halt a panicked: halt bug") {
			t.Errorf("%s: %v, want the panicking halt reported", stop.name, err)
		}
		if got := strings.Join(order.names, " "); got != "mock:z mock:a mock:b" {
			t.Errorf("%s halts in the order %q, want the laser first", stop.name, got)
		}
		if z.State().Halts+b.State().Halts != halts+2 {
			t.Errorf("%s: an output after the panicking one was not halted", stop.name)
		}
	}

	order.names = nil
	a.panic = false
	synctest.Test(t, func(t *testing.T) {
		env, err := New(Config{
			Axes:     []AxisLimits{{Name: "a", Min: -45, Max: 45, Speed: 90}},
			Switches: []SwitchLimits{{Name: "b", MaxOn: time.Minute}, {Name: "z", Laser: true, MaxOn: time.Minute}},
		}, map[string]actuators.Actuator{"a": a, "b": b, "z": z})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- env.Run(ctx, nil) }()
		time.Sleep(time.Second)
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Run: %v", err)
		}
	})
	if len(order.names) == 0 || order.names[0] != "mock:z" {
		t.Errorf("Run's last halts in the order %q, want the laser first", order.names)
	}
}

// TestAbortRefusesWhatComesAfter: between Abort and the end of Run (the
// caller cancels it, Run notices at its next tick) a request would light
// the laser again under the ordinary limits: every one is refused.
func TestAbortRefusesWhatComesAfter(t *testing.T) {
	r := aimRig(t, nil)
	if err := r.env.Abort(); err != nil {
		t.Fatal(err)
	}
	if rep := r.env.Switch(r.now, "laser", true, 0); !rep.Refused || rep.Reason != actuators.ReasonShuttingDown {
		t.Errorf("laser after Abort: %+v", rep)
	}
	if rep := r.env.MoveTo(r.now, "pan", 20); !rep.Refused {
		t.Errorf("a move after Abort: %+v", rep)
	}
	r.step(5)
	if r.lz.State().On {
		t.Error("the laser lit after Abort")
	}
}
