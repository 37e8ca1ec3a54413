package i18n

import (
	"regexp"
	"strings"
)

// A piece of a printf format: literal text, or one verb and the argument
// it prints (0-based, after explicit indexes such as %[2]q are applied).
type piece struct {
	lit  string
	verb byte // 0 for literal text
	arg  int
}

// parseFormat splits a printf format into literal text and verbs. Flags,
// width and precision are dropped: only the verb and its argument matter
// to a translation. "%%" is literal text.
func parseFormat(f string) []piece {
	var out []piece
	var lit strings.Builder
	next := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			lit.WriteByte(f[i])
			continue
		}
		if i+1 < len(f) && f[i+1] == '%' {
			lit.WriteByte('%')
			i++
			continue
		}
		verb, arg, end := parseVerb(f, i+1, next)
		if verb == 0 {
			lit.WriteString(f[i:])
			break
		}
		if lit.Len() > 0 {
			out = append(out, piece{lit: lit.String()})
			lit.Reset()
		}
		out = append(out, piece{verb: verb, arg: arg})
		next, i = arg+1, end
	}
	if lit.Len() > 0 {
		out = append(out, piece{lit: lit.String()})
	}
	return out
}

// parseVerb reads flags, an optional [n], width and precision from f[i:]
// and returns the verb, its argument and the index of the verb byte; verb
// is 0 when the format ends first.
func parseVerb(f string, i, next int) (verb byte, arg, end int) {
	arg = next
	for ; i < len(f); i++ {
		c := f[i]
		switch {
		case strings.IndexByte("+-# 0.*", c) >= 0 || (c >= '0' && c <= '9'):
		case c == '[':
			j := strings.IndexByte(f[i:], ']')
			if j < 0 {
				return 0, 0, 0
			}
			n := 0
			for _, d := range f[i+1 : i+j] {
				if d < '0' || d > '9' {
					return 0, 0, 0
				}
				n = n*10 + int(d-'0')
			}
			arg, i = n-1, i+j
		default:
			return c, arg, i
		}
	}
	return 0, 0, 0
}

// capture is the text one verb may have printed.
func capture(verb byte) string {
	switch verb {
	case 'q':
		return "(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`|\\[.*?\\])"
	case 'd':
		return `([-+]?\d+)`
	case 'x', 'X':
		return `((?:0[xX])?[0-9a-fA-F]+)`
	}
	return `(.*?)`
}

// textVerb reports whether a verb prints text that may itself be a
// message of the catalogue (an error, a word such as "a mapping").
func textVerb(verb byte) bool { return verb == 's' || verb == 'v' || verb == 'w' }

// pattern turns an English format into an anchored regular expression
// with one group per verb, and returns the arguments of the groups.
func pattern(pieces []piece) (*regexp.Regexp, []piece) {
	var b strings.Builder
	var verbs []piece
	b.WriteString("^")
	for _, p := range pieces {
		if p.verb == 0 {
			b.WriteString(regexp.QuoteMeta(p.lit))
			continue
		}
		b.WriteString(capture(p.verb))
		verbs = append(verbs, p)
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String()), verbs
}

// literal is the text of a format without its verbs.
func literal(pieces []piece) string {
	var b strings.Builder
	for _, p := range pieces {
		b.WriteString(p.lit)
	}
	return b.String()
}

// longestLiteral is the longest piece of literal text: a message that
// does not contain it cannot match, which spares most regexp runs.
func longestLiteral(pieces []piece) string {
	best := ""
	for _, p := range pieces {
		if len(p.lit) > len(best) {
			best = p.lit
		}
	}
	return best
}

// verbSignature maps each argument to the verb that prints it; the
// catalogue test compares the signatures of both languages.
func verbSignature(pieces []piece) map[int]byte {
	m := map[int]byte{}
	for _, p := range pieces {
		if p.verb != 0 {
			m[p.arg] = p.verb
		}
	}
	return m
}
