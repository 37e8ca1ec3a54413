package mqtt

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
)

// The agent keeps the run side's laser forbid apart from the Pi's: the
// Pi's panel allow lifts the Pi's own forbid alone, and the laser stays
// forbidden (never lit, not for a moment) while the run's holds, the
// answer false and the log saying so. The run's allow lifts both, as
// before. Before, the Pi's allow lifted the run's forbid on the Pi until
// the run side sent it again, up to ~350 ms, and autoplay lit the laser.
func TestPisAllowLeavesTheRunsForbid(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		s.endAgent()
		rig, _ := s.startPlayAgent(false)
		time.Sleep(2 * time.Second)
		if !s.remote.Enable("laser", false) { // chat's 关激光, the run's panel
			t.Fatal("the run's forbid was not taken")
		}
		before := rig.lightings()
		s.agent.Enable("laser", false) // the Pi's panel: off,
		if s.agent.Enable("laser", true) {
			t.Error("the Pi's allow says allowed under the run's forbid")
		}
		if _, allowed, _ := rig.is(); allowed || rig.lightings() > before {
			t.Fatalf("the Pi's allow lifted the run's forbid: allowed %v, lit %d times", allowed, rig.lightings()-before)
		}
		if s.agent.LocalForbids("laser") || !s.agent.RunForbids("laser") {
			t.Errorf("the Pi's forbid holds %v (want lifted), the run's %v (want held)", s.agent.LocalForbids("laser"), s.agent.RunForbids("laser"))
		}
		if !s.said("the Pi's allow lifts the Pi's own forbid only") {
			t.Errorf("not logged:\n%s", s.logs.String())
		}
		if !s.remote.Enable("laser", true) {
			t.Fatal("the run's allow was not taken")
		}
		if _, allowed, _ := rig.is(); !allowed || s.agent.RunForbids("laser") {
			t.Errorf("after the run's allow: allowed %v, the run's forbid held on the Pi %v", allowed, s.agent.RunForbids("laser"))
		}
		s.agent.Enable("laser", false)
		if !s.agent.Enable("laser", true) { // nothing of the run's: the Pi's allow works
			t.Error("the Pi's allow refused with no forbid of the run's")
		}
	})
}

// The agent keeps the run side's stop apart from the Pi's: the Pi's panel
// resume ends the Pi's own stop alone and is refused (stopped) while the
// run's holds, with a warning; the rig never moves until the run's resume.
// Before, the Pi's resume ended the run's stop on the Pi, and a pattern of
// the Pi's panel moved the servos until the run side stopped it again.
func TestPisResumeLeavesTheRunsStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		s.remote.Stop(time.Now()) // chat's 停
		s.agent.Stop(time.Now())  // the Pi's panel too
		if rep := s.agent.Resume(time.Now()); !rep.Refused || rep.Reason != actuators.ReasonStopped {
			t.Errorf("the Pi's resume under the run's stop: %+v", rep)
		}
		if rep := s.rig.MoveTo(time.Now(), "pan", 10); !rep.Refused {
			t.Errorf("a move of the Pi's panel just after its resume: %+v", rep)
		}
		if stopped, _, pan := s.rig.is(); !stopped || pan != 0 {
			t.Fatalf("the Pi's resume ended the run's stop: stopped %v, pan %v", stopped, pan)
		}
		if s.agent.LocalStop() || !s.agent.RunStop() {
			t.Errorf("the Pi's stop holds %v (want ended), the run's %v (want held)", s.agent.LocalStop(), s.agent.RunStop())
		}
		if !s.said("the Pi's resume ends the Pi's own stop only") {
			t.Errorf("not logged:\n%s", s.logs.String())
		}
		s.remote.Resume(time.Now()) // the run's
		time.Sleep(time.Second)
		if stopped, _, _ := s.rig.is(); stopped || s.agent.RunStop() {
			t.Fatalf("after the run's resume: stopped %v, the run's stop held on the Pi %v", stopped, s.agent.RunStop())
		}
		s.agent.Stop(time.Now())
		if rep := s.agent.Resume(time.Now()); rep.Refused {
			t.Errorf("the Pi's resume of its own stop: %+v", rep)
		}
	})
}
