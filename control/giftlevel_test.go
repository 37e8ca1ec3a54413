package control

import (
	"os"
	"strings"
	"testing"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
)

// guardBuy is a real GUARD_BUY as the Bilibili decoder hands it on: a
// ¥198 舰长 whose sender's account level the platform does not send.
func guardBuy(t *testing.T) danmu.Event {
	t.Helper()
	body, err := os.ReadFile("../danmu/bilibili/testdata/guard_buy_1.json")
	if err != nil {
		t.Fatal(err)
	}
	d := bilibili.Decoder{RoomID: 1, StreamerUID: 2}
	ev, err := d.Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	if ev.User.Level != 0 || ev.Gift.ValueCents != 19800 {
		t.Fatalf("the fixture decodes to level %d, %d cents: want 0 (unknown) and 19800", ev.User.Level, ev.Gift.ValueCents)
	}
	return ev
}

// TestGiftOfUnknownLevelKeepsExclusive: with moderation.min_level set, a
// Bilibili guard purchase (no level on the wire) keeps its 包场 unless
// its sender has shown a level below the minimum in chat; a sender seen
// at or above it keeps it too. The directory is kept for min_level even
// when no command names a viewer.
func TestGiftOfUnknownLevelKeepsExclusive(t *testing.T) {
	minLevel := strings.Replace(roomYAML, "min_level: 0", "min_level: 5", 1)
	noTargets := strings.NewReplacer(
		"  - {name: mute, aliases: [禁言], do: {moderate: timeout}, allow: moderator}\n", "",
		"  - {name: unmute, aliases: [解禁], do: {moderate: untimeout}, allow: moderator}\n", "",
		"  - {name: own, aliases: [包场], do: {moderate: exclusive}, allow: moderator}\n", "",
	).Replace(minLevel)
	for _, c := range []struct {
		name string
		yaml string
		chat int // the level shown in chat before the gift; -1: never seen
		want bool
	}{
		{"never seen", minLevel, -1, true},
		{"seen above", minLevel, 12, true},
		{"seen below", minLevel, 3, false},
		{"seen below, no moderation commands", noTargets, 3, false},
		{"seen above, no moderation commands", noTargets, 12, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, c.yaml)
			ev := guardBuy(t)
			if c.chat >= 0 {
				u := ev.User
				u.Level = c.chat
				h.eng.Handle(h.now, danmu.Event{Platform: ev.Platform, Kind: danmu.KindChat, ID: "chat",
					Time: h.now, User: u, Text: "左"})
			}
			ev.Time = h.now
			n := len(h.decisions)
			d := h.eng.Handle(h.now, ev)
			want(t, d, Accepted, ReasonGift)
			if got := d.Grant != nil && d.Grant.Exclusive > 0; got != c.want {
				t.Fatalf("舰长 bought 包场 %v, want %v: grant %+v, told %+v", got, c.want, d.Grant, h.decisions[n:])
			}
			if !c.want {
				want(t, h.lastOf("exclusive"), Dropped, ReasonLevel)
			}
		})
	}
}
