package jsonesc

import (
	"math/bits"
	"strings"
	"testing"
	"unicode/utf8"
)

// Special passes no word holding a byte the string scanner must stop
// at, wherever the byte sits, and marks the first such byte exactly.
func TestSpecial(t *testing.T) {
	for c := range 256 {
		for pos := range 8 {
			x := uint64(0x6161616161616161) // "aaaaaaaa"
			x = x&^(0xff<<(8*pos)) | uint64(c)<<(8*pos)
			if (Special(x) == 0) != Plain[c] {
				t.Fatalf("byte %#x at %d: mask %#x, plain %v", c, pos, Special(x), Plain[c])
			}
			// Whatever follows, the first byte to stop at is found exactly.
			for _, above := range []uint64{0, 0x2222222222222222, 0x1f1f1f1f1f1f1f1f, 0xffffffffffffffff, 0x5c205c205c205c20} {
				y := x
				if pos < 7 {
					y = x&(1<<(8*(pos+1))-1) | above<<(8*(pos+1))
				}
				m := Special(y)
				if Plain[c] && m != 0 && bits.TrailingZeros64(m)>>3 <= pos || !Plain[c] && bits.TrailingZeros64(m)>>3 != pos {
					t.Fatalf("byte %#x at %d, %#x above: mask %#x", c, pos, above, m)
				}
			}
		}
	}
}

// PlainEnd stops at the first byte that is not Plain, wherever it sits
// against the eight-byte steps, and runs to the end when there is none.
func TestPlainEnd(t *testing.T) {
	for c := range 256 {
		for n := range 20 {
			for pos := range n + 1 {
				b := []byte(strings.Repeat("a", n))
				want := n
				if pos < n {
					b[pos] = byte(c)
					if !Plain[c] {
						want = pos
					}
				}
				for from := range min(pos, 3) + 1 {
					if got := PlainEnd(b, from); got != want {
						t.Fatalf("PlainEnd(%q, %d) = %d, want %d", b, from, got, want)
					}
				}
			}
		}
	}
}

// CJKEnd steps over a three-byte sequence exactly when it is valid UTF-8
// with a lead e1–ef other than ed, for every lead and continuation, and
// stops short of a cut-off one.
func TestCJKEnd(t *testing.T) {
	for c0 := 0xc0; c0 < 0x100; c0++ {
		for c1 := 0x70; c1 < 0xd0; c1++ {
			for _, c2 := range []byte{0x7f, 0x80, 0xa5, 0xbd, 0xbf, 0xc0} {
				b := []byte{byte(c0), byte(c1), c2}
				_, n := utf8.DecodeRune(b)
				want := 0
				if n == 3 && c0 >= 0xe1 && c0 != 0xed { // n == 3: valid, U+FFFD itself included
					want = 3
				}
				if got := CJKEnd(b, 0); got != want {
					t.Fatalf("CJKEnd(% x) = %d, want %d", b, got, want)
				}
				if got := CJKEnd(b[:2], 0); got != 0 {
					t.Fatalf("CJKEnd(% x) = %d on a cut-off sequence", b[:2], got)
				}
			}
		}
	}
	if got := CJKEnd([]byte("猫奴a猫"), 0); got != 6 {
		t.Fatalf("CJKEnd over a run: %d, want 6", got)
	}
}
