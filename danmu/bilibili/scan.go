package bilibili

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/cattease/cattease/danmu/internal/jsonesc"
)

// A scanner reads JSON forward and validates it as strictly as the general
// decoder (json v2: UTF-8 only, no raw control characters, no trailing
// data). Every method returns false where the general decoder might
// disagree, so a false means "ask the reference", never a verdict.
type scanner struct {
	b     []byte
	i     int
	depth int
}

func (s *scanner) ws() {
	if s.i < len(s.b) && s.b[s.i] > ' ' {
		return // the usual case: compact JSON
	}
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// end reports whether only whitespace is left.
func (s *scanner) end() bool {
	s.ws()
	return s.i == len(s.b)
}

// enter consumes an opening bracket.
func (s *scanner) enter(open byte) bool {
	s.ws()
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
	s.ws()
	if s.i >= len(s.b) {
		return false, false
	}
	if s.b[s.i] == close {
		s.i++
		s.depth--
		return false, true
	}
	if n > 0 {
		if s.b[s.i] != ',' {
			return false, false
		}
		s.i++
	}
	return true, true
}

// key reads a member name and its colon; names with escapes are refused.
func (s *scanner) key(int) ([]byte, bool) {
	k, esc, ok := s.str()
	if !ok || esc {
		return nil, false
	}
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != ':' {
		return nil, false
	}
	s.i++
	return k, true
}

// member is called before the n-th member (from 0) of the object entered:
// it reads the member's name and colon, or the closing brace (more=false).
func (s *scanner) member(n int) (k []byte, more, ok bool) {
	if more, ok = s.more('}', n); !more || !ok {
		return nil, false, ok
	}
	k, ok = s.key(n)
	return k, ok, ok
}

// null consumes a null if one is next.
func (s *scanner) null() bool {
	s.ws()
	if len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

// plain marks the bytes a string holds as they are: ASCII except '"',
// '\\' and control characters.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainWord reports whether all eight bytes of x are plain: none is '"',
// '\\', a control character or non-ASCII (the SWAR zero-byte tests; a
// false "no" only sends the bytes to the byte loop).
func plainWord(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	hasZero := func(v uint64) uint64 { return (v - lo) & ^v & hi }
	return (x&hi)|hasZero(x^(lo*'"'))|hasZero(x^(lo*'\\'))|((x-lo*0x20) & ^x & hi) == 0
}

// str reads a string and returns its contents (escapes not undone) and
// whether it has escapes.
func (s *scanner) str() (content []byte, esc, ok bool) {
	s.ws()
	b := s.b
	if s.i >= len(b) || b[s.i] != '"' {
		return nil, false, false
	}
	start := s.i + 1
	i := start
	for {
		// Eight plain bytes at a time, then byte by byte.
		for i+8 <= len(b) && plainWord(binary.LittleEndian.Uint64(b[i:])) {
			i += 8
		}
		for i < len(b) && plain[b[i]] {
			i++
		}
		if i >= len(b) {
			return nil, false, false
		}
		switch c := b[i]; {
		case c == '"':
			s.i = i + 1
			return b[start:i], esc, true
		case c == '\\':
			n := jsonesc.EscapeLen(b[i:])
			if n == 0 {
				return nil, false, false
			}
			esc = true
			i += n
		case c < 0x20:
			return nil, false, false
		default:
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n <= 1 {
				return nil, false, false
			}
			i += n
		}
	}
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

// number reads a JSON number and reports whether it is an integer
// (no fraction, no exponent).
func (s *scanner) number() (b []byte, integer, ok bool) {
	s.ws()
	start, i := s.i, s.i
	if i < len(s.b) && s.b[i] == '-' {
		i++
	}
	switch {
	case i < len(s.b) && s.b[i] == '0':
		i++
	case i < len(s.b) && s.b[i] >= '1' && s.b[i] <= '9':
		for i < len(s.b) && s.b[i] >= '0' && s.b[i] <= '9' {
			i++
		}
	default:
		return nil, false, false
	}
	integer = true
	if i < len(s.b) && s.b[i] == '.' {
		integer = false
		i++
		if !digits(s.b, &i) {
			return nil, false, false
		}
	}
	if i < len(s.b) && (s.b[i] == 'e' || s.b[i] == 'E') {
		integer = false
		i++
		if i < len(s.b) && (s.b[i] == '+' || s.b[i] == '-') {
			i++
		}
		if !digits(s.b, &i) {
			return nil, false, false
		}
	}
	s.i = i
	return s.b[start:i], integer, true
}

func digits(b []byte, i *int) bool {
	start := *i
	for *i < len(b) && b[*i] >= '0' && b[*i] <= '9' {
		*i++
	}
	return *i > start
}

// int reads an integer within int64, or null as 0. Other forms the
// general decoder accepts (strings, 1.0) are left to it.
func (s *scanner) int() (int64, bool) {
	if s.null() {
		return 0, true
	}
	b, integer, ok := s.number()
	if !ok || !integer {
		return 0, false
	}
	return atoi(b)
}

// atoi parses a JSON integer (already validated) within int64, without
// the string strconv would allocate.
func atoi(b []byte) (int64, bool) {
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) > 19 {
		return 0, false
	}
	var u uint64
	for _, c := range b {
		u = u*10 + uint64(c-'0') // 19 digits cannot overflow a uint64
	}
	switch {
	case neg && u <= 1<<63:
		return int64(-u), true
	case !neg && u < 1<<63:
		return int64(u), true
	}
	return 0, false
}

// flag reads true, false, null or an integer (non-zero is true).
func (s *scanner) flag() (bool, bool) {
	s.ws()
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
	s.ws()
	if s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		_, _, ok := s.str()
		return ok
	case c == '{':
		if !s.enter('{') {
			return false
		}
		for n := 0; ; n++ {
			_, more, ok := s.member(n)
			if !ok || !more {
				return ok
			}
			if !s.skip() {
				return false
			}
		}
	case c == '[':
		if !s.enter('[') {
			return false
		}
		for n := 0; ; n++ {
			more, ok := s.more(']', n)
			if !ok || !more {
				return ok
			}
			if !s.skip() {
				return false
			}
		}
	case c == 't':
		return s.lit("true")
	case c == 'f':
		return s.lit("false")
	case c == 'n':
		return s.null()
	default:
		_, _, ok := s.number()
		return ok
	}
}
