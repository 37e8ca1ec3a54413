package mqtt

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/control"
)

// The run's forbid of a laser only the Pi names ("dot"), given by name
// and not by the engine (kept from before this start, or taken over from
// the agent), is no forbid of chat's: chat's 开激光 lifts nothing and is
// answered permission, as before 3167593, not accepted while the laser
// stays dark. One that followed chat's 关激光 of the rules' lasers is
// lifted with it (moderate_follow_test.go).
func TestChatAllowRefusedUnderTheRunsForbidOfThePisLaserByName(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "pi"}, logs: &syncBuffer{}}
		env := &envRig{}
		s.startAgentOn(dotRig{env}, env)
		s.startRun("")
		time.Sleep(2 * time.Second)
		s.remote.Enable("dot", false) // the run's forbid, as kept from before this start
		time.Sleep(time.Second)
		eng := engineOn(t, Fanout{s.remote})
		d := modSays(eng, "1", "开激光")
		if _, allowed, _ := env.is(); allowed {
			t.Fatalf("开激光 lifted a forbid chat did not give: %s %s", d.Outcome, d.Reason)
		}
		if d.Outcome == control.Accepted {
			t.Errorf("开激光 answered accepted, the laser stays forbidden")
		}
		if d.Reason != control.ReasonPermission {
			t.Errorf("开激光: %s %q, want permission", d.Outcome, d.Reason)
		}
	})
}
