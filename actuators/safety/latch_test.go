package safety

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
)

// TestEmergencyStopOutlivesTheProcess: a stop made before a crash (no
// SaveState, no Halt), or before a clean exit, holds in the next process
// until someone resumes; the laser stays dark and nothing moves. Without
// the latch (replays) a new process starts free.
func TestEmergencyStopOutlivesTheProcess(t *testing.T) {
	for _, clean := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "state.json")
		r := ledgerRigLatch(t, path, t0, time.Minute, true)
		r.wiggle(30)
		r.env.Stop(r.now)
		r.step(2) // the stop reaches the disk within a tick
		if clean {
			r.env.Halt()
			if err := r.env.SaveState(); err != nil {
				t.Fatal(err)
			}
		}

		next := ledgerRigLatch(t, path, r.now.Add(time.Minute), time.Minute, true)
		if !next.env.Stopped() {
			t.Fatalf("clean exit %v: the next process starts free of the emergency stop", clean)
		}
		if rep := next.env.Switch(next.now, "laser", true, 0); rep.Reason != actuators.ReasonStopped {
			t.Fatalf("laser asked under the kept stop: %+v", rep)
		}
		next.wiggle(50)
		if lit := total(litIntervals(next.outs, next.now)); lit > 0 {
			t.Fatalf("lit %v under the kept stop", lit)
		}

		// Resumed, then killed again: the third process starts free.
		next.env.Resume(next.now)
		next.step(2)
		third := ledgerRigLatch(t, path, next.now.Add(time.Minute), time.Minute, true)
		if third.env.Stopped() {
			t.Fatal("the stop still holds after a resume")
		}
		third.wiggle(30)
		if lit := total(litIntervals(third.outs, third.now)); lit == 0 {
			t.Fatal("the laser stays dark after a resume")
		}

		// A replay's envelope (no latch) neither keeps nor adopts a stop.
		third.env.Stop(third.now)
		third.step(2)
		if free := ledgerRigLatch(t, path, third.now.Add(time.Minute), time.Minute, false); free.env.Stopped() {
			t.Fatal("an envelope without the latch adopted the stop")
		}
	}
}
