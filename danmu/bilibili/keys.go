package bilibili

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"

	"github.com/cattease/cattease/danmu/internal/jsonesc"
)

// Member names: which a walker reads, and which it must leave to the
// general decoder because its case-insensitive matching might take them
// for one it reads.

// keyNames are the member names an object walker reads, with the first
// letters of the names for a quick "cannot fold to any of them".
type keyNames struct {
	list    []string
	last    uint32    // bit c-'a' for each last letter c
	nofirst [256]bool // the letters, either case, no name starts with
}

func newKeyNames(list ...string) *keyNames {
	n := &keyNames{list: list}
	var first uint32
	for _, s := range list {
		first |= 1 << (lower(s[0]) - 'a')
		n.last |= 1 << (lower(s[len(s)-1]) - 'a')
	}
	for c := byte('a'); c <= 'z'; c++ {
		no := first>>(c-'a')&1 == 0
		n.nofirst[c], n.nofirst[c-'a'+'A'] = no, no
	}
	return n
}

// The names each walker reads.
var (
	envNames   = newKeyNames("cmd", "info")
	modeNames  = newKeyNames("extra", "user")
	userNames  = newKeyNames("uid", "base", "medal", "guard")
	baseNames  = newKeyNames("name", "is_mystery")
	medalNames = newKeyNames("level", "ruid")
	guardNames = newKeyNames("level")
	extraNames = newKeyNames("id_str", "is_mirror") // at extraID, extraMirror
)

// The places of extra's two names in extraNames.list.
const (
	extraID = iota
	extraMirror
)

// index is the place of k in n.list, or -1.
func (n *keyNames) index(k []byte) int {
	for x, name := range n.list {
		if string(k) == name {
			return x
		}
	}
	return -1
}

// folds is foldsTo(k, n.list...), answered without a call for a key that
// starts (or ends) with a letter no name starts (ends) with: folding
// ignores only case, '_' and '-', so a letter at either end must match.
//
// The first letter's test is all most keys need, and is inlined: folds is
// called for every member a walker skips.
func (n *keyNames) folds(k []byte) bool {
	if len(k) > 0 && n.nofirst[k[0]] {
		return false
	}
	return n.foldsLast(k)
}

func (n *keyNames) foldsLast(k []byte) bool {
	if len(k) > 0 {
		if c := k[len(k)-1] | 0x20; c >= 'a' && c <= 'z' && n.last>>(c-'a')&1 == 0 && ascii(k) {
			return false // (a key outside ASCII is assumed to match)
		}
	}
	return foldsTo(k, n.list...)
}

func ascii(k []byte) bool {
	for _, c := range k {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldsTo reports whether the general decoder might match the unknown key
// k to one of names by its case-insensitive rule (letters case-folded,
// '_' and '-' ignored). Keys outside ASCII are assumed to match.
func foldsTo(k []byte, names ...string) bool {
	// Quick reject: a key starting with a letter no name starts with.
	if len(k) > 0 && k[0] != '_' && k[0] != '-' && k[0] < utf8.RuneSelf {
		c, hit := lower(k[0]), false
		for _, n := range names {
			hit = hit || (n != "" && n[0] == c)
		}
		if !hit {
			return false
		}
	}
	for _, c := range k {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	for _, n := range names {
		if n != "" && foldEq(k, n) {
			return true
		}
	}
	return false
}

func foldEq(k []byte, n string) bool {
	i, j := 0, 0
	for {
		for i < len(k) && (k[i] == '_' || k[i] == '-') {
			i++
		}
		for j < len(n) && (n[j] == '_' || n[j] == '-') {
			j++
		}
		if i == len(k) || j == len(n) {
			return i == len(k) && j == len(n)
		}
		if lower(k[i]) != lower(n[j]) {
			return false
		}
		i++
		j++
	}
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Walking an object's members: the comma, the name and its colon, and, in
// seek, the members a walker does not read.

// key reads a member name and its colon; names with escapes are refused.
func (s *scanner) key(int) ([]byte, bool) {
	s.i = skipWS(s.b, s.i)
	b, i := s.b, s.i
	if i >= len(b) || b[i] != '"' {
		return nil, false
	}
	end, esc := strEnd(b, i+1)
	if end < 0 || esc {
		return nil, false
	}
	j := skipWS(b, end+1)
	if j >= len(b) || b[j] != ':' {
		return nil, false
	}
	s.i = j + 1
	return b[i+1 : end], true
}

// member is called before the n-th member (from 0) of the object entered:
// it reads the member's name and colon, or the closing brace (more=false).
func (s *scanner) member(n int) (k []byte, more, ok bool) {
	k, j, st := nextMember(s.b, s.i, n == 0)
	switch {
	case st < 0:
		return nil, false, false
	case st == 0:
		s.i = j
		s.depth--
		return nil, false, true
	}
	s.i = j
	return k, true, true
}

// nextMember reads, at b[i], the comma before a member (unless first),
// the member's name (without escapes) and its colon, and returns the
// name, the index after the colon and st=1; or the index after the
// object's closing brace and st=0; or st=-1.
func nextMember(b []byte, i int, first bool) (k []byte, j int, st int) {
	i = skipWS(b, i)
	if i >= len(b) {
		return nil, 0, -1
	}
	if b[i] == '}' {
		return nil, i + 1, 0
	}
	if !first {
		if b[i] != ',' {
			return nil, 0, -1
		}
		i = skipWS(b, i+1)
	}
	if i >= len(b) || b[i] != '"' {
		return nil, 0, -1
	}
	// Most names are shorter than two words: found by a mask or two.
	end, esc := -1, false
	if i+17 <= len(b) {
		m := jsonesc.Special(binary.LittleEndian.Uint64(b[i+1 : i+9]))
		e := i + 1
		if m == 0 {
			m, e = jsonesc.Special(binary.LittleEndian.Uint64(b[i+9:i+17])), i+9
		}
		if m != 0 {
			if e += bits.TrailingZeros64(m) >> 3; b[e] == '"' {
				end = e
			}
		}
	}
	if end < 0 {
		if end, esc = strEnd(b, i+1); end < 0 || esc {
			return nil, 0, -1
		}
	}
	j = end + 1
	if j >= len(b) || b[j] != ':' {
		if j = skipWS(b, j); j >= len(b) || b[j] != ':' {
			return nil, 0, -1
		}
	}
	return b[i+1 : end], j + 1, 1
}

// keyEnd reads a member name without escapes and its colon at b[i], and
// returns the index after the colon, or -1.
func keyEnd(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	end, esc := strEnd(b, i+1)
	if end < 0 || esc {
		return -1
	}
	i = skipWS(b, end+1)
	if i >= len(b) || b[i] != ':' {
		return -1
	}
	return i + 1
}

// seek walks the members of the object entered (from its first if first)
// past those whose names are not in names, and stops at the first that
// is: it returns the name's index in names.list, with s.i at the member's
// value, or -1 with s.i past the closing brace; ok=false for an error or
// a name the general decoder might fold to one of names. The members
// skipped cost no call each: a walker calls seek once per member it reads.
// The name ch expects at its place *p (ch may be nil) is checked first.
func (s *scanner) seek(names *keyNames, ch *keyChain, p *int, first bool) (idx int, ok bool) {
	b, i := s.b, s.i
	for {
		j := -1
		if ch != nil && *p < len(ch.lits) {
			// The chain's guess, in compact JSON: right after the comma.
			c := i
			if !first {
				c = -1
				if i < len(b) && b[i] == ',' {
					c = i + 1
				}
			}
			// A run of usual values (chain.go). Unlike extraQuoted, seek
			// tries one at each place of a stretch not matched: the
			// stretches of these objects are one to three members.
			if c >= 0 && ch.runs != nil {
				if e, n := ch.run(b, c, *p); n > 0 {
					// Members skipped at once, with their usual values.
					*p += n
					i, first = e, false
					continue
				}
			}
			if l := &ch.lits[*p]; c >= 0 && l.n > 0 && len(b)-c >= chainLen && l.at(b, c) {
				*p++
				j = c + l.n
				if l.kind > 0 {
					s.i = j
					return l.kind - 1, true
				}
			}
		}
		if j < 0 {
			k, at, st := nextMember(b, i, first)
			if st <= 0 {
				if st < 0 {
					return -1, false
				}
				s.i, s.depth = at, s.depth-1
				return -1, true
			}
			j = at
			if ch != nil {
				*p = ch.after(k, *p)
			}
			// Most names skipped start with a letter none of names
			// starts with: then none of them is k, and k folds to none.
			if len(k) == 0 || !names.nofirst[k[0]] {
				if x := names.index(k); x >= 0 {
					s.i = j
					return x, true
				}
				if names.foldsLast(k) {
					return -1, false
				}
			}
		}
		// The common values, strings and integers, are skipped here,
		// without the calls through skipValue.
		if i = j; i >= len(b) {
			return -1, false
		}
		if i+1 < len(b) && b[i] == '"' {
			if b[i+1] == '"' {
				i += 2 // "", the commonest string, without the call
			} else if i, _ = strEnd(b, i+1); i < 0 {
				return -1, false
			} else {
				i++
			}
		} else if e := intEnd(b, i); e >= 0 {
			i = e
		} else if c := b[i]; c != '{' && c != '[' || s.depth >= maxFastDepth {
			if i = skipValue(b, i, s.depth); i < 0 {
				return -1, false
			}
		} else if e := skipFlat(b, i); e >= 0 {
			i = e // skipValue's usual case, without its call
		} else if i = skipNested(b, i, s.depth); i < 0 {
			return -1, false
		}
		first = false
	}
}
