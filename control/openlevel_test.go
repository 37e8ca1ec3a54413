package control

import (
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili/open"
	"github.com/cattease/cattease/danmu/bilibili/open/opentest"
)

// openEvent decodes a message as the Open Platform source hands it on.
func openEvent(t *testing.T, h *harness, body []byte) danmu.Event {
	t.Helper()
	d := open.Decoder{Now: func() time.Time { return h.now }}
	ev, err := d.Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	ev.Time = h.now
	return ev
}

// TestMinLevelSkipsSourcesWithoutLevels: the Open Platform sends no
// account level, so moderation.min_level does not judge its viewers:
// their commands are taken, and a gift's 包场 is theirs. A level 0 from a
// source that does carry levels (Bilibili's web) is still below it.
func TestMinLevelSkipsSourcesWithoutLevels(t *testing.T) {
	h := newHarness(t, strings.Replace(roomYAML, "min_level: 0", "min_level: 3", 1))
	viewer := opentest.User{OpenID: "o-1", Name: "猫奴"}
	ev := openEvent(t, h, opentest.DM(viewer, "左"))
	if ev.User.Level != danmu.LevelUnknown {
		t.Fatalf("the Open Platform's chat decodes to level %d, want LevelUnknown", ev.User.Level)
	}
	want(t, h.eng.Handle(h.now, ev), Accepted, ReasonQueued)
	want(t, h.say("2", "左", func(u *danmu.User) { u.Level = 0 }), Dropped, ReasonLevel)
	want(t, h.say("3", "左", func(u *danmu.User) { u.Level = 3 }), Accepted, ReasonQueued)

	// A gift from a viewer whose chat carried no level keeps its 包场.
	d := h.eng.Handle(h.now, openEvent(t, h, opentest.Gift(viewer, "礼物", 1, 100000)))
	want(t, d, Accepted, ReasonGift)
	if d.Grant == nil || d.Grant.Exclusive != time.Minute {
		t.Fatalf("grant %+v, want the 1m 包场 bought", d.Grant)
	}
	// And one from a viewer never seen in chat, too.
	d = h.eng.Handle(h.now, openEvent(t, h, opentest.Gift(opentest.User{OpenID: "o-2", Name: "路人"}, "礼物", 1, 100000)))
	want(t, d, Accepted, ReasonGift)
	if d.Grant == nil || d.Grant.Exclusive != time.Minute {
		t.Fatalf("grant %+v, want the 1m 包场 bought", d.Grant)
	}
}
