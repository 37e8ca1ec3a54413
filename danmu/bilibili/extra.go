package bilibili

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"

	"github.com/cattease/cattease/danmu/internal/jsonesc"
)

// info[0][15].extra, a JSON document sent as a string, is half of a
// DANMU_MSG and holds the two keys the fast path wants from it, id_str and
// is_mirror. As Bilibili sends it, the inner document is compact and the
// only escapes in it are the \" around its strings; then it is read where
// it lies, in one pass that validates the outer string and the inner JSON
// together (extraQuoted). Any other shape (another escape, whitespace, a
// surrogate, an error) is unescaped into a pooled buffer as it is
// validated (unquote) and scanned there (scanExtra), which decides: so
// what is accepted does not depend on which way was taken.

// extra reads info[0][15].extra, or null, and finds id_str and is_mirror
// in it (a mirrored message is refused: the reference skips it).
func (s *scanner) extra(x *fastInfo) bool {
	x.extraLen, x.id, x.idInBody = 0, span{}, false
	if s.null() {
		return true
	}
	s.i = skipWS(s.b, s.i)
	b, i := s.b, s.i
	if i >= len(b) || b[i] != '"' {
		return false
	}
	if i+1 < len(b) && b[i+1] == '"' {
		s.i = i + 2 // "": no document
		return true
	}
	if end, id, mirror, ok := extraQuoted(b, i+1); ok {
		if mirror {
			return false
		}
		x.id, x.idInBody = id, true
		s.i = end + 1
		return true
	}
	if x.buf == nil {
		x.buf = extBufs.Get().(*[extBufLen]byte)
	}
	end, n := unquote(x.buf[:], b, i+1)
	switch {
	case end < 0:
		return false
	case n < 0:
		// Too long for buf: unescaped onto the heap and scanned when
		// the Event is built.
		x.extraLen = -1
		var ok bool
		x.extra, ok = s.strOrNull()
		return ok
	}
	x.extraLen = n
	s.i = end + 1
	var mirror, ok bool
	x.id, mirror, ok = scanExtra(x.buf[:n])
	return ok && !mirror
}

// extraQuoted reads the string whose contents start at b[i] as a compact
// JSON document (no whitespace) whose strings are delimited by \" and hold
// no other escape, validating both the string (UTF-8, no control
// characters) and the document. It returns the index of the string's
// closing quote, id_str's contents as a span of b (no escapes), and
// is_mirror; ok=false for any other shape, valid or not.
func extraQuoted(b []byte, i int) (end int, id span, mirror, ok bool) {
	if j := litEnd(b, i, "null"); j >= 0 {
		return j, span{}, false, j < len(b) && b[j] == '"'
	}
	if i >= len(b) || b[i] != '{' {
		return 0, span{}, false, false
	}
	i++
	if i < len(b) && b[i] == '}' {
		return i + 1, span{}, false, i+1 < len(b) && b[i+1] == '"'
	}
	var seenID, seenMirror bool
	p := 0       // the member extraChain expects next
	tryFrom := 0 // no run is tried before this place
	for {
		var kind, n int
		if p >= tryFrom && p < len(extraChain.runs) && extraChain.runs[p].n > 0 {
			if i, n = extraChain.run(b, i, p); n == 0 {
				// Not matched: the stretch is read member by
				// member, without trying the runs inside it.
				tryFrom = p + extraChain.runs[p].n
			}
		}
		if n > 0 {
			p, kind = p+n, ranKind // past the run's members and values
		} else if p < len(extraChain.lits) && extraChain.lits[p].n > 0 && len(b)-i >= chainLen && extraChain.lits[p].at(b, i) {
			kind = extraChain.lits[p].kind
			i += extraChain.lits[p].n
			p++
		} else {
			// The name, \"…\", and its colon.
			if !quoteAt(b, i) {
				return 0, span{}, false, false
			}
			ke := qstrEnd(b, i+2)
			if ke < 0 || ke+2 >= len(b) || b[ke+2] != ':' {
				return 0, span{}, false, false
			}
			k := b[i+2 : ke]
			i = ke + 3
			// As in seek: most names start with a letter neither read
			// name starts with, and are neither nor fold to one.
			if len(k) == 0 || !extraNames.nofirst[k[0]] {
				if kind = extraNames.index(k) + 1; kind == 0 && extraNames.foldsLast(k) {
					return 0, span{}, false, false
				}
			}
			p = extraChain.after(k, p)
		}
		switch kind {
		case ranKind:
		case 1 + extraID:
			if seenID {
				return 0, span{}, false, false
			}
			seenID = true
			if j := litEnd(b, i, "null"); j >= 0 {
				id, i = span{}, j
				break
			}
			if !quoteAt(b, i) {
				return 0, span{}, false, false
			}
			e := qstrEnd(b, i+2)
			if e < 0 {
				return 0, span{}, false, false
			}
			id, i = span{lo: i + 2, hi: e}, e+2
		case 1 + extraMirror:
			if seenMirror || i >= len(b) || b[i] <= ' ' {
				return 0, span{}, false, false
			}
			seenMirror = true
			// Literals and integers only: no escape or control
			// character is read.
			sc := scanner{b: b, i: i}
			v, ok := sc.flag()
			if !ok {
				return 0, span{}, false, false
			}
			mirror, i = v, sc.i
		default:
			// The common values, a string or a one-digit number,
			// without a call to qskip.
			switch {
			case quoteAt(b, i):
				if quoteAt(b, i+2) {
					i += 4 // \"\", the commonest string, without the call
				} else if i = qstrEnd(b, i+2); i < 0 {
					return 0, span{}, false, false
				} else {
					i += 2
				}
			case i+1 < len(b) && b[i]-'0' < 10 && (b[i+1] == ',' || b[i+1] == '}'):
				i++
			default:
				if i = qskip(b, i, 1); i < 0 {
					return 0, span{}, false, false
				}
			}
		}
		if i >= len(b) {
			return 0, span{}, false, false
		}
		switch b[i] {
		case ',':
			i++
		case '}':
			return i + 1, id, mirror, i+1 < len(b) && b[i+1] == '"'
		default:
			return 0, span{}, false, false
		}
	}
}

// ranKind is the kind extraQuoted gives a run of members read at once.
const ranKind = -1

// quoteAt reports whether b[i:] starts with \", an inner string's quote.
func quoteAt(b []byte, i int) bool {
	return i+1 < len(b) && b[i] == '\\' && b[i+1] == '"'
}

// qstrEnd scans an inner string whose contents start at b[i] and returns
// the index of the \" that ends it, or -1 for any other escape, a raw
// quote (the outer string's end), a control character or bad UTF-8.
func qstrEnd(b []byte, i int) int {
	// The word scan is written out here as in strEnd: as a function of its
	// own it is not inlined, and the call per stop costs 5 % of the decode.
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
				return -1
			}
		}
		switch c := b[i]; {
		case c == '\\':
			if i+1 < len(b) && b[i+1] == '"' {
				return i
			}
			return -1
		case c >= utf8.RuneSelf:
			if j := jsonesc.CJKEnd(b, i); j > i {
				i = j
				continue
			}
			n := utf8Len(b, i)
			if n == 0 {
				return -1
			}
			i += n
		default:
			return -1
		}
	}
}

// qskip validates and skips a compact inner value at b[i], depth levels
// in, returning the index after it or -1.
func qskip(b []byte, i, depth int) int {
	if depth >= maxFastDepth || i >= len(b) {
		return -1
	}
	switch c := b[i]; c {
	case '\\':
		if !quoteAt(b, i) {
			return -1
		}
		if e := qstrEnd(b, i+2); e >= 0 {
			return e + 2
		}
		return -1
	case '{', '[':
		close := c + 2 // '}' or ']'
		i++
		if i < len(b) && b[i] == close {
			return i + 1
		}
		for {
			if c == '{' {
				if !quoteAt(b, i) {
					return -1
				}
				ke := qstrEnd(b, i+2)
				if ke < 0 || ke+2 >= len(b) || b[ke+2] != ':' {
					return -1
				}
				i = ke + 3
			}
			if i = qskip(b, i, depth+1); i < 0 || i >= len(b) {
				return -1
			}
			if b[i] == close {
				return i + 1
			}
			if b[i] != ',' {
				return -1
			}
			i++
		}
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

// scanExtra finds id_str and is_mirror in the unescaped extra document.
func scanExtra(b []byte) (id span, mirror, ok bool) {
	s := scanner{b: b}
	if s.null() {
		return span{}, false, s.end()
	}
	if !s.enter('{') {
		return span{}, false, false
	}
	var seenID, seenMirror bool
	for n := 0; ; n++ {
		k, more, ok := s.member(n)
		if !ok {
			return span{}, false, false
		}
		if !more {
			return id, mirror, s.end()
		}
		switch extraNames.index(k) {
		case extraID:
			ok = !seenID
			seenID = true
			if ok {
				id, ok = s.strOrNull()
			}
		case extraMirror:
			ok = !seenMirror
			seenMirror = true
			if ok {
				mirror, ok = s.flag()
			}
		default:
			ok = !extraNames.folds(k) && s.skip()
		}
		if !ok {
			return span{}, false, false
		}
	}
}
