package safety

import (
	"context"
	"testing"
)

// TestDriverFaultDuringAStopDoesNotPark: a write that fails while the rig
// is stopped must not send the servos home once the bus recovers: an
// emergency stop means they brake and go limp, and nothing moves until a
// resume (a moderator may have stopped it because the cat is tangled in
// the wand).
func TestDriverFaultDuringAStopDoesNotPark(t *testing.T) {
	env, pan, _ := flakyRig(t)
	now := t0
	step := func(n int) {
		for range n {
			env.Step(context.Background(), now)
			now = now.Add(env.Tick())
		}
	}
	step(1 + holdTicks(env)) // past the hold: moves start
	env.MoveTo(now, "pan", 30)
	step(8) // on its way, moving
	env.Stop(now)
	at := pan.State().Angle
	if at < 5 {
		t.Fatalf("pan at %v: not under way when stopped", at)
	}
	pan.mu.Lock()
	pan.broken = true
	pan.mu.Unlock()
	step(2)
	if env.Snapshot().Faults == 0 {
		t.Fatal("no write failed: the test did not exercise the fault")
	}
	pan.mu.Lock()
	pan.broken = false
	pan.mu.Unlock()
	step(300)
	if got := pan.State().Angle; got < at-1e-9 {
		t.Fatalf("stopped at pan %v, then a bus fault sent it back to %v while still stopped", at, got)
	}
}
