package mqtt

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// A write of the agent's RunFile that fails (a full SD card, a read-only
// remount: here a file where its directory should be) is tried again
// until it succeeds, and meanwhile the agent's state says the run's holds
// are not kept (run_unkept) and the run side warns. Before, it was tried
// only at the next request that changed the holds: an agent restarted
// after the disk came back had lost chat's 关激光, and the Pi's allow lit
// the laser under it.
func TestAgentRunFileWriteRetriedUntilKept(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		dir := filepath.Join(t.TempDir(), "state")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "run-holds.json")
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "kitten"}, logs: &syncBuffer{}}
		s.agentSet = func(a *Agent) { a.RunFile = file }
		s.startAgent(&envRig{})
		s.startRun("")
		var mu sync.Mutex
		var unkept bool
		watch := s.b.client()
		watch.Handle(s.tp.AgentState(), func(m Message) {
			var st agentState
			if json.Unmarshal(m.Payload, &st) == nil {
				mu.Lock()
				unkept = st.RunUnkept
				mu.Unlock()
			}
		})
		said := func() bool { mu.Lock(); defer mu.Unlock(); return unkept }
		time.Sleep(time.Second)
		if said() {
			t.Fatal("run_unkept with nothing to keep")
		}
		// the disk refuses the write
		if err := os.Remove(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if !s.remote.Enable("laser", false) { // chat's 关激光
			t.Fatal("the forbid was not taken")
		}
		time.Sleep(3 * time.Second)
		if !said() {
			t.Error("the agent's state does not say the run's forbid is not kept")
		}
		if !s.said("the agent cannot keep the run's stop and laser forbid on the Pi's disk") {
			t.Errorf("the run side did not warn:\n%s", s.logs.String())
		}
		// the disk is writable again
		os.Remove(dir)
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Second)
		if _, err := os.Stat(file); err != nil {
			t.Fatalf("the run's forbid is still not kept after the disk came back: %v", err)
		}
		if said() {
			t.Error("the agent's state still says the run's forbid is not kept")
		}
		if !s.said("the agent keeps the run's stop and laser forbid on the Pi's disk again") {
			t.Errorf("the run side did not say it is kept again:\n%s", s.logs.String())
		}
		s.endRun() // an outage
		s.endAgent()
		s.startAgent(&envRig{})
		time.Sleep(2 * time.Second)
		if !s.agent.RunForbids("laser") {
			t.Error("the agent restarted in the outage lost the run's forbid")
		}
		if s.agent.Enable("laser", true) {
			t.Error("the Pi's allow was taken under chat's 关激光")
		}
	})
}
