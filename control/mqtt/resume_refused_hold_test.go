package mqtt

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

// The run's resume refused on a rig held by its device's stop leaves the
// engine stopped, and the run's stop on the rig with it: the device's
// Resume then leaves the rig stopped, as the engine (panel, overlay,
// trace) says it is. Before, the refused resume had cleared the run's
// stop on the rig, and the device's Resume let it play under a run that
// said stopped.
func TestRefusedResumeKeepsTheRunsStopOnAHeldRig(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		f, err := config.Load("../../rules.yaml")
		if err != nil {
			t.Fatal(err)
		}
		rules, err := control.Compile(f)
		if err != nil {
			t.Fatal(err)
		}
		eng, err := control.New(rules, Fanout{s.remote}, control.Options{})
		if err != nil {
			t.Fatal(err)
		}
		eng.Stop(time.Now())      // the run's stop (the panel, chat's 停)
		s.remote.Hold(time.Now()) // the device's Emergency stop
		time.Sleep(time.Second)
		if r := eng.ResumeReason(time.Now()); r != "stopped" {
			t.Fatalf("the run's resume: %q, want stopped", r)
		}
		if !s.remote.RunStopped() {
			t.Error("the refused resume cleared the run's stop on the rig")
		}
		s.remote.Release(time.Now()) // the device's Resume
		time.Sleep(2 * time.Second)
		if stopped, _, _ := s.rig.is(); !stopped || !eng.Status(time.Now()).Stopped {
			t.Errorf("after the device's Resume: the rig stopped %v, the engine stopped %v: want both", stopped, eng.Status(time.Now()).Stopped)
		}
		if r := eng.ResumeReason(time.Now()); r != "" {
			t.Fatalf("the run's resume once the device's stop is gone: %q", r)
		}
		time.Sleep(time.Second)
		if stopped, _, _ := s.rig.is(); stopped {
			t.Error("the run's resume given again left the rig stopped")
		}
	})
}
