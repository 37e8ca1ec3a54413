package mqtt

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

// Run-side rules that name no laser: chat's 关激光 reaches the Pi's laser
// the agent's state names (LaserNames), and 开激光 gives it back. Before,
// 关激光 was dropped (unknown_output) before the rig's lasers were asked,
// and the Pi's laser stayed allowed.
func TestChatForbidReachesThePisLaserWithRulesNamingNone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplitWith(t, ctx, "", nil, func(r *Remote) { r.Lasers = nil }) // before its Run reads them
		f, err := config.Load("../../rules.yaml")
		if err != nil {
			t.Fatal(err)
		}
		delete(f.Hardware.Switches, "laser")
		rules, err := control.Compile(f)
		if err != nil {
			t.Fatalf("rules without a laser: %v", err)
		}
		eng, err := control.New(rules, Fanout{s.remote}, control.Options{})
		if err != nil {
			t.Fatal(err)
		}
		d := modSays(eng, "1", "关激光")
		if _, allowed, _ := s.rig.is(); allowed || d.Outcome != control.Accepted {
			t.Fatalf("关激光: %s %q; the Pi's laser allowed %v", d.Outcome, d.Reason, allowed)
		}
		d = modSays(eng, "2", "开激光")
		if _, allowed, _ := s.rig.is(); !allowed || d.Outcome != control.Accepted {
			t.Errorf("开激光: %s %q; the Pi's laser allowed %v", d.Outcome, d.Reason, allowed)
		}
	})
}
