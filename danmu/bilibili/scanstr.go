package bilibili

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"

	"github.com/cattease/cattease/danmu/internal/jsonesc"
)

// Strings, the most of a DANMU_MSG's bytes: scanned eight bytes at a time
// up to the first byte that needs a look (a quote, a backslash, a control
// character, a byte of UTF-8), which the SWAR tests of specialMask find
// without a branch per byte.

// shortEsc marks the characters of the two-byte escapes (\" \\ \/ \b \f
// \n \r \t).
var shortEsc = func() (t [256]bool) {
	for _, c := range `"\/bfnrt` {
		t[c] = true
	}
	return t
}()

// specialMask has the high bit set in each byte of x (little-endian) that
// is not plain, and possibly in bytes above such a byte, never below: the
// lowest set bit marks the first byte a string scanner must stop at (the
// SWAR zero-byte tests, whose borrows only run upwards).
//
// The usual tests clear, with &^v, the high bit of the bytes of v that
// have it set; here that is not needed: such a byte of y, e or x has the
// high bit of x set, and x is in the mask anyway.
//
// The quote and the control characters are one test: with bit 1 flipped
// (y), the control characters stay below 0x20, the quote becomes 0x20 and
// nothing else falls below 0x21.
func specialMask(x uint64) uint64 {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	y := x ^ lo*0x02
	e := x ^ lo*'\\'
	return (x | (y - lo*0x21) | (e - lo)) & hi
}

// utf8Len is the length of the valid UTF-8 sequence at b[i] (a byte
// >= 0x80), or 0. The common three-byte forms (CJK) are checked inline.
func utf8Len(b []byte, i int) int {
	if i+2 < len(b) {
		c := b[i]
		if c >= 0xe1 && c <= 0xef && c != 0xed && b[i+1]&0xc0 == 0x80 && b[i+2]&0xc0 == 0x80 {
			return 3
		}
	}
	r, n := utf8.DecodeRune(b[i:])
	if r == utf8.RuneError && n <= 1 {
		return 0
	}
	return n
}

// strEnd scans the string whose contents start at b[i] (just after its
// opening quote) and returns the index of its closing quote and whether
// it has escapes, or end=-1 if the string is not valid.
func strEnd(b []byte, i int) (end int, esc bool) {
	for {
		if i+8 <= len(b) {
			m := specialMask(binary.LittleEndian.Uint64(b[i:]))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3
		} else {
			for i < len(b) && jsonesc.Plain[b[i]] {
				i++
			}
			if i >= len(b) {
				return -1, false
			}
		}
		switch c := b[i]; {
		case c == '"':
			return i, esc
		case c == '\\':
			esc = true
			if i+1 < len(b) && shortEsc[b[i+1]] {
				i += 2
				continue
			}
			n := jsonesc.EscapeLen(b[i:])
			if n == 0 {
				return -1, false
			}
			i += n
		case c < 0x20:
			return -1, false
		default:
			if j := cjkRun(b, i); j > i {
				i = j
				continue
			}
			n := utf8Len(b, i)
			if n == 0 {
				return -1, false
			}
			i += n
		}
	}
}

// cjkRun returns the index past the run of three-byte UTF-8 sequences
// of the common forms (CJK: lead bytes e1–ef but ed) at b[i]: a name or a
// message in Chinese is read a character a step, without a call.
func cjkRun(b []byte, i int) int {
	for i+2 < len(b) {
		if c := b[i]; c < 0xe1 || c == 0xed || c > 0xef || b[i+1]&0xc0 != 0x80 || b[i+2]&0xc0 != 0x80 {
			break
		}
		i += 3
	}
	return i
}

// str reads a string and returns its contents (escapes not undone) and
// whether it has escapes.
func (s *scanner) str() (content []byte, esc, ok bool) {
	s.i = skipWS(s.b, s.i)
	b, i := s.b, s.i
	if i >= len(b) || b[i] != '"' {
		return nil, false, false
	}
	end, esc := strEnd(b, i+1)
	if end < 0 {
		return nil, false, false
	}
	s.i = end + 1
	return b[i+1 : end], esc, true
}

// strOrNull reads a string (as a span of s.b) or null (an empty span).
func (s *scanner) strOrNull() (span, bool) {
	if s.null() {
		return span{}, true
	}
	b, esc, ok := s.str()
	if !ok {
		return span{}, false
	}
	hi := s.i - 1
	return span{lo: hi - len(b), hi: hi, esc: esc}, true
}

// unescaped maps the second byte of each two-byte escape to the byte it
// stands for; 0 for the others.
var unescaped = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// unquote is strEnd that also copies the string's contents, escapes
// undone (as jsonesc.AppendUnescaped), into dst: one pass instead of a
// scan, an unescape and a copy. It returns the index of the closing quote
// and the length written, end=-1 for a string that is not valid, or n=-1
// when dst is too short to hold it.
func unquote(dst, b []byte, i int) (end, n int) {
	j := 0
	for {
		if i+8 <= len(b) && j+8 <= len(dst) {
			w := binary.LittleEndian.Uint64(b[i:])
			binary.LittleEndian.PutUint64(dst[j:], w)
			m := specialMask(w)
			if m == 0 {
				i += 8
				j += 8
				continue
			}
			k := bits.TrailingZeros64(m) >> 3
			i += k
			j += k
		} else {
			for i < len(b) && jsonesc.Plain[b[i]] {
				if j >= len(dst) {
					return 0, -1
				}
				dst[j] = b[i]
				i++
				j++
			}
			if i >= len(b) {
				return -1, 0
			}
		}
		switch c := b[i]; {
		case c == '"':
			return i, j
		case c == '\\':
			if len(dst)-j < utf8.UTFMax {
				return 0, -1
			}
			if i+1 < len(b) {
				if u := unescaped[b[i+1]]; u != 0 {
					dst[j] = u
					i += 2
					j++
					continue
				}
			}
			if jsonesc.EscapeLen(b[i:]) != 6 {
				return -1, 0
			}
			h := b[i+2 : i+6]
			r := jsonesc.Unhex(h[0])<<12 | jsonesc.Unhex(h[1])<<8 | jsonesc.Unhex(h[2])<<4 | jsonesc.Unhex(h[3])
			j += utf8.EncodeRune(dst[j:], rune(r))
			i += 6
		case c < 0x20:
			return -1, 0
		default:
			k := utf8Len(b, i)
			if k == 0 {
				return -1, 0
			}
			if len(dst)-j < k {
				return 0, -1
			}
			copy(dst[j:], b[i:i+k])
			i += k
			j += k
		}
	}
}
