package match

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Normalization relies on two facts about Unicode, checked here for every
// code point so that an upgrade of golang.org/x/text cannot break them
// silently.

// TestWidthFoldSubsumed: NFKC already does all of width.Fold (full-width
// ASCII, half-width katakana, U+3000 …), so normalize needs no width pass.
func TestWidthFoldSubsumed(t *testing.T) {
	var sc scratch
	for r := rune(0); r <= unicode.MaxRune; r++ {
		f := width.LookupRune(r).Folded()
		if f == 0 || !utf8.ValidRune(r) {
			continue
		}
		a := string(sc.normalize(string(r)))
		if b := string(sc.normalize(string(f))); a != b {
			t.Errorf("%U folds to %U, but they normalize to %q and %q", r, f, a, b)
		}
	}
}

// TestLowerKeepsNFKC: lower-casing an NFKC-normal character gives an
// NFKC-normal string, so normalize needs no second NFKC pass.
func TestLowerKeepsNFKC(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) || r >= 0xe000 && r <= 0xf8ff || r >= 0xf0000 {
			continue // private use has no case and no decomposition
		}
		for _, c := range norm.NFKC.String(string(r)) {
			l := unicode.ToLower(c)
			if l != c && !norm.NFKC.IsNormalString(string(l)) {
				t.Errorf("%U: lower-case %U of %U is not NFKC", r, l, c)
			}
		}
	}
}

// TestPlainRunesAreNFKC: every code point isIdeograph or isPictograph
// accepts is its own NFKC form, a starter that nothing before it composes
// with, has no case and is not space, mark or ignorable, so a message of
// ASCII, ideographs and pictographs may skip NFKC and pass 3's rune loop.
func TestPlainRunesAreNFKC(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !isIdeograph(r) && !isPictograph(r) {
			continue
		}
		s := string(r)
		props := norm.NFKC.PropertiesString(s)
		switch {
		case !norm.NFKC.IsNormalString(s) || !norm.NFKC.IsNormalString("a"+s) || !norm.NFKC.IsNormalString(s+"a"):
			t.Fatalf("U+%04X is not NFKC-stable", r)
		case props.CCC() != 0 || !props.BoundaryBefore() || !props.BoundaryAfter():
			t.Fatalf("U+%04X: combining class %d, boundaries %v/%v", r, props.CCC(), props.BoundaryBefore(), props.BoundaryAfter())
		case unicode.ToLower(r) != r || unicode.IsSpace(r) || ignorable(r) || unicode.Is(unicode.M, r):
			t.Fatalf("U+%04X has case, is space, a mark or ignorable", r)
		}
	}
}

// TestFullwidthShortcut: pass1 maps full-width ASCII (U+FF01–U+FF5E) to
// ASCII itself; NFKC would map each the same way, so normalizing a text
// must give what normalizing its NFKC form gives, for every such
// character between neighbours that compose, reorder or fold.
func TestFullwidthShortcut(t *testing.T) {
	neighbours := []string{"", "a", "Z", " ", "左", "\u0301", "\u0338", "\u0327\u0301", "ｅ", "Ｌ", "\u3000",
		"\u1100", "\u1161", "ﬁ", "①", "é", "\u00a0", "9", "ﾞ", "ｶ"}
	for r := rune(0xff01); r <= 0xff5e; r++ {
		for _, before := range neighbours {
			for _, after := range neighbours {
				s := before + string(r) + after
				if got, want := Normalize(s), Normalize(norm.NFKC.String(s)); got != want {
					t.Fatalf("Normalize(%q) = %q, of its NFKC form %q", s, got, want)
				}
			}
		}
	}
}

// TestIdeographAt: the byte test pass1 copies ideographs by agrees with
// decoding the rune and asking isIdeograph, for every three-byte string
// that starts with a three-byte lead, valid or not, and for cut-off ones.
func TestIdeographAt(t *testing.T) {
	for c := 0xe0; c <= 0xef; c++ {
		for c1 := 0; c1 < 256; c1++ {
			for c2 := 0; c2 < 256; c2++ {
				s := string([]byte{byte(c), byte(c1), byte(c2)})
				r, n := utf8.DecodeRuneInString(s)
				if want := n == 3 && isIdeograph(r); ideographAt(s, 0) != want {
					t.Fatalf("ideographAt(% x) = %v, want %v", s, !want, want)
				}
				if ideographAt(s[:2], 0) || ideographAt("a"+s, 0) {
					t.Fatalf("ideographAt accepts a cut-off or ASCII start: % x", s)
				}
			}
		}
	}
}

// TestPictographAt: the byte test pass1 copies pictographs by agrees with
// decoding the rune and asking isPictograph, for every four-byte string
// that starts f0 9f, valid or not, and for cut-off ones.
func TestPictographAt(t *testing.T) {
	for c2 := 0; c2 < 256; c2++ {
		for c3 := 0; c3 < 256; c3++ {
			s := string([]byte{0xf0, 0x9f, byte(c2), byte(c3)})
			r, n := utf8.DecodeRuneInString(s)
			if want := n == 4 && isPictograph(r); pictographAt(s, 0) != want {
				t.Fatalf("pictographAt(% x) = %v, want %v", s, !want, want)
			}
			if pictographAt(s[:3], 0) || pictographAt("a"+s, 0) {
				t.Fatalf("pictographAt accepts a cut-off or ASCII start: % x", s)
			}
		}
	}
	if pictographAt("\xf1\x9f\x8c\x80", 0) || pictographAt("\xf0\x9e\x8c\x80", 0) {
		t.Fatal("pictographAt accepts another lead")
	}
}
