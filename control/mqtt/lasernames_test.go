package mqtt

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// dotRig is an envRig whose laser is named "dot", as on a Pi whose rules
// name it otherwise than the run side's: a switch of another name is not
// part of it (Enable false, which the agent answers unknown_output).
type dotRig struct{ *envRig }

func (r dotRig) Enable(name string, on bool) bool {
	if name != "dot" {
		return false
	}
	return r.envRig.Enable(name, on)
}

func (r dotRig) Snapshot() safety.State {
	st := r.envRig.Snapshot()
	st.Switches[0].Name = "dot"
	return st
}

// startAgentOn starts an agent, connected, on rig, env being the envRig
// under it.
func (s *memSplit) startAgentOn(rig AgentRig, env *envRig) {
	s.rig, s.agentLink = env, s.b.client()
	s.agent = &Agent{Topics: s.tp, Rig: rig, Log: s.log()}
	s.agent.attach(s.agentLink)
	ctx, cancel := context.WithCancel(s.ctx)
	s.agentLink.up(ctx)
	done := make(chan struct{})
	go func() { s.agent.Run(ctx); close(done) }()
	s.endAgent = func() { cancel(); <-done; s.agentLink.close() }
}

// A run-panel forbid of the Pi's laser, named "dot" there while the run
// side's rules say "laser", is kept in the rig's file as run_forbidden
// ["dot"]: at the next start it holds as kept, with the rules' lasers
// forbidden too. Before, Restore took "dot" as a renamed switch and
// replaced it with the rules' ["laser"]: the Pi's laser was no longer
// forbidden, and after the agent restarted autoplay lit it.
func TestRemoteKeptForbidOfThePisLaserHolds(t *testing.T) {
	file := filepath.Join(t.TempDir(), "kept.json")
	if err := os.WriteFile(file, []byte(`{"held":false,"forbidden":null,"run_forbidden":["dot"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := &Remote{Topics: Topics{Base: "cattease", Rig: "pi"}, Lasers: []string{"laser"}, StateFile: file, NoDeviceControl: true}
	err := r.Restore()
	if err == nil || !strings.Contains(err.Error(), "holds as kept") {
		t.Errorf("Restore: %v, want it to say the forbid holds as kept", err)
	}
	if got := r.RunForbidden(); !slices.Equal(got, []string{"dot", "laser"}) {
		t.Errorf("run forbids %v after the restart, want [dot laser]: the Pi's laser dot must stay forbidden", got)
	}
}

// With the Pi's laser named otherwise than in the run side's rules, the
// run side learns its name from the agent's state (LaserNames), warns once
// that the rules do not name it, and chat's forbid of that name reaches
// it; a forbid of the rules' name alone is answered unknown_output (no
// rig has it), which the engine reports instead of taking it as done.
func TestRemoteLearnsThePisLaserName(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "pi"}, logs: &syncBuffer{}}
		env := &envRig{}
		s.startAgentOn(dotRig{env}, env)
		s.startRun("")
		time.Sleep(2 * time.Second)
		fan := Fanout{s.remote}
		if got := fan.LaserNames(); !slices.Equal(got, []string{"dot", "laser"}) {
			t.Errorf("laser names %v, want [dot laser]", got)
		}
		const warn = "the agent's rig has a laser that the run's rules do not name"
		if n := strings.Count(s.logs.String(), warn); n != 1 {
			t.Errorf("warned %d times, want once:\n%s", n, s.logs.String())
		}
		if why := fan.EnableChatReason("laser", false); why != actuators.ReasonUnknownOutput {
			t.Errorf("the forbid of the rules' laser alone: %q, want unknown_output (the Pi has none of that name)", why)
		}
		if _, allowed, _ := env.is(); !allowed {
			t.Fatal("forbidden by a name the Pi does not have?")
		}
		if why := fan.EnableChatReason("dot", false); why != "" {
			t.Errorf("the forbid of the Pi's laser: %q", why)
		}
		if _, allowed, _ := env.is(); allowed {
			t.Error("the Pi's laser is allowed after chat's forbid of its name")
		}
		if why := fan.EnableChatReason("dot", true); why != "" {
			t.Errorf("chat's allow of the Pi's laser: %q", why)
		}
		if _, allowed, _ := env.is(); !allowed {
			t.Error("the Pi's laser stays forbidden after chat's allow")
		}
	})
}
