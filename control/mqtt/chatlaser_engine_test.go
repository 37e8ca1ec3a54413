package mqtt

import (
	"context"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/mqtt/mqtttest"
	"github.com/cattease/cattease/danmu"
)

// modSays is a moderator's chat line, decided by the run's engine.
func modSays(eng *control.Engine, id, text string) control.Decision {
	return eng.Handle(time.Now(), danmu.Event{Platform: "bilibili", Kind: danmu.KindChat, ID: id,
		User: danmu.User{ID: "42", Name: "mod", Role: danmu.RoleModerator}, Text: text})
}

// Two rigs: cat's Home Assistant device forbids cat's laser, then a
// moderator's 关激光 is meant for every rig. The engine must not take
// the first rig's forbid (all a Fanout's snapshot shows) for the run's:
// kitten's laser is forbidden too, and 开激光 gives it back.
func TestChatForbidReachesEveryRig(t *testing.T) {
	br := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w := watchStates(t, ctx, br.URL)
	eng, _, rigs := startSplitRigs(t, ctx, br.URL, "cat", "kitten")
	cat, kitten := rigs[0], rigs[1]
	for _, s := range rigs {
		waitFor(t, 5*time.Second, s.name+"'s link up", s.agent.Link)
		waitFor(t, 5*time.Second, s.name+"'s state", func() bool { return s.remote.Online() && published(w, s.name).Link == "up" })
	}
	cat.press(t, ctx, w, CmdLaser, "OFF")
	waitFor(t, 3*time.Second, "cat forbidden by its device", func() bool { _, a, _ := cat.rig.is(); return !a })
	if d := modSays(eng, "1", "关激光"); d.Outcome != control.Accepted {
		t.Fatalf("关激光: %s %s", d.Outcome, d.Reason)
	}
	waitFor(t, 3*time.Second, "kitten forbidden by chat's 关激光", func() bool { _, a, _ := kitten.rig.is(); return !a })
	if d := modSays(eng, "2", "开激光"); d.Outcome != control.Accepted {
		t.Fatalf("开激光: %s %s", d.Outcome, d.Reason)
	}
	waitFor(t, 3*time.Second, "kitten allowed by chat's 开激光", func() bool { _, a, _ := kitten.rig.is(); return a })
	if _, a, _ := cat.rig.is(); a {
		t.Error("chat's 开激光 lifted cat's device's forbid")
	}
}

// A laser forbidden on the Pi's own panel stays dark when a moderator's
// 开激光 lifts chat's 关激光: the moderator is told it is not allowed,
// and the other rig, which nothing else forbids, gets its laser back.
func TestChatAllowLeavesThePisForbidThroughTheEngine(t *testing.T) {
	br := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w := watchStates(t, ctx, br.URL)
	eng, _, rigs := startSplitRigs(t, ctx, br.URL, "cat", "kitten")
	cat, kitten := rigs[0], rigs[1]
	for _, s := range rigs {
		waitFor(t, 5*time.Second, s.name+"'s link up", s.agent.Link)
		waitFor(t, 5*time.Second, s.name+"'s state", func() bool { return s.remote.Online() && published(w, s.name).Link == "up" })
	}
	if d := modSays(eng, "1", "关激光"); d.Outcome != control.Accepted {
		t.Fatalf("关激光: %s %s", d.Outcome, d.Reason)
	}
	for _, s := range rigs {
		waitFor(t, 3*time.Second, s.name+" forbidden by chat", func() bool { _, a, _ := s.rig.is(); return !a })
	}
	cat.agent.Enable("laser", false) // the Pi's own panel, at once on the Pi
	d := modSays(eng, "2", "开激光")
	if d.Reason != control.ReasonPermission {
		t.Errorf("开激光 under the Pi's forbid: %s %s, want the streamer's forbid (permission)", d.Outcome, d.Reason)
	}
	waitFor(t, 3*time.Second, "kitten allowed by chat's 开激光", func() bool { _, a, _ := kitten.rig.is(); return a })
	if _, a, _ := cat.rig.is(); a {
		t.Fatal("chat's 开激光 lifted the forbid given on cat's Pi")
	}
}
