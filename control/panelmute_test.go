package control

import (
	"fmt"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// sayOn is say from a viewer on platform.
func (h *harness) sayOn(platform, user, text string, mod func(*danmu.User)) Decision {
	h.n++
	u := danmu.User{ID: user, Name: "u" + user, Role: danmu.RoleViewer}
	if mod != nil {
		mod(&u)
	}
	return h.eng.Handle(h.now, danmu.Event{Platform: platform, Kind: danmu.KindChat, ID: fmt.Sprint(h.n),
		Time: h.now, User: u, Text: text})
}

// panel carries out a moderation from the panel.
func (h *harness) panel(action, target string) Decision {
	h.t.Helper()
	d, err := h.eng.Moderate(h.now, Moderation{Action: action, Target: target})
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// muted reports whether the viewer uid on platform is muted now: their
// command is refused for a mute.
func (h *harness) muted(platform, uid string) bool {
	h.t.Helper()
	h.run(3 * time.Second) // past their cooldown
	return h.sayOn(platform, uid, "左", nil).Reason == ReasonTimeout
}

// TestPanelUnmutesAModeratorsMuteOfAViewerForgotten: a moderator mutes u5
// from Bilibili; 4,096 viewers command after, and the name directory
// forgets u5. The panel's unmute still lifts the mute: it looks on every
// platform, by uid and by the name shown.
func TestPanelUnmutesAModeratorsMuteOfAViewerForgotten(t *testing.T) {
	h := newHarness(t, roomYAML)
	h.sayOn("bilibili", "5", "左", nil)
	want(t, h.sayOn("bilibili", "1", "禁言 u5 1h", mod), Accepted, ReasonModeration)
	for i := range directorySize {
		h.sayOn("bilibili", fmt.Sprint(100000+i), "左", nil)
	}
	if !h.muted("bilibili", "5") {
		t.Fatal("u5 not muted")
	}
	want(t, h.panel("untimeout", "u5"), Accepted, ReasonModeration)
	if h.muted("bilibili", "5") {
		t.Fatal("u5 still muted after the panel's unmute")
	}
	if n := h.eng.Status(h.now).Timeouts; n != 0 {
		t.Fatalf("%d mutes left", n)
	}
}

// TestPanelUnmuteWhenTheNameIsSeenElsewhere: a moderator mutes u5 on
// Bilibili, then a Douyu viewer by that name commands, and the directory
// places u5 on Douyu. The panel's unmute lifts the Bilibili mute all the
// same: it is the one the streamer sees.
func TestPanelUnmuteWhenTheNameIsSeenElsewhere(t *testing.T) {
	h := newHarness(t, roomYAML)
	h.sayOn("bilibili", "5", "左", nil)
	want(t, h.sayOn("bilibili", "1", "禁言 u5 1h", mod), Accepted, ReasonModeration)
	h.sayOn("douyu", "55", "左", func(u *danmu.User) { u.Name = "u5" })
	want(t, h.panel("untimeout", "u5"), Accepted, ReasonModeration)
	if h.muted("bilibili", "5") {
		t.Fatal("u5 still muted on Bilibili after the panel's unmute")
	}
}

// TestModeratorUnmutesThePanelsMute: the panel mutes u7 before u7 has
// commanded, so on no platform; a Bilibili moderator's 解禁 lifts it,
// whether u7 has commanded since (the directory knows their uid) or not.
func TestModeratorUnmutesThePanelsMute(t *testing.T) {
	h := newHarness(t, roomYAML)
	want(t, h.panel("timeout", "u7"), Accepted, ReasonModeration)
	want(t, h.sayOn("bilibili", "1", "解禁 u7", mod), Accepted, ReasonModeration)
	if h.muted("bilibili", "7") || h.muted("douyu", "7") {
		t.Fatal("u7 still muted after a moderator's unmute")
	}

	want(t, h.panel("timeout", "u8"), Accepted, ReasonModeration)
	if !h.muted("bilibili", "8") { // seen now, muted by name
		t.Fatal("u8 not muted")
	}
	want(t, h.sayOn("bilibili", "1", "解禁 u8", mod), Accepted, ReasonModeration)
	if h.muted("bilibili", "8") {
		t.Fatal("u8 still muted after a moderator's unmute")
	}
}

// TestPanelMuteByUID: a bare uid from the panel is muted on the platform
// the directory saw it on, when that is one; a uid cattease has not seen
// is muted on every platform, and a moderator's 解禁 lifts it; a platform
// written before the uid mutes it there only.
func TestPanelMuteByUID(t *testing.T) {
	h := newHarness(t, roomYAML)
	h.sayOn("bilibili", "12345", "左", nil)
	want(t, h.panel("timeout", "12345"), Accepted, ReasonModeration)
	if !h.muted("bilibili", "12345") || h.muted("douyu", "12345") {
		t.Fatal("a uid seen on Bilibili only: muted there and only there")
	}
	want(t, h.sayOn("bilibili", "1", "解禁 12345", mod), Accepted, ReasonModeration)
	if h.muted("bilibili", "12345") {
		t.Fatal("still muted after a Bilibili moderator's unmute")
	}

	want(t, h.panel("timeout", "54321"), Accepted, ReasonModeration) // unseen
	if !h.muted("bilibili", "54321") || !h.muted("douyu", "54321") {
		t.Fatal("a uid not seen: muted on every platform")
	}
	want(t, h.sayOn("bilibili", "1", "解禁 54321", mod), Accepted, ReasonModeration)
	if h.muted("bilibili", "54321") || h.muted("douyu", "54321") {
		t.Fatal("a Bilibili moderator's unmute left the panel's mute")
	}

	want(t, h.panel("timeout", "douyu:777"), Accepted, ReasonModeration)
	if h.muted("bilibili", "777") || !h.muted("douyu", "777") {
		t.Fatal("douyu:777: muted on Douyu only")
	}
	want(t, h.sayOn("bilibili", "1", "解禁 777", mod), Dropped, ReasonNoTarget)
	want(t, h.panel("untimeout", "777"), Accepted, ReasonModeration)
	if h.muted("douyu", "777") {
		t.Fatal("still muted after the panel's unmute")
	}
}

// TestPanelMuteByUIDSeenOnTwoPlatforms: a uid seen on two platforms is two
// viewers the panel cannot tell apart: it is muted on every platform.
func TestPanelMuteByUIDSeenOnTwoPlatforms(t *testing.T) {
	h := newHarness(t, roomYAML)
	h.sayOn("bilibili", "12345", "左", nil)
	h.sayOn("douyu", "12345", "左", nil)
	want(t, h.panel("timeout", "12345"), Accepted, ReasonModeration)
	if !h.muted("bilibili", "12345") || !h.muted("douyu", "12345") {
		t.Fatal("a uid seen on two platforms: muted on both")
	}
}

// TestPanelExclusiveIsThePanels: the status says a 包场 from the panel is
// the panel's, not a moderator's.
func TestPanelExclusiveIsThePanels(t *testing.T) {
	h := newHarness(t, roomYAML)
	want(t, h.panel("exclusive", "u3"), Accepted, ReasonModeration)
	if x := h.eng.Status(h.now).Exclusive; x == nil || x.By != "panel" {
		t.Fatalf("exclusive %+v, want by panel", x)
	}
}
