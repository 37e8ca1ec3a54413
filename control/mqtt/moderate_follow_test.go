package mqtt

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/control"
)

// Chat's 关激光 given before the run side heard from the agent names only
// the rules' laser; the Pi's laser "dot" is forbidden with it once the
// agent's state shows it. Chat's 开激光 then lifts both: dot is no
// streamer's forbid, and was refused as one (permission) before.
func TestChatAllowLiftsThePisLaserFollowingChatsForbid(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "pi"}, logs: &syncBuffer{}}
		s.startRun("")
		eng := engineOn(t, Fanout{s.remote})
		if d := modSays(eng, "1", "关激光"); d.Outcome != control.Accepted {
			t.Fatalf("关激光 before the agent: %s %s", d.Outcome, d.Reason)
		}
		env := &envRig{}
		s.startAgentOn(dotRig{env}, env)
		time.Sleep(5 * time.Second)
		if _, allowed, _ := env.is(); allowed {
			t.Fatal("chat's 关激光 did not reach the Pi's laser dot")
		}
		if d := modSays(eng, "2", "开激光"); d.Outcome != control.Accepted {
			t.Fatalf("开激光: %s %s", d.Outcome, d.Reason)
		}
		time.Sleep(2 * time.Second)
		if _, allowed, _ := env.is(); !allowed {
			t.Errorf("chat's 开激光 left the Pi's laser dot forbidden (run forbids %v)", s.remote.RunForbidden())
		}
	})
}
