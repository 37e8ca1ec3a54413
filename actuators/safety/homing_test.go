package safety

import (
	"testing"
	"testing/synctest"
	"time"
)

// The homing at the first Step is neither activity nor play, yet a step
// forward of the wall clock is followed only once its angle has left the
// duty window; a park is activity but not play.
func TestTheHomingIsNoActivity(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWallRig(t)
		defer w.stop()
		time.Sleep(time.Second)
		if a, p := w.env.LastActivity(), w.env.LastPlay(); !a.IsZero() || !p.IsZero() {
			t.Fatalf("after the homing: activity %v, play %v, want none", a, p)
		}
		w.step.Store(int64(time.Hour))
		time.Sleep(30 * time.Second)
		w.env.mu.Lock()
		followed := w.env.lastStep.After(time.Now().Add(time.Minute))
		w.env.mu.Unlock()
		if followed {
			t.Fatal("the step was followed 31 s after the homing (duty window 60 s)")
		}
		time.Sleep(40 * time.Second)
		w.env.mu.Lock()
		followed = w.env.lastStep.After(time.Now().Add(time.Minute))
		w.env.mu.Unlock()
		if !followed {
			t.Fatal("the step was not followed 71 s after the homing")
		}
		w.env.MoveTo(time.Now().Add(time.Hour), "pan", 10)
		time.Sleep(time.Second)
		act, play := w.env.LastActivity(), w.env.LastPlay()
		if act.IsZero() || !play.Equal(act) {
			t.Fatalf("after a move: activity %v, play %v, want the same", act, play)
		}
		w.env.Park(nil)
		time.Sleep(time.Second)
		if a, p := w.env.LastActivity(), w.env.LastPlay(); !a.After(act) || !p.Equal(play) {
			t.Fatalf("after a park: activity %v, play %v, want activity only", a, p)
		}
	})
}
