package i18n

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// Catalog translates rendered English messages. Its keys are the English
// printf formats as written in the source; a message is matched against
// them and the translation is filled with the text the verbs printed.
// A nil *Catalog translates nothing. A Catalog is safe for concurrent use.
type Catalog struct {
	exact   map[string]string // formats without verbs
	entries []entry           // formats with verbs, most specific first
}

type entry struct {
	anchor string         // longest literal piece: a quick pre-check
	lit    int            // length of the literal text: the longer, the more specific
	re     *regexp.Regexp // the English format as a pattern
	verbs  []piece        // the verb of each group of re
	to     []piece        // the translated format
}

// Limits on the work one message may cost.
const (
	maxDepth    = 4    // nested messages (an error inside a message)
	maxPrefixes = 8    // "file:line:col: path: " prefixes skipped
	maxMessage  = 4096 // longer messages are left as they are
	maxAttempts = 64   // whole-message matches tried for one message
)

// newCatalog builds a catalogue from English format → translated format.
func newCatalog(table map[string]string) *Catalog {
	c := &Catalog{exact: map[string]string{}}
	for en, to := range table {
		if to == en {
			continue // kept English on purpose: a general "%s is %v" would claim any "x is y"
		}
		from := parseFormat(en)
		if len(verbSignature(from)) == 0 {
			c.exact[literal(from)] = literal(parseFormat(to))
			continue
		}
		re, verbs := pattern(from)
		c.entries = append(c.entries, entry{longestLiteral(from), len(literal(from)), re, verbs, parseFormat(to)})
	}
	sort.Slice(c.entries, func(i, j int) bool { // the longer literal wins
		a, b := c.entries[i], c.entries[j]
		if a.lit != b.lit {
			return a.lit > b.lit
		}
		return a.re.String() < b.re.String()
	})
	return c
}

var chinese = sync.OnceValue(func() *Catalog { return newCatalog(zhTable()) })

// For returns the catalogue of a language: nil for English.
func For(l Lang) *Catalog {
	if l == Chinese {
		return chinese()
	}
	return nil
}

// Translate returns msg in the catalogue's language, or msg itself when
// no entry matches. Prefixes such as "file:line:col: " and a field path
// ("commands[2].allow: ") are kept as written and the rest translated.
func (c *Catalog) Translate(msg string) string {
	if c == nil || len(msg) > maxMessage {
		return msg
	}
	out, _ := c.job().translate(msg, 0)
	return out
}

// A job is the translation of one message, with a budget of attempts:
// text made to nest prefixes and verbs costs no more than plain text.
type job struct {
	c    *Catalog
	left int // whole-message matches still allowed
}

func (c *Catalog) job() *job { return &job{c: c, left: maxAttempts} }

func (j *job) translate(msg string, depth int) (string, bool) {
	if depth > maxDepth {
		return msg, false
	}
	off := 0
	for range maxPrefixes {
		if out, ok := j.whole(msg[off:], depth); ok {
			return msg[:off] + out, true
		}
		i := strings.Index(msg[off:], ": ")
		if i < 0 {
			break
		}
		off += i + 2
	}
	return msg, false
}

// whole translates msg when one entry matches all of it.
func (j *job) whole(msg string, depth int) (string, bool) {
	if j.left <= 0 {
		return "", false
	}
	j.left--
	if to, ok := j.c.exact[msg]; ok {
		return to, true
	}
	if !hasLetter(msg) {
		return "", false
	}
	for _, e := range j.c.entries {
		if !strings.Contains(msg, e.anchor) {
			continue
		}
		if m := e.re.FindStringSubmatch(msg); m != nil {
			return j.fill(e, m[1:], depth), true
		}
	}
	return "", false
}

// fill writes the translated format with the text each verb printed;
// text that is itself a message of the catalogue is translated too.
func (j *job) fill(e entry, groups []string, depth int) string {
	args := map[int]string{}
	for i, v := range e.verbs {
		if _, seen := args[v.arg]; seen {
			continue
		}
		g := groups[i]
		if textVerb(v.verb) {
			g, _ = j.translate(g, depth+1)
		}
		args[v.arg] = g
	}
	var b strings.Builder
	for _, p := range e.to {
		if p.verb == 0 {
			b.WriteString(p.lit)
		} else {
			b.WriteString(args[p.arg])
		}
	}
	return b.String()
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}
