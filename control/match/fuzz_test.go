package match

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzMatch checks normalization and matching on arbitrary text:
//   - nothing panics;
//   - Normalize is idempotent and its result is valid UTF-8;
//   - a match has 1 ≤ Repeat ≤ the command's cap and Capped == (Requested > Repeat);
//   - trailing punctuation, emoji or whitespace, and leading whitespace, do
//     not change the result;
//   - matching the normalized text gives the same result as the raw text;
//   - the head-only shortcut agrees with normalizing the whole prefix.
func FuzzMatch(f *testing.F) {
	for _, c := range matchCases {
		if len(c.in) < 1000 {
			f.Add(c.in)
		}
	}
	for _, s := range []string{"左\u200b\u0301", "a\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030a", "ﷺ", "\u1100\u1161\u11a8", "左3\u20e3", "ǅ", "İ", "左\u3164"} {
		f.Add(s)
	}
	m := mustNew(f, testCommands)
	// Without regex commands Match takes the head shortcut.
	var aliasOnly []Command
	for _, c := range testCommands {
		if c.Regex == "" {
			aliasOnly = append(aliasOnly, c)
		}
	}
	ma := mustNew(f, aliasOnly)
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if nn := Normalize(n); nn != n {
			t.Fatalf("Normalize not idempotent: %q → %q → %q", s, n, nn)
		}
		r, ok := m.Match(s)
		if ok {
			c := m.cmds[r.Command]
			if r.Repeat < 1 || r.Repeat > c.cap || r.Capped != (r.Requested > r.Repeat) || r.Name != c.name {
				t.Fatalf("Match(%q) = %+v: inconsistent", s, r)
			}
		}
		want := show(r, ok)
		// The shortcut that normalizes only the head of a message agrees
		// with normalizing all of it.
		var sc scratch
		if full := show(m.match(sc.normalize(prefix(s)))); full != want {
			t.Fatalf("Match(%q) = %q, but the full path says %q", s, want, full)
		}
		if got := show(ma.Match(s)); got != want && !(ok && r.Command >= len(aliasOnly)) {
			t.Fatalf("Match(%q) = %q, but without regex commands %q", s, want, got)
		}
		for _, suffix := range []string{"!", "。", "！", "～", "…", "?", " ", "\n", "😺", "[doge]", " 哈哈", "，哈哈"} {
			if got := show(m.Match(s + suffix)); got != want {
				t.Fatalf("Match(%q) = %q but Match(%q) = %q", s, want, s+suffix, got)
			}
		}
		if got := show(m.Match(" " + s)); got != want && len(s) < MaxExamine-1 {
			t.Fatalf("Match(%q) = %q but with a leading space %q", s, want, got)
		}
		if len(s) <= MaxExamine && len(n) <= MaxExamine && !strings.ContainsRune(s, utf8.RuneError) {
			if got := show(m.Match(n)); got != want {
				t.Fatalf("Match(%q) = %q but Match(Normalize) = Match(%q) = %q", s, want, n, got)
			}
		}
	})
}
