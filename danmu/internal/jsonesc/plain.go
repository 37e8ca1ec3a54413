package jsonesc

import (
	"encoding/binary"
	"math/bits"
)

// Special has the high bit set in each byte of x (little-endian) that is
// not Plain, and possibly in bytes above such a byte, never below: the
// lowest set bit marks the first byte a string scanner or writer must
// stop at (the SWAR zero-byte tests, whose borrows only run upwards).
//
// The usual tests clear, with &^v, the high bit of the bytes of v that
// have it set; here that is not needed: such a byte of y, e or x has the
// high bit of x set, and x is in the mask anyway.
//
// The quote and the control characters are one test: with bit 1 flipped
// (y), the control characters stay below 0x20, the quote becomes 0x20 and
// nothing else falls below 0x21.
func Special(x uint64) uint64 {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	y := x ^ lo*0x02
	e := x ^ lo*'\\'
	return (x | (y - lo*0x21) | (e - lo)) & hi
}

// PlainEnd returns the index of the first byte of b at or after i that
// is not Plain, or len(b): eight bytes a step.
func PlainEnd(b []byte, i int) int {
	for i+8 <= len(b) {
		if m := Special(binary.LittleEndian.Uint64(b[i : i+8])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for i < len(b) && Plain[b[i]] {
		i++
	}
	return i
}

// CJKEnd returns the index past the run of three-byte UTF-8 sequences of
// the common forms (CJK: lead bytes e1–ef but ed, whose continuations are
// always valid) at b[i]: a name or a message in Chinese is read a
// character a step, without decoding a rune.
func CJKEnd(b []byte, i int) int {
	for i+2 < len(b) {
		if c := b[i]; c < 0xe1 || c == 0xed || c > 0xef || b[i+1]&0xc0 != 0x80 || b[i+2]&0xc0 != 0x80 {
			break
		}
		i += 3
	}
	return i
}
