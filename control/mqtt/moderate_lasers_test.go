package mqtt

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

// engineOn is the run's engine (the shipped rules, whose laser is
// "laser") on the rigs of fan.
func engineOn(t *testing.T, fan Fanout) *control.Engine {
	t.Helper()
	f, err := config.Load("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := control.Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := control.New(rules, fan, control.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// The Pi's laser is named "dot" while the run side's rules say "laser":
// chat's 关激光 forbids it all the same (the engine takes the agent's
// laser names from the rig: Fanout.LaserNames), 开激光 gives it back, and
// the panel's laser switch knows the name. Before, 关激光 was answered
// accepted and did nothing (the agent's unknown_output swallowed).
func TestChatForbidReachesThePisLaserNamedOtherwise(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "pi"}, logs: &syncBuffer{}}
		env := &envRig{}
		s.startAgentOn(dotRig{env}, env)
		s.startRun("")
		time.Sleep(2 * time.Second)
		eng := engineOn(t, Fanout{s.remote})
		if d := modSays(eng, "1", "关激光"); d.Outcome != control.Accepted {
			t.Fatalf("关激光: %s %s", d.Outcome, d.Reason)
		}
		if _, allowed, _ := env.is(); allowed {
			t.Fatal("chat's 关激光 left the Pi's laser dot allowed")
		}
		if d := modSays(eng, "2", "开激光"); d.Outcome != control.Accepted {
			t.Fatalf("开激光: %s %s", d.Outcome, d.Reason)
		}
		if _, allowed, _ := env.is(); !allowed {
			t.Fatal("chat's 开激光 left the Pi's laser dot forbidden")
		}
		if !eng.SetLaser("dot", false) {
			t.Error("the panel's laser switch does not know the Pi's laser dot")
		}
		if _, allowed, _ := env.is(); allowed {
			t.Error("the panel's forbid of dot did not reach the Pi")
		}
	})
}

// 关激光 that no rig has a laser for (the agent answers unknown_output
// for every name) is reported, not accepted.
func TestChatForbidOfNoLaserIsReported(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "pi"}, logs: &syncBuffer{}}
		env := &envRig{}
		s.startAgentOn(noLaserRig{env}, env)
		s.startRun("")
		time.Sleep(2 * time.Second)
		eng := engineOn(t, Fanout{s.remote})
		if d := modSays(eng, "1", "关激光"); d.Outcome == control.Accepted || d.Reason != actuators.ReasonUnknownOutput {
			t.Errorf("关激光 on a Pi with no such laser: %s %s, want dropped (unknown_output)", d.Outcome, d.Reason)
		}
	})
}

// noLaserRig is an envRig that takes no switch by any name.
type noLaserRig struct{ *envRig }

func (noLaserRig) Enable(string, bool) bool { return false }

// Chat's 开激光 given while the Pi cannot be reached is reported as link,
// not permission, and chat's 关激光 holds still (the run's forbid, the
// engine's note): 开激光 once the Pi is back allows the laser. Before,
// it was refused as permission, and every later 开激光 too, for good.
func TestChatAllowInAnOutageIsLinkAndCanBeGivenAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		eng := engineOn(t, Fanout{s.remote})
		if d := modSays(eng, "1", "关激光"); d.Outcome != control.Accepted {
			t.Fatalf("关激光: %s %s", d.Outcome, d.Reason)
		}
		time.Sleep(time.Second)
		s.agentLink.down()
		time.Sleep(2 * time.Second)
		if d := modSays(eng, "2", "开激光"); d.Reason != actuators.ReasonLink {
			t.Errorf("开激光 in an outage: %s %s, want link", d.Outcome, d.Reason)
		}
		s.agentLink.up(ctx)
		time.Sleep(3 * time.Second)
		if _, allowed, _ := s.rig.is(); allowed {
			t.Fatal("allowed on the Pi, though no allow reached it")
		}
		if d := modSays(eng, "3", "开激光"); d.Outcome != control.Accepted {
			t.Fatalf("开激光 once the Pi is back: %s %s", d.Outcome, d.Reason)
		}
		time.Sleep(time.Second)
		if _, allowed, _ := s.rig.is(); !allowed {
			t.Error("chat's 开激光 once the Pi is back left the laser forbidden")
		}
	})
}
