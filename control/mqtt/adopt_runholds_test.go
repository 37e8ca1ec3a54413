package mqtt

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// The run's forbid and stop the agent kept over its restart (RunFile) are
// taken as the run's by a run side that kept nothing (a dry run, a state
// directory lost): a Home Assistant device's Laser allowed ON or Resume,
// which the agent cannot tell from chat's, no longer lifts them there.
func TestRunSideTakesTheRunHoldsTheAgentKept(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		file := filepath.Join(t.TempDir(), "run-holds.json")
		s := newMemSplitWith(t, ctx, "", func(a *Agent) { a.RunFile = file }, nil)
		if !s.remote.Enable("laser", false) { // chat's 关激光
			t.Fatal("the forbid was not taken")
		}
		s.remote.Stop(time.Now()) // chat's 停
		time.Sleep(time.Second)
		s.endRun()
		s.endAgent()
		s.startAgent(&envRig{stopped: true}) // the Pi kept its stop too
		s.startRun("")                       // no StateFile
		time.Sleep(2 * time.Second)
		if !s.remote.RunStopped() || !slices.Contains(s.remote.RunForbidden(), "laser") {
			t.Fatalf("the run side did not take the agent's: stopped %v, forbids %v", s.remote.RunStopped(), s.remote.RunForbidden())
		}
		s.remote.Allow("laser", false)
		time.Sleep(time.Second)
		s.remote.Allow("laser", true) // the device's Laser allowed ON
		s.remote.Hold(time.Now())
		s.remote.Release(time.Now()) // the device's Emergency stop, Resume
		time.Sleep(time.Second)
		if stopped, allowed, _ := s.rig.is(); allowed || !stopped {
			t.Errorf("after the device's allow and Resume: laser allowed %v, rig stopped %v", allowed, stopped)
		}
		if !s.said("the agent holds the run's stop or laser forbid from before") {
			t.Errorf("not logged:\n%s", s.logs.String())
		}
	})
}
