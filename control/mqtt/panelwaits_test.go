package mqtt

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// The Pi's resume refused under the run side's stop leaves its panel
// engine stopped; the run side's resume that then lifts the rig tells it
// (LocalResumed), so the Pi's panel does not go on showing the rig
// stopped, and dropping its buttons, while it plays.
func TestRunResumeTellsThePanelWhoseResumeWasRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		var told atomic.Int32
		s.agentSet = func(a *Agent) { a.LocalResumed = func(time.Time) { told.Add(1) } }
		s.restartAgent()
		time.Sleep(time.Second)
		s.remote.Stop(time.Now()) // chat's 停
		time.Sleep(time.Second)
		if rep := s.agent.Resume(time.Now()); !rep.Refused { // the Pi's panel
			t.Fatalf("the Pi's resume under the run's stop: %+v", rep)
		}
		s.remote.Resume(time.Now()) // chat's 继续
		time.Sleep(time.Second)
		if n := told.Load(); n != 1 {
			t.Fatalf("the run's resume lifted the rig: the Pi's panel told %d times, want 1", n)
		}
		s.remote.Stop(time.Now())
		s.remote.Resume(time.Now()) // nothing of the Pi's waits now
		time.Sleep(time.Second)
		if n := told.Load(); n != 1 {
			t.Errorf("told %d times, want 1", n)
		}
	})
}
