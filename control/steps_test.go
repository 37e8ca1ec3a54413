package control

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/danmu"
)

// A tick's time is on the grid of whole periods after the anchor: a tick
// that came a little late is put back on it, as a ticker's times are; one
// that came early on it, or more than half a period late, is the new
// anchor. So a pace of whole ticks measured between such times lasts
// those ticks, however late each came.
func TestStepTickTimes(t *testing.T) {
	const p = 20 * time.Millisecond
	s := &stepTicks{period: p}
	us := time.Microsecond
	for i, c := range []struct{ now, want time.Duration }{
		{700 * us, 700 * us},                               // the first: the anchor
		{p + 900*us, p + 700*us},                           // late by 200 µs
		{2*p + 700*us, 2*p + 700*us},                       // on time
		{5*p + 10*time.Millisecond + 700*us, 5*p + 700*us}, // half a period late, ticks missed
		{6*p + 300*us, 6*p + 300*us},                       // early on the grid: the new anchor
		{7*p + 900*us, 7*p + 300*us},
		{8*p + 11*time.Millisecond, 8*p + 11*time.Millisecond}, // more than half late: the new anchor
		{9*p + 11*time.Millisecond, 9*p + 11*time.Millisecond},
	} {
		if got := s.at(t0.Add(c.now)); !got.Equal(t0.Add(c.want)) {
			t.Errorf("tick %d at %v: time %v, want %v", i, c.now, got.Sub(t0), c.want)
		}
	}
}

// The motion loop's tick (TickOnSteps) returns once Run has ticked, at
// once; while a Tick is held up (here by an OnDecision that blocks) it
// returns after a quarter of a period, so the motion loop steps on and its
// watchdog is fed, and Run ticks later, once, on the loop's latest tick.
// Run ticks on the loop's ticks only, and ends on one once the events
// have ended and the engine is idle.
func TestTickOnSteps(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env := benchRig(t)
		gate := make(chan struct{})
		eng, err := New(rules200(t), env, Options{OnDecision: func(d Decision) {
			if d.EventID == "slow" && d.Reason == ReasonRan {
				<-gate
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		const p = 20 * time.Millisecond
		tick := eng.TickOnSteps(p)
		in := make(chan []danmu.Event)
		done := make(chan error, 1)
		go func() { done <- eng.Run(context.Background(), in) }()

		ticks := 0
		step := func(want time.Duration) {
			t.Helper()
			start := time.Now()
			tick()
			if d := time.Since(start); d != want {
				t.Fatalf("tick %d took %v, want %v", ticks, d, want)
			}
			ticks++
			env.Step(context.Background(), time.Now())
		}
		last := func() time.Time { // when the engine last ticked or decided
			eng.mu.Lock()
			defer eng.mu.Unlock()
			return eng.now
		}
		step(0)
		if !last().Equal(time.Now()) {
			t.Fatalf("the engine ticked at %v, not at the step", last())
		}
		time.Sleep(p) // no ticker of its own: nothing ticks it meanwhile
		if last().Equal(time.Now()) {
			t.Fatal("Run ticked on a ticker of its own")
		}

		// The Tick that runs "slow" blocks in its OnDecision.
		eng.Handle(time.Now(), danmu.Event{Platform: "bilibili", Kind: danmu.KindChat, ID: "slow", Time: time.Now(),
			User: danmu.User{ID: "1", Role: danmu.RoleViewer}, Text: "左"})
		held := time.Now()
		step(p / 4)
		time.Sleep(time.Until(held.Add(p)))
		step(p / 4)
		close(gate)
		synctest.Wait()
		if !last().Equal(held.Add(p)) {
			t.Fatalf("after the hold the engine ticked at %v, want the latest tick %v", last(), held.Add(p))
		}
		time.Sleep(time.Until(held.Add(2 * p)))
		step(0)
		close(in)
		for range 100 {
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
				return
			default:
			}
			time.Sleep(p)
			// Not step(0): Run may end between the check above and this
			// tick, and then nobody takes it and the loop waits its
			// quarter tick, as it should for an engine gone.
			tick()
			env.Step(context.Background(), time.Now())
		}
		t.Fatal(errors.New("Run did not end once idle"))
	})
}
