package bilibili

import (
	"encoding/binary"
	"math/bits"

	"github.com/cattease/cattease/danmu/internal/jsonesc"
)

// A scanner reads JSON forward and validates it as strictly as the general
// decoder (json v2: UTF-8 only, no raw control characters, no trailing
// data). Every method returns false where the general decoder might
// disagree, so a false means "ask the reference", never a verdict.
//
// The hot loops (strings, numbers, skipped values) work on a local slice
// and index rather than through the scanner's fields, so the compiler
// keeps them in registers and drops most bounds checks. Words are read
// from b[i:i+8], not b[i:]: a slice known to be eight long needs neither
// the load's own length check nor the masking of a pointer that b[i:]
// might leave past the end, a quarter of the instructions of a word step.
type scanner struct {
	b     []byte
	i     int
	depth int
}

// skipWS returns the index of the first byte at or after i that is not
// JSON whitespace. It is inlined; the scanner's methods use it as
// s.i = skipWS(s.b, s.i) rather than through a method of their own, which
// would be a call (over the inlining budget) at every value they read.
func skipWS(b []byte, i int) int {
	if i < len(b) && b[i] > ' ' {
		return i // compact JSON: no call
	}
	return wsRun(b, i)
}

// wsRun is skipWS past whitespace, eight spaces at a time through the
// indentation of pretty-printed JSON.
func wsRun(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ':
			i++
			for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:i+8]) == 0x2020202020202020 {
				i += 8
			}
			for i < len(b) && b[i] == ' ' {
				i++
			}
		case '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// end reports whether only whitespace is left.
func (s *scanner) end() bool {
	s.i = skipWS(s.b, s.i)
	return s.i == len(s.b)
}

// enter consumes an opening bracket.
func (s *scanner) enter(open byte) bool {
	s.i = skipWS(s.b, s.i)
	if s.i >= len(s.b) || s.b[s.i] != open || s.depth >= maxFastDepth {
		return false
	}
	s.i++
	s.depth++
	return true
}

// more is called before the n-th member or element (from 0) of the array
// or object entered: it consumes the comma before it, or the closing
// bracket (more=false).
func (s *scanner) more(close byte, n int) (more, ok bool) {
	b := s.b
	i := skipWS(b, s.i)
	if i >= len(b) {
		return false, false
	}
	switch c := b[i]; {
	case c == ',' && n > 0:
		s.i = i + 1
		return true, true
	case c == close:
		s.i = i + 1
		s.depth--
		return false, true
	case n > 0:
		return false, false
	}
	s.i = i
	return true, true
}

// comma consumes a comma right at s.i, as between the elements of compact
// JSON; more does the rest.
func (s *scanner) comma() bool {
	if s.i < len(s.b) && s.b[s.i] == ',' {
		s.i++
		return true
	}
	return false
}

// null consumes a null if one is next.
func (s *scanner) null() bool {
	s.i = skipWS(s.b, s.i)
	if s.i < len(s.b) && s.b[s.i] == 'n' && len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

// flag reads true, false, null or an integer (non-zero is true).
func (s *scanner) flag() (bool, bool) {
	s.i = skipWS(s.b, s.i)
	if s.lit("true") {
		return true, true
	}
	if s.lit("false") || s.null() {
		return false, true
	}
	v, ok := s.int()
	return v != 0, ok
}

func (s *scanner) lit(w string) bool {
	if len(s.b)-s.i >= len(w) && string(s.b[s.i:s.i+len(w)]) == w {
		s.i += len(w)
		return true
	}
	return false
}

// skip validates and consumes any value.
func (s *scanner) skip() bool {
	i := skipValue(s.b, s.i, s.depth)
	if i < 0 {
		return false
	}
	s.i = i
	return true
}

// skipValue validates the value at b[i], depth levels in, and returns the
// index after it, or -1.
func skipValue(b []byte, i, depth int) int {
	i = skipWS(b, i)
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		end, _ := strEnd(b, i+1)
		if end < 0 {
			return -1
		}
		return end + 1
	case '{', '[':
		if depth < maxFastDepth {
			if end := skipFlat(b, i); end >= 0 {
				return end
			}
		}
		return skipNested(b, i, depth) // nested, or not valid
	case 't':
		return litEnd(b, i, "true")
	case 'f':
		return litEnd(b, i, "false")
	case 'n':
		return litEnd(b, i, "null")
	}
	end, _ := numEnd(b, i)
	return end
}

// litEnd returns the index after the literal w at b[i], or -1.
func litEnd(b []byte, i int, w string) int {
	if len(b)-i >= len(w) && string(b[i:i+len(w)]) == w {
		return i + len(w)
	}
	return -1
}

// skipFlat is skipNested for the array or object at b[i] if it holds no
// array or object, as nearly every value a DANMU_MSG walker skips: one
// loop without the stack. It returns -1 for one that nests, or is not
// valid, for skipNested to decide.
func skipFlat(b []byte, i int) int {
	obj, close := b[i] == '{', b[i]+2 // '}' or ']'
	if i = skipWS(b, i+1); i < len(b) && b[i] == close {
		return i + 1
	}
	for {
		if obj {
			// keyEnd, written out, with nextMember's masks.
			if i >= len(b) || b[i] != '"' {
				return -1
			}
			end := -1
			if i+17 <= len(b) {
				m, e := jsonesc.Special(binary.LittleEndian.Uint64(b[i+1:i+9])), i+1
				if m == 0 {
					m, e = jsonesc.Special(binary.LittleEndian.Uint64(b[i+9:i+17])), i+9
				}
				if e += bits.TrailingZeros64(m) >> 3; m != 0 && b[e] == '"' {
					end = e
				}
			}
			if end < 0 {
				var esc bool
				if end, esc = strEnd(b, i+1); end < 0 || esc {
					return -1
				}
			}
			if i = skipWS(b, end+1); i >= len(b) || b[i] != ':' {
				return -1
			}
			i = skipWS(b, i+1)
		}
		if i >= len(b) {
			return -1
		}
		switch c := b[i]; c {
		case '"':
			if i+1 < len(b) && b[i+1] == '"' {
				i += 2
			} else if i, _ = strEnd(b, i+1); i < 0 {
				return -1
			} else {
				i++
			}
		case '{', '[':
			return -1
		case 't':
			i = litEnd(b, i, "true")
		case 'f':
			i = litEnd(b, i, "false")
		case 'n':
			i = litEnd(b, i, "null")
		default:
			if e := intEnd(b, i); e >= 0 {
				i = e
			} else {
				i, _ = numEnd(b, i)
			}
		}
		if i < 0 {
			return -1
		}
		if i = skipWS(b, i); i >= len(b) {
			return -1
		}
		if b[i] == close {
			return i + 1
		}
		if b[i] != ',' {
			return -1
		}
		i = skipWS(b, i+1)
	}
}

// skipNested is skipValue for arrays and objects: one loop over the bytes, with
// the open arrays and objects as bits of a stack (1 = object), rather
// than a call per value.
func skipNested(b []byte, i, depth int) int {
	var stack [maxFastDepth / 64]uint64
	base := depth
	for {
		// A value.
		i = skipWS(b, i)
		if i >= len(b) {
			return -1
		}
		switch c := b[i]; c {
		case '"':
			end, _ := strEnd(b, i+1)
			if end < 0 {
				return -1
			}
			i = end + 1
		case '{', '[':
			if depth >= maxFastDepth {
				return -1
			}
			d := depth - base
			obj := c == '{'
			if obj {
				stack[d>>6] |= 1 << (d & 63)
			} else {
				stack[d>>6] &^= 1 << (d & 63)
			}
			depth++
			i = skipWS(b, i+1)
			if i < len(b) && b[i] == c+2 { // '}' or ']'
				i++
				depth--
				break
			}
			if obj {
				if i = keyEnd(b, i); i < 0 {
					return -1
				}
			}
			continue
		case 't':
			if len(b)-i < 4 || string(b[i:i+4]) != "true" {
				return -1
			}
			i += 4
		case 'f':
			if len(b)-i < 5 || string(b[i:i+5]) != "false" {
				return -1
			}
			i += 5
		case 'n':
			if len(b)-i < 4 || string(b[i:i+4]) != "null" {
				return -1
			}
			i += 4
		default:
			if e := intEnd(b, i); e >= 0 {
				i = e
			} else if i, _ = numEnd(b, i); i < 0 {
				return -1
			}
		}
		// After a value: a comma, or the end of the array or object.
		for {
			if depth == base {
				return i
			}
			i = skipWS(b, i)
			if i >= len(b) {
				return -1
			}
			d := depth - 1 - base
			obj := stack[d>>6]>>(d&63)&1 != 0
			close := byte(']')
			if obj {
				close = '}'
			}
			if b[i] == close {
				i++
				depth--
				continue
			}
			if b[i] != ',' {
				return -1
			}
			i++
			if obj {
				if i = keyEnd(b, skipWS(b, i)); i < 0 {
					return -1
				}
			}
			break
		}
	}
}

// skipTo skips the elements of the array entered from the j-th (counted
// from 0; s.i before its comma) up to the t-th, and returns t with s.i at
// that element's value and more=true, or, if the array ends first, the
// count of its elements with s.i past its bracket and more=false. One
// call for the run of elements a walker does not read.
func (s *scanner) skipTo(j, t int) (n int, more, ok bool) {
	b, i := s.b, s.i
	for {
		if j > 0 && i < len(b) && b[i] == ',' {
			i++ // compact JSON: the comma right after the value
		} else {
			i = skipWS(b, i)
			if i >= len(b) {
				return j, false, false
			}
			if b[i] == ']' {
				s.i, s.depth = i+1, s.depth-1
				return j, false, true
			}
			if j > 0 {
				if b[i] != ',' {
					return j, false, false
				}
				i++
			}
		}
		if i = skipWS(b, i); i >= len(b) {
			return j, false, false
		}
		if j == t {
			s.i = i
			return j, true, true
		}
		// As in seek.
		if i+1 < len(b) && b[i] == '"' {
			if b[i+1] == '"' {
				i += 2
			} else if i, _ = strEnd(b, i+1); i < 0 {
				return j, false, false
			} else {
				i++
			}
		} else if e := intEnd(b, i); e >= 0 {
			i = e
		} else if c := b[i]; c != '{' && c != '[' || s.depth >= maxFastDepth {
			if i = skipValue(b, i, s.depth); i < 0 {
				return j, false, false
			}
		} else if e := skipFlat(b, i); e >= 0 {
			i = e // skipValue's usual case, without its call
		} else if i = skipNested(b, i, s.depth); i < 0 {
			return j, false, false
		}
		j++
	}
}
