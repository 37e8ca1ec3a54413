package control

import (
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/config"
)

// roundTripRig is a rig on an agent over a slow link: a move waits for
// its report until the test lets it through.
type roundTripRig struct {
	through chan struct{}
	moving  chan struct{} // a move is waiting
	stopped chan struct{} // Stop was called
	once    sync.Once
}

func (r *roundTripRig) MoveTo(time.Time, string, float64) safety.Report {
	select {
	case r.moving <- struct{}{}:
	default:
	}
	<-r.through
	return safety.Report{}
}
func (r *roundTripRig) MoveBy(time.Time, string, float64) safety.Report {
	<-r.through
	return safety.Report{}
}
func (r *roundTripRig) Switch(time.Time, string, bool, time.Duration) safety.Report {
	return safety.Report{}
}
func (r *roundTripRig) Home(time.Time) safety.Report   { return safety.Report{} }
func (r *roundTripRig) Resume(time.Time) safety.Report { return safety.Report{} }
func (r *roundTripRig) Settled() bool                  { return true }
func (r *roundTripRig) Stop(time.Time) safety.Report {
	r.once.Do(func() { close(r.stopped) })
	return safety.Report{}
}

// shippedRules compiles the shipped rules.yaml.
func shippedRules(tb testing.TB) *Rules {
	tb.Helper()
	f, err := config.Load("../rules.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	rules, err := Compile(f)
	if err != nil {
		tb.Fatal(err)
	}
	return rules
}

// The panel's (or Home Assistant's, or SIGUSR1's) emergency stop reaches
// the rig while a Tick is waiting for a move's round trip under the
// engine's lock, not after it. (Not in a synctest bubble: a goroutine
// waiting for a mutex is not durably blocked there.)
func TestStopDoesNotWaitForATick(t *testing.T) {
	rules := shippedRules(t)
	rig := &roundTripRig{through: make(chan struct{}), moving: make(chan struct{}, 1), stopped: make(chan struct{})}
	eng, err := New(rules, rig, Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1000, 0)
	if _, err := eng.Inject(now, "circle"); err != nil {
		t.Fatal(err)
	}
	ticked := make(chan struct{})
	go func() { eng.Tick(now.Add(100 * time.Millisecond)); close(ticked) }()
	<-rig.moving // the Tick holds the engine, waiting for the move's report
	done := make(chan struct{})
	go func() { eng.Stop(now.Add(150 * time.Millisecond)); close(done) }()
	select {
	case <-rig.stopped:
	case <-time.After(10 * time.Second): // a bound, not a wait: the stop comes at once or never
		t.Error("the rig was not stopped while a Tick held the engine")
	}
	close(rig.through)
	<-ticked
	<-done
	if !eng.Status(now.Add(time.Second)).Stopped {
		t.Error("the engine is not stopped")
	}
}

// countingRig counts stops; the first one waits for the test.
type countingRig struct {
	roundTripRig
	mu    sync.Mutex
	stops int
	first chan struct{} // the first stop is under way
	go1   chan struct{} // and may finish
}

func (r *countingRig) Stop(now time.Time) safety.Report {
	r.mu.Lock()
	r.stops++
	n := r.stops
	r.mu.Unlock()
	if n == 1 {
		close(r.first)
		<-r.go1
	}
	return safety.Report{}
}

func (r *countingRig) count() int { r.mu.Lock(); defer r.mu.Unlock(); return r.stops }

// Stop tells the rig once, or twice when a Resume came between its first
// word and the engine's lock: the engine is never left stopped with the
// rig resumed, and a silent agent's rig does not cost two round trips.
func TestStopTellsTheRigAgainOnlyAfterAResume(t *testing.T) {
	rules := shippedRules(t)
	for _, resumed := range []bool{false, true} {
		rig := &countingRig{first: make(chan struct{}), go1: make(chan struct{})}
		eng, err := New(rules, rig, Options{})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Unix(1000, 0)
		done := make(chan struct{})
		go func() { eng.Stop(now); close(done) }()
		<-rig.first
		if resumed {
			eng.Resume(now)
		}
		close(rig.go1)
		<-done
		want := 1
		if resumed {
			want = 2
		}
		if got := rig.count(); got != want {
			t.Errorf("resumed in between %v: the rig told to stop %d times, want %d", resumed, got, want)
		}
		if !eng.Status(now).Stopped {
			t.Errorf("resumed in between %v: the engine is not stopped", resumed)
		}
	}
}
