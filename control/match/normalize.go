package match

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxExamine is how many bytes of a message Match reads. Commands are short;
// whatever follows is never looked at, so a 1 MB message costs what a short
// one does.
const MaxExamine = 256

// maxMarks is the longest run of combining marks kept; longer runs ("zalgo"
// text) are cut.
const maxMarks = 8

// Normalize returns the form in which aliases and messages are compared; see
// the package documentation for the steps. It reads all of s (Match reads
// only the first MaxExamine bytes). Normalize is idempotent.
func Normalize(s string) string {
	var sc scratch
	return string(trimTrailing(sc.normalize(s)))
}

// A Normalizer normalizes into buffers it keeps, so that it allocates
// nothing once they have grown. Not safe for concurrent use.
type Normalizer struct{ sc scratch }

// Bytes returns the normal form of s, as Normalize does, in a buffer valid
// until the next call.
func (n *Normalizer) Bytes(s string) []byte { return trimTrailing(n.sc.normalize(s)) }

// scratch holds the buffers of one normalization so that Match allocates
// nothing in the steady state (see scratchPool).
type scratch struct {
	a, b []byte
	it   norm.Iter
}

// normalize returns the normal form of s without the trailing trim: steps
// 1–5 of the package documentation, leading space removed, whitespace runs
// collapsed, a trailing space possibly kept. The result aliases sc's buffers
// and is valid until the next call.
func (sc *scratch) normalize(s string) []byte {
	return sc.finish(sc.pass1(s))
}

// head normalizes only the start of s, up to about headBytes bytes: the
// result is always a prefix of normalize(s) (it stops at a place where NFKC
// cannot join what comes before with what comes after), possibly empty.
func (sc *scratch) head(s string) []byte {
	a, cl := sc.pass1(Cut(s, headBytes))
	lb := norm.NFKC.LastBoundary(a)
	if lb <= 0 {
		return nil
	}
	return sc.finish(a[:lb], cl)
}

// headBytes is how much of a message head normalizes.
const headBytes = 12

// pass1 drops ignorable characters (before NFKC, so that removing them
// cannot create a sequence NFKC would change) and folds ASCII case. It
// returns the result, in sc.a, and its class: all ASCII, only ASCII,
// CJK Unified Ideographs and pictographs, or anything.
func (sc *scratch) pass1(s string) ([]byte, class) {
	a := sc.a[:0]
	cl := classASCII
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c < 0x20 && !isASCIISpace(c) || c == 0x7f {
				continue
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			a = append(a, c)
			continue
		}
		if ideographAt(s, i) {
			// The bulk of Chinese chat, copied without decoding a rune.
			a = append(a, s[i:i+3]...)
			i += 3
			cl = max(cl, classPlain)
			continue
		}
		if pictographAt(s, i) {
			// Emoji, as common in chat as they are dear to decode.
			a = append(a, s[i:i+4]...)
			i += 4
			cl = max(cl, classPlain)
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r >= 0xff01 && r <= 0xff5e {
			// Full-width ASCII, as Chinese input methods type it: NFKC
			// maps it to ASCII, and nothing composes with that differently
			// (TestFullwidthShortcut), so map it here and spare NFKC.
			c := byte(r - 0xfee0)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			a = append(a, c)
			continue
		}
		if ignorable(r) {
			continue
		}
		if isIdeograph(r) || isPictograph(r) {
			cl = max(cl, classPlain)
		} else {
			cl = classOther
		}
		a = utf8.AppendRune(a, r) // an invalid byte becomes U+FFFD
	}
	sc.a = a
	return a, cl
}

// class is what pass1 found in a message, from the cheapest to normalize.
type class uint8

const (
	classASCII class = iota // NFKC already; only case and spaces to do
	classPlain              // ASCII, ideographs and pictographs: NFKC already
	classOther              // NFKC decides
)

// ideographAt reports whether s[i:] starts with the UTF-8 form of a CJK
// Unified Ideograph (isIdeograph): lead byte e4 with a second byte from b8,
// or e5–e9, then two continuation bytes, a form that is always valid
// UTF-8 (no overlong form or surrogate starts with those lead bytes).
func ideographAt(s string, i int) bool {
	if i+2 >= len(s) {
		return false
	}
	c, c1, c2 := s[i], s[i+1], s[i+2]
	return (c >= 0xe5 && c <= 0xe9 || c == 0xe4 && c1 >= 0xb8) &&
		c1&0xc0 == 0x80 && c2&0xc0 == 0x80
}

// pictographAt reports whether s[i:] starts with the UTF-8 form of a
// pictograph (isPictograph): f0 9f 8c–ab, then a continuation byte.
func pictographAt(s string, i int) bool {
	if i+3 >= len(s) {
		return false
	}
	return s[i] == 0xf0 && s[i+1] == 0x9f && s[i+2]-0x8c <= 0xab-0x8c && s[i+3]&0xc0 == 0x80
}

// isPictograph reports whether r is in U+1F300–U+1FAFF, the blocks of
// emoji from Miscellaneous Symbols and Pictographs to Symbols and
// Pictographs Extended-A (skin tones included): like the ideographs, each
// is its own NFKC form, a starter with no case, neither space, mark nor
// ignorable (TestPlainRunesAreNFKC checks each).
func isPictograph(r rune) bool { return r >= 0x1f300 && r <= 0x1faff }

// isIdeograph reports whether r is in the CJK Unified Ideographs block,
// U+4E00–U+9FFF: no decomposition, combining class 0, no case
// (TestPlainRunesAreNFKC checks each), the bulk of Chinese chat.
func isIdeograph(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }

// finish runs NFKC and pass 3 on a, the output of pass1 (in sc.a).
func (sc *scratch) finish(a []byte, cl class) []byte {
	if cl <= classPlain {
		// ASCII without controls, ideographs and pictographs are NFKC
		// already, and pass1 has lower-cased the ASCII: only spaces are
		// left to do. No byte of the others' UTF-8 is an ASCII space.
		b := sc.b[:0]
		for _, c := range a {
			if isASCIISpace(c) {
				if len(b) == 0 || b[len(b)-1] == ' ' {
					continue
				}
				c = ' '
			}
			b = append(b, c)
		}
		sc.b = b
		return b
	}

	// Pass 2: NFKC, skipped when the quick check says a is normal already
	// (plain Chinese and ASCII chat usually is).
	src, inA := a, true
	if cl == classOther && norm.NFKC.QuickSpan(a) != len(a) {
		b := sc.b[:0]
		sc.it.Init(norm.NFKC, a)
		for !sc.it.Done() {
			b = append(b, sc.it.Next()...)
		}
		sc.b = b
		src, inA = b, false
	}

	// Pass 3: lower case, cap combining-mark runs, collapse whitespace. NFKC
	// may have inserted U+034F (it does so after 30 marks), so ignorables are
	// dropped again. Lower-casing an NFKC string keeps it NFKC (checked for
	// every code point by TestLowerKeepsNFKC).
	out := sc.a[:0]
	if inA {
		out = sc.b[:0]
	}
	marks := 0
	for i := 0; i < len(src); {
		r, n := rune(src[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(src[i:])
		}
		i += n
		switch {
		case r < utf8.RuneSelf:
			marks = 0
			c := byte(r)
			if isASCIISpace(c) {
				if len(out) == 0 || out[len(out)-1] == ' ' {
					continue
				}
				c = ' '
			} else if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			out = append(out, c)
		case isIdeograph(r) || isPictograph(r): // no case, not space
			marks = 0
			out = append(out, src[i-n:i]...)
		case ignorable(r):
		case unicode.IsSpace(r):
			marks = 0
			if len(out) == 0 || out[len(out)-1] == ' ' {
				continue
			}
			out = append(out, ' ')
		case unicode.Is(unicode.M, r):
			if marks++; marks > maxMarks {
				continue
			}
			out = utf8.AppendRune(out, unicode.ToLower(r))
		default:
			marks = 0
			out = utf8.AppendRune(out, unicode.ToLower(r))
		}
	}
	if inA {
		sc.b = out
	} else {
		sc.a = out
	}
	return out
}

func isASCIISpace(c byte) bool {
	return c == ' ' || '\t' <= c && c <= '\r'
}

// ignorable reports whether r is invisible and dropped before matching: a
// Unicode Default_Ignorable code point (zero-width space and joiners, BOM,
// word joiner, soft hyphen, bidi controls, variation selectors, tags, Hangul
// fillers …) or a control character that is not whitespace.
func ignorable(r rune) bool {
	switch {
	case r < 0x80:
		return r < 0x20 && !isASCIISpace(byte(r)) || r == 0x7f
	case r < 0xa0:
		return r != 0x85 // C1 controls; NEL is whitespace
	case r >= 0x4e00 && r <= 0x9fff: // CJK Unified Ideographs: the common case
		return false
	}
	return unicode.Is(unicode.Cf, r) ||
		unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

// Visible returns s without the invisible characters Normalize drops
// (zero-width spaces and joiners, bidi controls, variation selectors,
// controls that are not whitespace), everything else as it was: for text
// compared exactly, such as a viewer's name a moderator typed.
func Visible(s string) string {
	if !strings.ContainsFunc(s, ignorable) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if ignorable(r) {
			return -1
		}
		return r
	}, s)
}

// wordRune reports whether r glues onto a command: letters, digits and
// non-enclosing combining marks. Everything else (space, punctuation,
// symbols, emoji, arrows, enclosing marks such as the keycap U+20E3) ends it.
func wordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	if r >= 0x4e00 && r <= 0x9fff {
		return true
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) ||
		unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// isArrow reports whether r is in one of the Unicode arrow blocks. Arrows
// end a command like punctuation does, but they are never trimmed as
// decoration, because ← → ↑ ↓ are commands themselves.
func isArrow(r rune) bool {
	return r >= 0x2190 && r <= 0x21ff || // Arrows
		r >= 0x27f0 && r <= 0x27ff || // Supplemental Arrows-A
		r >= 0x2900 && r <= 0x297f || // Supplemental Arrows-B
		r >= 0x2b00 && r <= 0x2bff || // Miscellaneous Symbols and Arrows (⬅ ⬆ ⬇)
		r >= 0x1f800 && r <= 0x1f8ff // Supplemental Arrows-C
}

// decoration reports whether r is trimmed from the end of a normalized
// string: punctuation, symbols, emoji and the like, but not arrows.
func decoration(r rune) bool {
	return r != ' ' && !wordRune(r) && !isArrow(r)
}

// trimTrailing removes trailing spaces and decorations from a normalized
// string, unless nothing but decorations would be left, in which case only
// the spaces go.
func trimTrailing(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	t := b
	for len(t) > 0 {
		r, n := utf8.DecodeLastRune(t)
		if r != ' ' && !decoration(r) {
			return t
		}
		t = t[:len(t)-n]
	}
	return b
}

// prefix returns at most the first MaxExamine bytes of s, cut at a character
// boundary when the bytes there are valid UTF-8.
func prefix(s string) string { return Cut(s, MaxExamine) }

// Cut returns at most the first max bytes of s, cut at a character
// boundary when the bytes there are valid UTF-8: for anything that shows
// chat text within a bound (a decision's text, the panel's names).
func Cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for j := 0; j < utf8.UTFMax-1 && i > 0 && !utf8.RuneStart(s[i]); j++ {
		i--
	}
	if !utf8.RuneStart(s[i]) {
		i = max
	}
	return s[:i]
}
