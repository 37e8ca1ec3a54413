package safety

import (
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
)

// latchRig is newRig keeping its emergency stop in path ("" keeps none).
func latchRig(t *testing.T, path string) *rig {
	t.Helper()
	return newRig(t, func(c *Config) { c.StopFile = path })
}

// assertStopped asserts that r starts stopped: the laser is refused and
// nothing is lit or moved however often it is asked.
func assertStopped(t *testing.T, r *rig, why string) {
	t.Helper()
	if !r.env.Stopped() {
		t.Fatalf("%s: the rig starts free", why)
	}
	for range 50 {
		if rep := r.env.Switch(r.now, "laser", true, 0); rep.Reason != actuators.ReasonStopped {
			t.Fatalf("%s: laser asked under the kept stop: %+v", why, rep)
		}
		r.env.MoveTo(r.now, "pan", 30)
		r.step(1)
	}
	if lit := total(litIntervals(r.outs, r.now)); lit > 0 {
		t.Fatalf("%s: lit %v", why, lit)
	}
}

// TestEmergencyStopOutlivesTheProcess: a stop holds in the next process
// (after a crash: no Halt, no SaveState) until someone resumes; an
// envelope without a stop file (a replay) neither reads nor clears it.
func TestEmergencyStopOutlivesTheProcess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cattease-estop")
		r := latchRig(t, path)
		r.env.Stop(r.now)
		synctest.Wait() // the writer has put it on disk

		assertStopped(t, latchRig(t, path), "after a crash")

		replay := latchRig(t, "")
		if replay.env.Stopped() {
			t.Fatal("an envelope without a stop file adopted the stop")
		}
		replay.env.Stop(replay.now)
		replay.env.Resume(replay.now)
		synctest.Wait()

		next := latchRig(t, path)
		assertStopped(t, next, "after a replay's resume")
		next.env.Resume(next.now)
		synctest.Wait()
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatalf("resumed, the stop file stays: %v", err)
		}
		if latchRig(t, path).env.Stopped() {
			t.Fatal("the stop holds after a resume")
		}
	})
}

// TestStopReachesDiskUnderAStuckLoop: a stop pressed while a driver holds
// the envelope's lock (a hung I²C write) is on disk before the lock is
// free: the watchdog's restart comes back stopped. (Not in a synctest
// bubble: a goroutine waiting for a mutex does not let its time pass.)
func TestStopReachesDiskUnderAStuckLoop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cattease-estop")
	r := latchRig(t, path)
	r.env.mu.Lock() // the stuck motion loop
	stopped := make(chan struct{})
	go func() { r.env.Stop(r.now); close(stopped) }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) { // polling for an outcome
		if _, err := os.Stat(path); err == nil {
			break
		} else if time.Now().After(deadline) {
			r.env.mu.Unlock()
			t.Fatalf("the stop waits for the stuck loop: %v", err)
		}
	}
	r.env.mu.Unlock()
	<-stopped
	assertStopped(t, latchRig(t, path), "restarted after the hang")
}

// TestStopWriteRetried: a stop that cannot be written (the state
// directory gone, a full card) is tried again each second until it holds;
// a Resume meanwhile wins over it.
func TestStopWriteRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "state")
		path := filepath.Join(dir, "cattease-estop")
		r := latchRig(t, path)
		r.env.Stop(r.now)
		time.Sleep(3 * latchRetry)
		if r.env.latch.settled() {
			t.Fatal("a failed write counts as done")
		}
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		time.Sleep(latchRetry)
		synctest.Wait()
		if !r.env.latch.settled() {
			t.Fatal("the write was not tried again")
		}
		assertStopped(t, latchRig(t, path), "after the retried write")

		r.env.Resume(r.now)
		r.env.Stop(r.now)
		r.env.Resume(r.now)
		synctest.Wait()
		if latchRig(t, path).env.Stopped() {
			t.Fatal("stop, resume, stop, resume: the last one lost")
		}
	})
}

// TestUnreadableStopFileStops: a stop file that cannot be read is a stop
// (the safe side), which a resume clears.
func TestUnreadableStopFileStops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cattease-estop")
		if err := os.WriteFile(path, []byte("{half a wri"), 0o600); err != nil {
			t.Fatal(err)
		}
		r := latchRig(t, path)
		assertStopped(t, r, "a torn file")
		r.env.Resume(r.now)
		synctest.Wait()
		if latchRig(t, path).env.Stopped() {
			t.Fatal("resume did not clear the torn file")
		}
	})
}

// TestAKeptStopDoesNotHome: a process that starts under a stop kept from
// before sends its servos no pulse at all (no homing jerk while stopped);
// after the resume they are homed first, as a start homes them, and then
// move.
func TestAKeptStopDoesNotHome(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cattease-estop")
		r := latchRig(t, path)
		r.env.Stop(r.now)
		synctest.Wait()

		next := latchRig(t, path)
		next.env.MoveTo(next.now, "pan", 30)
		next.step(50)
		if a := next.angles("pan"); len(a) > 0 {
			t.Fatalf("started under a kept stop, pan was sent %v", a)
		}
		if h := next.pan.History(); len(h) > 0 {
			t.Fatalf("started under a kept stop, the servo got %v", h)
		}
		next.env.Resume(next.now)
		next.env.MoveTo(next.now, "pan", 10)
		next.step(50)
		a := next.angles("pan")
		if len(a) < 2 || a[0] != 0 || a[len(a)-1] != 10 {
			t.Fatalf("after the resume pan was sent %v, want home first, then on to 10", a)
		}
		var at []time.Time
		for _, o := range next.outs {
			if o.Target == "pan" && o.Action == actuators.ActionAngle {
				at = append(at, o.Time)
			}
		}
		if !at[1].After(at[0]) {
			t.Fatalf("homed and moved on in the same instant %v: the move must start from rest at home", at[0])
		}
		synctest.Wait()
	})
}

// TestAKeptStopLightsNothingBeforeHoming: restarted under a kept stop
// with the servo left at pan 40 (limp, unhomed), a resume and a laser
// request must home the servo first, dark, and light only once it has
// surely arrived (the hold): the beam is not at home until then, whatever
// the envelope assumes.
func TestAKeptStopLightsNothingBeforeHoming(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cattease-estop")
		laserRig := func() *rig {
			return newRig(t, func(c *Config) { c.StopFile, c.Switches[0].Laser = path, true })
		}
		r := laserRig()
		r.env.MoveTo(r.now, "pan", 40)
		r.step(100)
		r.env.Stop(r.now)
		synctest.Wait()

		next := laserRig()
		next.env.Resume(next.now)
		next.env.Switch(next.now, "laser", true, 0)
		next.step(20 + holdTicks(next.env))
		var homedAt time.Time
		for _, o := range next.outs {
			switch {
			case o.Target == "pan" && o.Action == actuators.ActionAngle && homedAt.IsZero():
				if o.Value != 0 {
					t.Fatalf("the first angle after the kept stop was %v, not home", o.Value)
				}
				homedAt = o.Time
			case o.Target == "laser" && o.Action == actuators.ActionSwitch && o.Value == 1:
				if homedAt.IsZero() || o.Time.Before(homedAt.Add(holdTime(next.env))) {
					t.Fatalf("laser lit at %v, the servo homed at %v: lit before it was surely home", o.Time, homedAt)
				}
				return
			}
		}
		t.Fatal("the laser never lit after the homing")
	})
}
