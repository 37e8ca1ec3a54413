package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The strings a reviewer's scripted Douyu server sent as a chat message
// and a viewer's name.
const (
	evilText = "左\x1b[2J\x1b[31mHACK\r\n房管: 激光"
	evilName = "evil\x1b]0;title\x07\nname"
)

// terminalUnsafe returns what in s a terminal would obey rather than
// show: a byte below 0x20, DEL, a C1 control, a bidi control, a line or
// paragraph separator, or a byte that is not UTF-8; "" when there is none.
func terminalUnsafe(s string) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return "a byte that is not UTF-8"
		case r < 0x20 || r == 0x7f:
			return "a C0 control or DEL"
		case r >= 0x80 && r <= 0x9f:
			return "a C1 control"
		case strings.ContainsRune("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029", r):
			return "a bidi control or separator"
		}
		i += size
	}
	return ""
}

func TestTermSafeReplacesControls(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{evilText, "左␛[2J␛[31mHACK␍␊房管: 激光"},
		{evilName, "evil␛]0;title␇␊name"},
		{"a\tb\x7fc\x00", "a b␡c␀"},
		{"\x1b]52;c;ZXZpbA==\x07", "␛]52;c;ZXZpbA==␇"}, // OSC 52: the clipboard
		{"x\u009b2Jy\u0085z", "x\ufffd2Jy\ufffdz"},     // C1: CSI and NEL
		{"x\x9b2J", "x\ufffd2J"},                       // a lone 0x9b, not UTF-8
		{"cat\u202egnp.exe", "cat\ufffdgnp.exe"},
		{"\u2066a\u2069\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u2067\u2068", "\ufffda\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd"},
		{"a\u2028b\u2029c", "a\ufffdb\ufffdc"},
	} {
		got := termSafe(c.in, 0)
		if got != c.want {
			t.Errorf("termSafe(%q) = %q, want %q", c.in, got, c.want)
		}
		if why := terminalUnsafe(got); why != "" {
			t.Errorf("termSafe(%q) = %q holds %s", c.in, got, why)
		}
	}
}

// Ordinary names and chat come back as they are, not even copied.
func TestTermSafeKeepsOrdinaryText(t *testing.T) {
	for _, s := range []string{"", "猫奴", "房管: 激光", "左3", "Alice_99", "👨‍👩‍👧‍👦 一家", "🏳️‍🌈", "é (e\u0301)", "ｆｕｌｌ　ｗｉｄｔｈ", "😺🐾", "\ufffd"} {
		if got := termSafe(s, maxViewName); got != s {
			t.Errorf("termSafe(%q) = %q, want it unchanged", s, got)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = termSafe("👨‍👩‍👧‍👦 猫奴: 激光 左3", maxViewText) }); n != 0 {
		t.Errorf("termSafe of clean text allocates %v times", n)
	}
}

// A thousand-character name is cut to maxViewName characters and "…";
// a cut in a ZWJ sequence does not leave the joiner before the mark.
func TestTermSafeCapsLength(t *testing.T) {
	long := strings.Repeat("猫", 1000)
	got := termSafe(long, maxViewName)
	if want := strings.Repeat("猫", maxViewName) + "…"; got != want {
		t.Errorf("a 1000-character name printed as %d characters: %q", utf8.RuneCountInString(got), got)
	}
	if got := termSafe(strings.Repeat("猫", maxViewName), maxViewName); got != strings.Repeat("猫", maxViewName) {
		t.Errorf("a name of exactly the cap was cut: %q", got)
	}
	if got := termSafe(strings.Repeat("\x1b", 1000), maxViewName); got != strings.Repeat("␛", maxViewName)+"…" {
		t.Errorf("1000 ESCs printed as %q", got)
	}
	family := "👨‍👩‍👧‍👦" // man ZWJ woman ZWJ girl ZWJ boy: 7 runes
	if got := termSafe(family, 2); got != "👨…" {
		t.Errorf("a ZWJ sequence cut after its joiner: %q", got)
	}
}

// Whatever a viewer sends, termSafe's result holds nothing a terminal
// obeys, is at most limit characters and "…", and is s itself when s
// held nothing to replace and fit.
func FuzzTermSafe(f *testing.F) {
	for _, s := range []string{evilText, evilName, "猫奴", "👨‍👩‍👧‍👦", "\x9b", "\u202e", "a\u200d", strings.Repeat("x", 40)} {
		f.Add(s, 0)
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		limit %= 64
		if limit < 0 {
			limit = -limit
		}
		got := termSafe(s, limit)
		if why := terminalUnsafe(got); why != "" {
			t.Fatalf("termSafe(%q, %d) = %q holds %s", s, limit, got, why)
		}
		if limit > 0 && utf8.RuneCountInString(got) > limit+1 {
			t.Fatalf("termSafe(%q, %d) = %q: longer than the cap", s, limit, got)
		}
		fits := limit == 0 || utf8.RuneCountInString(s) <= limit
		if terminalUnsafe(s) == "" && fits && got != s {
			t.Fatalf("termSafe(%q, %d) = %q: clean text changed", s, limit, got)
		}
	})
}
