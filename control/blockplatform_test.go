package control

import (
	"strings"
	"testing"

	"github.com/cattease/cattease/danmu"
)

// TestBlockUsersByPlatform: block_users' "bilibili:12345678" blocks that
// Bilibili viewer, commands and gifts, and not the Douyu viewer of the
// same uid; a bare uid blocks it on every platform, and not a viewer who
// shows it as their name.
func TestBlockUsersByPlatform(t *testing.T) {
	h := newHarness(t, strings.Replace(roomYAML, `block_users: ["666", 捣乱的]`,
		`block_users: ["bilibili:12345678", "666", 捣乱的]`, 1))
	want(t, h.sayOn("bilibili", "12345678", "左", nil), Dropped, ReasonBlocked)
	want(t, h.sayOn("douyu", "12345678", "左", nil), Accepted, ReasonQueued)
	want(t, h.sayOn("bilibili", "666", "左", nil), Dropped, ReasonBlocked)
	want(t, h.sayOn("douyu", "666", "左", nil), Dropped, ReasonBlocked)
	want(t, h.sayOn("douyu", "7", "左", func(u *danmu.User) { u.Name = "666" }), Accepted, ReasonQueued)
	want(t, h.sayOn("douyu", "8", "左", func(u *danmu.User) { u.Name = "捣乱的" }), Dropped, ReasonBlocked)
	gift := func(platform string) Decision {
		h.n++
		return h.eng.Handle(h.now, danmu.Event{Platform: platform, Kind: danmu.KindSuperChat, ID: "g" + platform,
			Time: h.now, User: danmu.User{ID: "12345678", Name: "troll", Role: danmu.RoleViewer},
			Gift: danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: 3000}})
	}
	want(t, gift("bilibili"), Dropped, ReasonBlocked)
	want(t, gift("douyu"), Accepted, ReasonGift)
}
