package play

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
)

// An idle rig at 15:02, still for longer than every window; the wall clock
// is stepped 9 h forward, into quiet hours. Run follows the step at once,
// so the outputs' times jump with the wall clock and carry no Wall; the
// play layer parks at that tick, on the wall clock, and the independent
// monitor passes the park: the outputs of the tick of the step say what
// the wall clock read before it.
func TestAStepFollowedAtOnceParksUnflagged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		park := [2]float64{10, 10} // away from home: the park moves
		cr := runOnWallClock(t, 15*time.Hour, Config{MaxPlay: 8 * time.Minute, Rest: 15 * time.Minute,
			QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour, Location: time.UTC, Park: &park}, driven)
		cr.synced.Store(true)
		time.Sleep(2 * time.Second)
		if r := cr.play.MoveTo(cr.wall(), "pan", 30); r.Refused {
			t.Fatalf("chat refused: %+v", r)
		}
		time.Sleep(2 * time.Minute) // the dead man parks home, the servos detach, the rig is still
		step := cr.real()
		cr.offset.Store(int64(24 * time.Hour)) // 15:02 -> 00:02
		time.Sleep(10 * time.Second)
		if ph := cr.play.Snapshot().Session.Phase; ph != PhaseQuiet {
			t.Errorf("phase %q after the step to 00:02, want quiet", ph)
		}
		cr.mu.Lock()
		defer cr.mu.Unlock()
		moved := 0
		for _, o := range cr.outs {
			if o.real < step {
				continue
			}
			if !o.Wall.IsZero() {
				t.Errorf("%s at %v carries the wall clock %v: Run did not follow the step", o.Target, o.Time, o.Wall)
			}
			if o.Action == actuators.ActionAngle {
				moved++
			}
		}
		if moved == 0 {
			t.Fatal("the rig did not park after the step")
		}
		// Before Run's exit, which homes the rig from its park spot.
		for _, v := range cr.mon.Violations() {
			t.Errorf("monitor: %v", v)
		}
	})
}
