package room

import (
	"strconv"
	"testing"

	"github.com/cattease/cattease/danmu"
)

// TestResolveCleansWhatWasTyped: invisible characters, a full-width ＠
// and full-width letters do not keep a moderator from a viewer seen; an
// unseen name is taken as typed, and a name with a space that nobody seen
// lately has is refused.
func TestResolveCleansWhatWasTyped(t *testing.T) {
	d := NewDirectory(4)
	d.Seen("b", viewer("7"))
	for _, c := range []struct {
		in   string
		want Target
		err  error
	}{
		{"v7\u200b", Target{"b", "7", "v7"}, nil},
		{"＠v7", Target{"b", "7", "v7"}, nil},
		{"ｖ７", Target{"b", "7", "v7"}, nil},
		{"１２３４５", Target{"b", "", "１２３４５"}, nil}, // unseen: as typed
		{"＠ｕｎｓｅｅｎ\u2060", Target{"b", "", "ｕｎｓｅｅｎ"}, nil},
		{"v7 10", Target{}, ErrUnknown},
		{"\u200b", Target{}, ErrEmpty},
		{"江＊＊＊", Target{}, ErrMasked},
	} {
		got, err := d.Resolve("b", c.in)
		if got != c.want || err != c.err {
			t.Errorf("%q: %+v %v, want %+v %v", c.in, got, err, c.want, c.err)
		}
	}
	if p := d.PlatformOf("＠ｖ７"); p != "b" {
		t.Errorf("PlatformOf ＠ｖ７: %q, want b", p)
	}
}

// TestResolveExactNameFirst: the directory holds names as sent and a mute
// by name compares them exactly, so the name typed is looked up as it
// stands before any cleaning: a Hangul filler or a variation selector in
// it is part of it. Cleaned, it finds a viewer only if one alone has that
// cleaned name; several are ErrAmbiguous. An unseen name is kept as
// typed, not folded.
func TestResolveExactNameFirst(t *testing.T) {
	d := NewDirectory(8)
	u5 := danmu.User{ID: "5", Name: "捣蛋鬼"}
	u6 := danmu.User{ID: "6", Name: "捣蛋\u3164鬼"} // a Hangul filler, common in nicknames
	heart := danmu.User{ID: "8", Name: "小猫❤\ufe0f"}
	for _, u := range []danmu.User{u5, u6, heart} {
		d.Seen("b", u)
	}
	for _, c := range []struct {
		in   string
		want Target
		err  error
	}{
		{"捣蛋\u3164鬼", Target{"b", "6", "捣蛋\u3164鬼"}, nil},
		{"捣蛋鬼", Target{"b", "5", "捣蛋鬼"}, nil},
		{"@小猫❤\ufe0f", Target{"b", "8", "小猫❤\ufe0f"}, nil},
		{"小猫❤", Target{"b", "8", "小猫❤\ufe0f"}, nil},              // cleaned: one viewer
		{"＠小猫❤\ufe0f\u200b", Target{"b", "8", "小猫❤\ufe0f"}, nil}, // cleaned: one viewer
		{"捣蛋鬼\u200b", Target{}, ErrAmbiguous},                    // cleaned: u5 and u6
		{"捣\u200b蛋\u3164鬼", Target{}, ErrAmbiguous},
		{"ｃａｔ", Target{"b", "", "ｃａｔ"}, nil}, // unseen: as typed, not folded
		{"狗狗❤\ufe0f\u200b", Target{"b", "", "狗狗❤\ufe0f"}, nil},
		{"小\u3164狗", Target{"b", "", "小\u3164狗"}, nil},
		{"\u3164", Target{"b", "", "\u3164"}, nil}, // a blank name, unseen
	} {
		got, err := d.Resolve("b", c.in)
		if got != c.want || err != c.err {
			t.Errorf("%q: %+v %v, want %+v %v", c.in, got, err, c.want, c.err)
		}
	}
	// One viewer seen under two names of one cleaned form is one viewer.
	d.Seen("b", danmu.User{ID: "9", Name: "ｄｏｇ"})
	d.Seen("b", danmu.User{ID: "9", Name: "dog\u200b"})
	if got, err := d.Resolve("b", "dog"); err != nil || got.UID != "9" {
		t.Errorf("dog: %+v %v, want uid 9", got, err)
	}
	// A blank name seen is found as typed.
	d.Seen("b", danmu.User{ID: "10", Name: "\u3164"})
	if got, err := d.Resolve("b", "@\u3164"); err != nil || got.UID != "10" {
		t.Errorf("blank name: %+v %v, want uid 10", got, err)
	}
	if p := d.PlatformOf("捣蛋\u3164鬼"); p != "b" {
		t.Errorf("PlatformOf: %q, want b", p)
	}
}

// TestDirectoryCleanedLookupStaysSmall: a moderator's cleaned lookup
// compares only the names that cleaning changes, kept aside as they are
// seen; a room full of viewers with zero-width characters in their names
// cannot grow that set past twice the directory, and a recent one is
// still found by its name as a moderator types it.
func TestDirectoryCleanedLookupStaysSmall(t *testing.T) {
	d := NewDirectory(100)
	for i := range 10_000 {
		d.Seen("bilibili", danmu.User{ID: strconv.Itoa(i), Name: "troll\u200b" + strconv.Itoa(i)})
	}
	if n := len(d.unplain); n > 200 {
		t.Fatalf("%d names kept aside for a directory of 100", n)
	}
	got, err := d.Resolve("bilibili", "troll9999")
	if err != nil || got.UID != "9999" {
		t.Fatalf("the last troll, as typed without the zero-width space: %+v %v", got, err)
	}
	if got, err := d.Resolve("bilibili", "troll5"); err != nil || got.UID != "" {
		t.Fatalf("a troll long gone is a name, not a viewer: %+v %v", got, err)
	}
}
