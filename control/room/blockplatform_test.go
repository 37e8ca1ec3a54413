package room

import (
	"testing"

	"github.com/cattease/cattease/danmu"
)

// TestBlocklistByPlatform: an entry after a platform blocks on that
// platform only; a bare entry on every platform. An entry of digits is a
// uid and never blocks a viewer who shows those digits as their name; a
// name entry blocks the name, and a uid that is not digits (an Open
// Platform open_id).
func TestBlocklistByPlatform(t *testing.T) {
	b := NewBlocklist([]string{"bilibili:12345678", " douyu：42 ", "666", "捣乱的", "a1b2-open-id", "Twitch:9"}, nil)
	named := func(id, name string) danmu.User { return danmu.User{ID: id, Name: name} }
	for _, c := range []struct {
		platform string
		u        danmu.User
		want     bool
	}{
		{"bilibili", named("12345678", "x"), true},
		{"douyu", named("12345678", "x"), false}, // another platform's viewer of that uid
		{"douyu", named("42", "x"), true},
		{"bilibili", named("42", "x"), false},
		{"bilibili", named("666", "x"), true},
		{"douyu", named("666", "x"), true},
		{"bilibili", named("7", "666"), false}, // a uid entry is not a name
		{"bilibili", named("7", "12345678"), false},
		{"douyu", named("7", "捣乱的"), true},
		{"bilibili", named("a1b2-open-id", "x"), true},
		{"bilibili", named("0", "666"), false},     // a masked guest has no uid
		{"bilibili", named("7", "Twitch:9"), true}, // no platform known: the entry whole
	} {
		if got := b.User(c.platform, c.u); got != c.want {
			t.Errorf("%s %+v: blocked %v, want %v", c.platform, c.u, got, c.want)
		}
	}
}
