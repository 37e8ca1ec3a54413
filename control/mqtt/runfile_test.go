package mqtt

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
)

// The run side's stop and forbid, given from chat, survive a restart of
// the agent while the run side is unreachable: kept in the agent's
// RunFile, they hold apart from the Pi's own, so the Pi's panel's resume
// and allow stay refused. Before, the agent restarted took the stop kept
// by the envelope for the Pi's own: the Pi's resume moved the rig under
// the run's 停 until the run side came back. The run side's resume and
// allow, once it is back, lift them and the file.
func TestAgentKeepsTheRunsHoldsOverItsRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		file := filepath.Join(t.TempDir(), "run-holds.json")
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "kitten"}, logs: &syncBuffer{}}
		s.agentSet = func(a *Agent) { a.RunFile = file }
		s.startAgent(&envRig{})
		s.startRun("")
		time.Sleep(time.Second)
		if rep := s.remote.Stop(time.Now()); rep.Refused {
			t.Fatalf("stop: %+v", rep)
		}
		if !s.remote.Enable("laser", false) {
			t.Fatal("forbid not taken")
		}
		s.endRun() // the broker down, the run side away
		s.endAgent()
		s.startAgent(&envRig{stopped: true}) // the envelope's stop kept on disk
		time.Sleep(2 * time.Second)
		if rep := s.agent.Resume(time.Now()); !rep.Refused || rep.Reason != actuators.ReasonStopped {
			t.Errorf("the Pi's resume under the run's stop kept over a restart: %+v", rep)
		}
		if s.agent.Enable("laser", true) {
			t.Error("the Pi's allow under the run's forbid kept over a restart")
		}
		if stopped, allowed, _ := s.rig.is(); !stopped || allowed {
			t.Errorf("stopped %v, laser allowed %v: the run's holds must hold", stopped, allowed)
		}
		s.startRun("")
		time.Sleep(2 * time.Second)
		if rep := s.remote.Resume(time.Now()); rep.Refused {
			t.Errorf("the run's resume: %+v", rep)
		}
		if !s.remote.Enable("laser", true) {
			t.Error("the run's allow not taken")
		}
		if stopped, allowed, _ := s.rig.is(); stopped || !allowed {
			t.Errorf("stopped %v, laser allowed %v after the run's resume and allow", stopped, allowed)
		}
		time.Sleep(time.Second) // written after the reports, by the agent's keeper
		if _, err := os.Stat(file); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the run's holds lifted, the file stays: %v", err)
		}
	})
}

// An unreadable RunFile holds the rig stopped and its lasers forbidden by
// the run side, the safe side, and says so.
func TestAgentUnreadableRunFile(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		file := filepath.Join(t.TempDir(), "run-holds.json")
		if err := os.WriteFile(file, []byte("{"), 0o600); err != nil {
			t.Fatal(err)
		}
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "kitten"}, logs: &syncBuffer{}}
		s.agentSet = func(a *Agent) { a.RunFile = file }
		s.startAgent(&envRig{})
		if !s.agent.RunStop() || !s.agent.RunForbids("laser") {
			t.Errorf("run stop %v, forbids laser %v", s.agent.RunStop(), s.agent.RunForbids("laser"))
		}
		if !s.said("unreadable") {
			t.Errorf("not said:\n%s", s.logs.String())
		}
	})
}

// The agent's state says which stop and forbids of the run side it keeps
// (run_stop, run_off); a state without them is an agent from before,
// which lets the Pi's panel end them: the run side warns once.
func TestRemoteWarnsOnceOfAnAgentWithoutRunHolds(t *testing.T) {
	r, _, _ := quickRemote()
	var logs strings.Builder
	r.Log = slog.New(slog.NewTextHandler(&logs, nil))
	r.oldAgent = false // quickRemote's own state is an old agent's, said to no log
	const warn = "does not keep the run side's stop and laser forbid apart"
	off, stop := []string{}, false
	b, _ := json.Marshal(agentState{Link: true, RunStop: &stop, RunOff: &off})
	r.onState(Message{Payload: b})
	if strings.Contains(logs.String(), warn) {
		t.Errorf("warned of an agent that says:\n%s", logs.String())
	}
	if !strings.Contains(string(b), `"run_stop":false`) || !strings.Contains(string(b), `"run_off":[]`) {
		t.Errorf("state %s", b)
	}
	b, _ = json.Marshal(agentState{Link: true})
	r.onState(Message{Payload: b})
	r.onState(Message{Payload: b})
	if n := strings.Count(logs.String(), warn); n != 1 {
		t.Errorf("warned %d times, want once:\n%s", n, logs.String())
	}
}

// The agent's state says the run side's stop and forbids it holds.
func TestAgentStateSaysTheRunsHolds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		var mu sync.Mutex
		var got agentState
		watch := s.b.client()
		watch.Handle(s.tp.AgentState(), func(m Message) {
			mu.Lock()
			defer mu.Unlock()
			json.Unmarshal(m.Payload, &got)
		})
		s.remote.Stop(time.Now())
		s.remote.Enable("laser", false)
		time.Sleep(2 * time.Second)
		mu.Lock()
		defer mu.Unlock()
		if got.RunStop == nil || !*got.RunStop || got.RunOff == nil || len(*got.RunOff) != 1 {
			t.Errorf("state says run_stop %v run_off %v", got.RunStop, got.RunOff)
		}
	})
}
