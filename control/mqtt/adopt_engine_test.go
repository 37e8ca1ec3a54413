package mqtt

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/control"
)

// startRunFollowed is memSplit.startRun with no file, the run's engine on
// it, and the stop and forbids the Remote takes over from the agent told
// to the engine as cattease run does (OnRunHoldsAdopted).
func (s *memSplit) startRunFollowed(t *testing.T) (*control.Engine, *[]string) {
	s.remote = &Remote{Topics: s.tp, Log: s.log(), Lasers: []string{"laser"}}
	eng := engineOn(t, Fanout{s.remote})
	var forbids []string
	s.remote.OnRunHoldsAdopted = func(stop bool, off []string) {
		if stop {
			eng.Stop(time.Now())
		}
		forbids = append(forbids, eng.AdoptPanelForbids(off)...)
	}
	s.remote.attach(s.b.client())
	ctx, cancel := context.WithCancel(s.ctx)
	done := make(chan struct{})
	go func() { s.remote.Run(ctx); close(done) }()
	s.endRun = func() { cancel(); <-done }
	return eng, &forbids
}

// The run's stop and forbid the agent kept over its restart, taken over
// by a run side that kept nothing (a dry run, a state directory lost)
// at the agent's first state, stop the run's engine and forbid as the
// panel's: chat's commands are dropped (stopped) and the panel says
// stopped. Before, the Remote held the rig stopped while the engine said
// playing and accepted chat's commands, which the rig then refused.
func TestAdoptedRunStopStopsTheEngine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		file := filepath.Join(t.TempDir(), "run-holds.json")
		s := newMemSplitWith(t, ctx, "", func(a *Agent) { a.RunFile = file }, nil)
		s.remote.Stop(time.Now())       // chat's 停
		s.remote.Enable("laser", false) // the panel's laser switch
		time.Sleep(time.Second)
		s.endRun()
		eng, forbids := s.startRunFollowed(t)
		if eng.Status(time.Now()).Stopped {
			t.Fatal("the engine starts stopped with nothing kept here")
		}
		time.Sleep(2 * time.Second)
		if !s.remote.RunStopped() {
			t.Fatal("the agent's kept stop was not taken over")
		}
		if !eng.Status(time.Now()).Stopped {
			t.Error("the run's stop was taken over on the rig, the engine says not stopped")
		}
		if d := modSays(eng, "1", "左"); d.Outcome != control.Dropped || d.Reason != control.ReasonStopped {
			t.Errorf("左 under the run's stop: %s %s", d.Outcome, d.Reason)
		}
		if !slices.Equal(*forbids, []string{"laser"}) {
			t.Errorf("the engine took %v as the panel's forbid, want [laser]", *forbids)
		}
		if d := modSays(eng, "2", "继续"); d.Outcome != control.Accepted {
			t.Errorf("继续: %s %s", d.Outcome, d.Reason)
		}
		if stopped, _, _ := s.rig.is(); stopped || eng.Status(time.Now()).Stopped {
			t.Errorf("after chat's 继续 the rig is stopped %v, the engine %v", stopped, eng.Status(time.Now()).Stopped)
		}
		s.endRun()
		s.endAgent() // its last write of RunFile before the directory goes
	})
}
