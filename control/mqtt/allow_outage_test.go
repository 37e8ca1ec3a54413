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
)

// Chat's 开激光 (and the panel's allow) given while the Pi cannot be
// reached is answered link, not permission, and leaves the run's forbid in
// force here and in the rig's file, as the agent holds it still: when the
// link is back, 开激光 again allows the laser. Before, the run's forbid was
// lifted and its file removed although the agent still had the forbid:
// no side held it any more, and every later 开激光 was refused
// (permission) for good.
func TestAllowInAnOutageKeepsTheRunsForbid(t *testing.T) {
	for _, who := range []string{"chat", "panel"} {
		t.Run(who, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				file := filepath.Join(t.TempDir(), "device.json")
				s := newMemSplitKept(t, ctx, file)
				fan := Fanout{s.remote}
				allow := func() actuators.Reason {
					if who == "chat" {
						return fan.EnableChatReason("laser", true)
					}
					return fan.EnableReason("laser", true)
				}
				if why := fan.EnableChatReason("laser", false); why != "" {
					t.Fatalf("chat's 关激光: %q", why)
				}
				time.Sleep(time.Second)
				s.agentLink.down()
				time.Sleep(2 * time.Second)
				if why := allow(); why != actuators.ReasonLink {
					t.Errorf("the allow in an outage: %q, want link", why)
				}
				if got := s.remote.RunForbidden(); !slices.Equal(got, []string{"laser"}) {
					t.Errorf("the run forbids %v after an allow the agent never saw, want [laser]", got)
				}
				if b, err := os.ReadFile(file); err != nil || !strings.Contains(string(b), `"run_forbidden":["laser"]`) {
					t.Errorf("the rig's file after an allow the agent never saw: %s, %v", b, err)
				}
				s.agentLink.up(ctx)
				time.Sleep(3 * time.Second)
				if _, allowed, _ := s.rig.is(); allowed {
					t.Fatal("the laser is allowed on the Pi though nobody's allow reached it")
				}
				if why := allow(); why != "" {
					t.Errorf("the allow once the Pi is back: %q", why)
				}
				time.Sleep(time.Second)
				if _, allowed, _ := s.rig.is(); !allowed || len(s.remote.RunForbidden()) > 0 {
					t.Errorf("after the allow: allowed on the Pi %v, the run forbids %v", allowed, s.remote.RunForbidden())
				}
				if _, err := os.Stat(file); !os.IsNotExist(err) {
					t.Errorf("the rig's file is left: %v", err)
				}
			})
		})
	}
}

// Chat's 开激光 under a forbid of the Pi's own panel is refused as
// permission, and the run's forbid is lifted all the same (the Pi's allow
// then lights the laser again), as before.
func TestChatAllowUnderThePisForbidIsPermission(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		fan := Fanout{s.remote}
		fan.EnableChatReason("laser", false)
		s.agent.Enable("laser", false) // the Pi's panel
		time.Sleep(time.Second)
		if why := fan.EnableChatReason("laser", true); why != actuators.ReasonPermission {
			t.Errorf("chat's 开激光 under the Pi's forbid: %q, want permission", why)
		}
		if got := s.remote.RunForbidden(); len(got) > 0 {
			t.Errorf("the run forbids %v", got)
		}
		if !s.agent.Enable("laser", true) {
			t.Error("the Pi's allow refused: the run's forbid was lifted")
		}
	})
}
