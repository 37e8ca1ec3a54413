package room

import (
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// TestChatUnmuteLiftsThePanelsMute: a mute from the panel names no
// platform and holds on every one; a moderator's unmute, from a platform,
// lifts it, by uid and by name, and leaves other platforms' mutes be.
func TestChatUnmuteLiftsThePanelsMute(t *testing.T) {
	m := NewMutes(10)
	until := t0.Add(time.Hour)
	m.Mute(t0, Target{Name: "v7"}, until)                // the panel, before v7 commanded
	m.Mute(t0, Target{UID: "12345"}, until)              // the panel, a bare uid
	m.Mute(t0, Target{Platform: "d", UID: "8"}, until)   // another platform's
	m.Mute(t0, Target{Platform: "d", Name: "v9"}, until) // another platform's, by name
	if !m.Unmute(Target{Platform: "b", UID: "7", Name: "v7"}) {
		t.Fatal("a moderator's unmute by name missed the panel's mute")
	}
	if !m.Unmute(Target{Platform: "b", UID: "12345"}) {
		t.Fatal("a moderator's unmute by uid missed the panel's mute")
	}
	if m.Unmute(Target{Platform: "b", UID: "8"}) || m.Unmute(Target{Platform: "b", Name: "v9"}) {
		t.Fatal("an unmute on one platform lifted another platform's mute")
	}
	if _, ok := m.Muted(t0, "b", viewer("7")); ok {
		t.Fatal("v7 still muted")
	}
	if m.Len(t0) != 2 {
		t.Fatalf("%d mutes left, want the other platform's 2", m.Len(t0))
	}
}

// TestPanelUnmuteLiftsEveryPlatform: the panel's unmute (no platform)
// lifts the mutes a moderator made on a platform: by uid, by the name
// shown for a uid mute, and by name.
func TestPanelUnmuteLiftsEveryPlatform(t *testing.T) {
	m := NewMutes(10)
	until := t0.Add(time.Hour)
	m.Mute(t0, Target{Platform: "b", UID: "5", Name: "v5"}, until)
	m.Mute(t0, Target{Platform: "d", UID: "6", Name: "v6"}, until)
	m.Mute(t0, Target{Platform: "d", Name: "v7"}, until)
	m.Mute(t0, Target{Platform: "b", UID: "8", Name: "v8"}, until)
	if !m.Unmute(Target{Name: "v5"}) {
		t.Fatal("the panel's unmute by the name shown missed a uid mute")
	}
	if !m.Unmute(Target{UID: "6"}) {
		t.Fatal("the panel's unmute by uid missed another platform's mute")
	}
	if !m.Unmute(Target{Name: "v7"}) {
		t.Fatal("the panel's unmute by name missed another platform's mute")
	}
	for _, c := range []struct {
		platform string
		u        danmu.User
		muted    bool
	}{{"b", viewer("5"), false}, {"d", viewer("6"), false}, {"d", viewer("7"), false}, {"b", viewer("8"), true}} {
		if _, ok := m.Muted(t0, c.platform, c.u); ok != c.muted {
			t.Errorf("%s on %s: muted %v, want %v", c.u.Name, c.platform, ok, c.muted)
		}
	}
	if m.Unmute(Target{Name: "v5"}) {
		t.Fatal("a second unmute found a mute")
	}
}
