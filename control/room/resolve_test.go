package room

import "testing"

// TestResolveCleansWhatWasTyped: invisible characters, a full-width ＠
// and full-width letters do not keep a moderator from the viewer meant;
// a name with a space that nobody seen lately has is refused.
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
		{"１２３４５", Target{"b", "12345", ""}, nil},
		{"＠ｕｎｓｅｅｎ\u2060", Target{"b", "", "unseen"}, nil},
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
