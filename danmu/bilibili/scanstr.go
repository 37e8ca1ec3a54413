package bilibili

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"

	"github.com/cattease/cattease/danmu/internal/jsonesc"
)

// Strings, the most of a DANMU_MSG's bytes: scanned eight bytes at a time
// up to the first byte that needs a look (a quote, a backslash, a control
// character, a byte of UTF-8), which the SWAR tests of jsonesc.Special find
// without a branch per byte.

// shortEsc marks the characters of the two-byte escapes (\" \\ \/ \b \f
// \n \r \t).
var shortEsc = func() (t [256]bool) {
	for _, c := range `"\/bfnrt` {
		t[c] = true
	}
	return t
}()

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
			m := jsonesc.Special(binary.LittleEndian.Uint64(b[i : i+8]))
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
			if j := jsonesc.CJKEnd(b, i); j > i {
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
			w := binary.LittleEndian.Uint64(b[i : i+8])
			binary.LittleEndian.PutUint64(dst[j:], w)
			m := jsonesc.Special(w)
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

// Numbers: integers are read (int) or skipped (intEnd) eight digits or a
// digit at a time; any other number is left to numEnd.

// numEnd returns the index just past the JSON number at b[i], whether it
// is an integer (no fraction, no exponent), or end=-1 if there is none.
func numEnd(b []byte, i int) (end int, integer bool) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return -1, false
	}
	switch c := b[i]; {
	case c == '0':
		i++
	case c-'1' < 9:
		// Most numbers here are short: a second digit is rare enough
		// to be worth a test before the word-at-a-time run.
		i++
		if i < len(b) && b[i]-'0' < 10 {
			i = digitRun(b, i+1)
		}
	default:
		return -1, false
	}
	if i < len(b) && (b[i] == '.' || b[i]|0x20 == 'e') {
		return fracEnd(b, i)
	}
	return i, true
}

// fracEnd is numEnd from a fraction or exponent at b[i].
func fracEnd(b []byte, i int) (end int, integer bool) {
	if b[i] == '.' {
		if i = digitsEnd(b, i+1); i < 0 {
			return -1, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i = digitsEnd(b, i); i < 0 {
			return -1, false
		}
	}
	return i, false
}

// digitsEnd returns the index past the digits at b[i], -1 if none.
func digitsEnd(b []byte, i int) int {
	if j := digitRun(b, i); j > i {
		return j
	}
	return -1
}

// digitRun returns the index of the first byte at or after b[i] that is
// not a digit, eight bytes at a time: the end of a number is found
// without a branch per digit.
func digitRun(b []byte, i int) int {
	for i+8 <= len(b) {
		if m := nonDigits(binary.LittleEndian.Uint64(b[i : i+8])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

// nonDigits has the high bit set in exactly the bytes of x that are not
// ASCII digits. With the high bits cleared (a), no byte carries into the
// next when 0x50 or 0x46 is added: a+0x50 reaches 0x80 just when a is at
// least '0', a+0x46 just when a is past '9'.
func nonDigits(x uint64) uint64 {
	const lo, lo7, hi = 0x0101010101010101, 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	a := x & lo7
	return (^(a + lo*0x50) | (a + lo*0x46) | x) & hi
}

// int reads an integer within int64, or null as 0. Other forms the
// general decoder accepts (strings, 1.0) are left to it.
func (s *scanner) int() (int64, bool) {
	s.i = skipWS(s.b, s.i)
	b, i := s.b, s.i
	if i >= len(b) {
		return 0, false
	}
	if b[i] == 'n' {
		return 0, s.null()
	}
	neg := b[i] == '-'
	if neg {
		i++
	}
	start := i
	var u uint64
	if i < len(b) && b[i] == '0' {
		i++
	} else {
		// Up to eight digits a step where the body allows: counted by
		// a mask and summed by three multiplications, not a
		// multiply-add per digit (a timestamp has thirteen).
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i : i+8])
			k := bits.TrailingZeros64(nonDigits(x)) >> 3
			u = u*pow10[k] + digits8(x, k) // wraps only past 19 digits, refused below
			if i += k; k < 8 {
				break
			}
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			u = u*10 + uint64(b[i]-'0')
			i++
		}
	}
	n := i - start
	if n == 0 || n > 19 || i < len(b) && (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
		return 0, false
	}
	s.i = i
	switch {
	case neg && u <= 1<<63:
		return int64(-u), true
	case !neg && u < 1<<63:
		return int64(u), true
	}
	return 0, false
}

var pow10 = [9]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8}

// digits8 is the value of the first k (0 to 8) bytes of x, digits, the
// first in the low byte: moved to the top of the word behind zeros, they
// are summed in pairs, fours and eights by one multiplication each.
func digits8(x uint64, k int) uint64 {
	d := (x & 0x0f0f0f0f0f0f0f0f) << (64 - 8*k) // k=0: a shift by 64 is 0
	d = d * (10<<8 + 1) >> 8 & 0x00ff00ff00ff00ff
	d = d * (100<<16 + 1) >> 16 & 0x0000ffff0000ffff
	return d * (10000<<32 + 1) >> 32
}

// intEnd returns the index past the non-negative integer at b[i] (no
// fraction, no exponent), or -1 for anything else, for skipValue to
// decide. Small enough to be inlined where values are skipped.
func intEnd(b []byte, i int) int {
	if i >= len(b) || b[i]-'0' >= 10 {
		return -1
	}
	j := i + 1
	if b[i] != '0' {
		for j < len(b) && b[j]-'0' < 10 {
			j++
		}
	}
	if j < len(b) && b[j] != '.' && b[j]|0x20 != 'e' {
		return j
	}
	return -1
}
