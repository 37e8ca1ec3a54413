package mqtt

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
)

// The run's resume (chat's 继续, the panel's) given while the Pi cannot
// be reached is answered link, leaves the run's stop in force here and in
// the rig's file, and says so in the log: the resume given again once the
// Pi is back ends it. Before, it was answered as accepted, the run's stop
// was lifted and its file removed while the rig stayed stopped, and
// nothing was logged.
func TestResumeInAnOutageKeepsTheRunsStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		file := filepath.Join(t.TempDir(), "device.json")
		s := newMemSplitKept(t, ctx, file)
		s.remote.Stop(time.Now())
		time.Sleep(time.Second)
		s.agentLink.down()
		time.Sleep(2 * time.Second)
		if rep := (Fanout{s.remote}).Resume(time.Now()); !rep.Refused || rep.Reason != actuators.ReasonLink {
			t.Errorf("the resume in an outage: %+v, want refused (link)", rep)
		}
		if !s.remote.RunStopped() {
			t.Error("the run's stop is lifted by a resume the agent never saw")
		}
		if b, err := os.ReadFile(file); err != nil || !strings.Contains(string(b), `"run_stop":true`) {
			t.Errorf("the rig's file: %s, %v", b, err)
		}
		if !s.said("the agent did not confirm the run's resume") {
			t.Errorf("not logged:\n%s", s.logs.String())
		}
		s.agentLink.up(ctx)
		time.Sleep(3 * time.Second)
		if stopped, _, _ := s.rig.is(); !stopped {
			t.Fatal("the rig runs: nobody's resume reached it")
		}
		if rep := s.remote.Resume(time.Now()); rep.Refused {
			t.Errorf("the resume once the Pi is back: %+v", rep)
		}
		time.Sleep(time.Second)
		if stopped, _, _ := s.rig.is(); stopped || s.remote.RunStopped() {
			t.Errorf("after the resume: stopped %v, the run's stop %v", stopped, s.remote.RunStopped())
		}
		if _, err := os.Stat(file); !os.IsNotExist(err) {
			t.Errorf("the rig's file is left: %v", err)
		}
	})
}
