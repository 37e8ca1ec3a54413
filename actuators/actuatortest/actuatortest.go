package actuatortest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/cattease/cattease/actuators"
)

// Probe looks at the fake hardware behind one actuator.
type Probe struct {
	// State returns a snapshot of what the output is doing (register
	// contents, pin level, sysfs files). Equal snapshots mean an unchanged
	// output. Required.
	State func() string
	// Inert reports whether the output is in its inert state: switch off,
	// no servo pulses. Required.
	Inert func() bool
}

var probes sync.Map // *testing.T → Probe

// Observe registers p as the probe for the actuator the factory is building
// for t. Call it inside the factory passed to Run, with the t it was given.
func Observe(t testing.TB, p Probe) {
	t.Helper()
	if p.State == nil || p.Inert == nil {
		t.Fatal("actuatortest: Observe needs both State and Inert")
	}
	probes.Store(t, p)
	t.Cleanup(func() { probes.Delete(t) })
}

// Run runs the conformance suite. newActuator is called once per subtest
// with that subtest's t and must return a fresh output of the given kind.
func Run(t *testing.T, kind actuators.Kind, newActuator func(t *testing.T) actuators.Actuator) {
	t.Helper()
	if kind != actuators.KindAxis && kind != actuators.KindSwitch {
		t.Fatalf("actuatortest: unknown kind %q", kind)
	}
	s := suite{kind: kind, newActuator: newActuator}
	t.Run("String", s.testString)
	t.Run("HaltFresh", s.testHaltFresh)
	t.Run("Valid", s.testValid)
	t.Run("Unsupported", s.testUnsupported)
	t.Run("OutOfRange", s.testOutOfRange)
	t.Run("CancelledContext", s.testCancelled)
	t.Run("DoAfterHalt", s.testDoAfterHalt)
	t.Run("Concurrent", s.testConcurrent)
}

type suite struct {
	kind        actuators.Kind
	newActuator func(t *testing.T) actuators.Actuator
}

// build returns a fresh actuator and its probe (zero Probe if none).
func (s suite) build(t *testing.T) (actuators.Actuator, Probe) {
	t.Helper()
	a := s.newActuator(t)
	if a == nil {
		t.Fatal("factory returned a nil Actuator")
	}
	p, _ := probes.Load(t)
	probe, _ := p.(Probe)
	if probe.State == nil {
		t.Log("no Probe registered with actuatortest.Observe: only errors are checked, not the output")
	}
	return a, probe
}

func (p Probe) state() string {
	if p.State == nil {
		return ""
	}
	return p.State()
}

func (p Probe) requireInert(t *testing.T, a actuators.Actuator, after string) {
	t.Helper()
	if p.Inert != nil && !p.Inert() {
		t.Fatalf("%s: output not inert after %s; hardware: %s", a, after, p.State())
	}
}

func (p Probe) requireActive(t *testing.T, a actuators.Actuator, after string) {
	t.Helper()
	if p.Inert != nil && p.Inert() {
		t.Fatalf("%s: output still inert after %s; hardware: %s", a, after, p.State())
	}
}

// activate is the command that makes an output active; deactivate the one
// that makes it inert.
func (s suite) activate() actuators.Command {
	if s.kind == actuators.KindAxis {
		return actuators.Command{Action: actuators.ActionAngle, Value: 0}
	}
	return actuators.Command{Action: actuators.ActionSwitch, Value: 1}
}

func (s suite) deactivate() actuators.Command {
	if s.kind == actuators.KindAxis {
		return actuators.Command{Action: actuators.ActionDetach}
	}
	return actuators.Command{Action: actuators.ActionSwitch, Value: 0}
}

func (s suite) unsupported() []actuators.Command {
	cmds := []actuators.Command{{Action: "bogus", Value: 0}, {Action: "", Value: 1}}
	if s.kind == actuators.KindAxis {
		return append(cmds,
			actuators.Command{Action: actuators.ActionSwitch, Value: 1},
			actuators.Command{Action: actuators.ActionSwitch, Value: 0})
	}
	return append(cmds,
		actuators.Command{Action: actuators.ActionAngle, Value: 0},
		actuators.Command{Action: actuators.ActionDetach})
}

func (s suite) outOfRange() []actuators.Command {
	var vals []float64
	act := actuators.ActionSwitch
	if s.kind == actuators.KindAxis {
		act = actuators.ActionAngle
		vals = []float64{1e6, -1e6, math.MaxFloat64, -math.MaxFloat64}
	} else {
		vals = []float64{2, -1, 0.5, 1e-300, 1e6}
	}
	vals = append(vals, math.NaN(), math.Inf(1), math.Inf(-1))
	cmds := make([]actuators.Command, len(vals))
	for i, v := range vals {
		cmds[i] = actuators.Command{Action: act, Value: v}
	}
	return cmds
}

func do(t *testing.T, a actuators.Actuator, c actuators.Command) {
	t.Helper()
	if err := a.Do(context.Background(), c); err != nil {
		t.Fatalf("%s: Do(%v) = %v", a, c, err)
	}
}

func (s suite) testString(t *testing.T) {
	a, _ := s.build(t)
	name := a.String()
	if name == "" {
		t.Fatal("String() is empty")
	}
	do(t, a, s.activate())
	if err := a.Halt(); err != nil {
		t.Fatal(err)
	}
	if got := a.String(); got != name {
		t.Fatalf("String() changed from %q to %q", name, got)
	}
}

func (s suite) testHaltFresh(t *testing.T) {
	a, p := s.build(t)
	for i := 0; i < 3; i++ {
		if err := a.Halt(); err != nil {
			t.Fatalf("%s: Halt #%d on a fresh output = %v", a, i, err)
		}
		p.requireInert(t, a, fmt.Sprintf("Halt #%d", i))
	}
	do(t, a, s.activate())
	p.requireActive(t, a, s.activate().String())
	for i := 0; i < 3; i++ {
		if err := a.Halt(); err != nil {
			t.Fatalf("%s: Halt #%d on an active output = %v", a, i, err)
		}
		p.requireInert(t, a, fmt.Sprintf("Halt #%d", i))
	}
}

func (s suite) testValid(t *testing.T) {
	a, p := s.build(t)
	for i := 0; i < 2; i++ {
		do(t, a, s.activate())
		p.requireActive(t, a, s.activate().String())
		do(t, a, s.activate()) // repeating a command is fine
		p.requireActive(t, a, s.activate().String())
		do(t, a, s.deactivate())
		p.requireInert(t, a, s.deactivate().String())
		do(t, a, s.deactivate())
		p.requireInert(t, a, s.deactivate().String())
	}
}

// refused checks that every command in cmds fails with want and leaves the
// output as it was, first with the output inert, then active.
func (s suite) refused(t *testing.T, cmds []actuators.Command, want error) {
	a, p := s.build(t)
	for _, active := range []bool{false, true} {
		if active {
			do(t, a, s.activate())
		}
		for _, c := range cmds {
			before := p.state()
			err := a.Do(context.Background(), c)
			if !errors.Is(err, want) {
				t.Fatalf("%s: Do(%v) = %v; want %v", a, c, err, want)
			}
			if after := p.state(); after != before {
				t.Fatalf("%s: refused Do(%v) changed the output:\nbefore %s\nafter  %s", a, c, before, after)
			}
		}
		if active {
			p.requireActive(t, a, "refused commands")
		} else {
			p.requireInert(t, a, "refused commands")
		}
	}
	if err := a.Halt(); err != nil {
		t.Fatal(err)
	}
}

func (s suite) testUnsupported(t *testing.T) {
	s.refused(t, s.unsupported(), actuators.ErrUnsupported)
}

func (s suite) testOutOfRange(t *testing.T) {
	s.refused(t, s.outOfRange(), actuators.ErrOutOfRange)
}

func (s suite) testCancelled(t *testing.T) {
	a, p := s.build(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, active := range []bool{false, true} {
		if active {
			do(t, a, s.activate())
		}
		for _, c := range []actuators.Command{s.activate(), s.deactivate()} {
			before := p.state()
			if err := a.Do(ctx, c); !errors.Is(err, context.Canceled) {
				t.Fatalf("%s: Do(cancelled, %v) = %v; want context.Canceled", a, c, err)
			}
			if after := p.state(); after != before {
				t.Fatalf("%s: Do(cancelled, %v) changed the output:\nbefore %s\nafter  %s", a, c, before, after)
			}
		}
	}
	// Halt needs no context and works whatever happened to the caller's.
	if err := a.Halt(); err != nil {
		t.Fatal(err)
	}
	p.requireInert(t, a, "Halt")
}

func (s suite) testDoAfterHalt(t *testing.T) {
	a, p := s.build(t)
	do(t, a, s.activate())
	if err := a.Halt(); err != nil {
		t.Fatal(err)
	}
	p.requireInert(t, a, "Halt")
	switch err := a.Do(context.Background(), s.activate()); {
	case err == nil:
		p.requireActive(t, a, "re-arming "+s.activate().String())
	case errors.Is(err, actuators.ErrHalted):
		p.requireInert(t, a, "Do refused with ErrHalted")
	default:
		t.Fatalf("%s: Do after Halt = %v; want nil or ErrHalted", a, err)
	}
	if err := a.Halt(); err != nil {
		t.Fatal(err)
	}
	p.requireInert(t, a, "second Halt")
}

func (s suite) testConcurrent(t *testing.T) {
	a, p := s.build(t)
	const workers, rounds = 4, 50
	cmds := append([]actuators.Command{s.activate(), s.deactivate()}, s.unsupported()[0], s.outOfRange()[0])
	var wg sync.WaitGroup
	errc := make(chan error, workers*rounds*2)
	for w := 0; w < workers; w++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				c := cmds[(w+i)%len(cmds)]
				err := a.Do(context.Background(), c)
				if err != nil && !errors.Is(err, actuators.ErrUnsupported) &&
					!errors.Is(err, actuators.ErrOutOfRange) && !errors.Is(err, actuators.ErrHalted) {
					errc <- fmt.Errorf("Do(%v) = %w", c, err)
				}
				if a.String() == "" {
					errc <- errors.New("String() empty under load")
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < rounds/5; i++ {
				if err := a.Halt(); err != nil {
					errc <- fmt.Errorf("Halt = %w", err)
				}
				_ = p.state() // probing concurrently must be safe too
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Errorf("%s: concurrent use: %v", a, err)
	}
	if err := a.Halt(); err != nil {
		t.Fatal(err)
	}
	p.requireInert(t, a, "Halt after concurrent use")
}
