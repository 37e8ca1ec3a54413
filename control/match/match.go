package match

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Limits on what New accepts.
const (
	// DefaultMaxRepeat is the repeat cap of a command whose MaxRepeat is 0.
	DefaultMaxRepeat = 5
	// MaxRepeatLimit is the highest MaxRepeat allowed: one message can never
	// become a burst (the Twitch Plays "start9" lesson).
	MaxRepeatLimit = 20
	// MaxAliasBytes bounds a normalized alias.
	MaxAliasBytes = 64
)

// Command is one matchable command as the rule engine configured it.
type Command struct {
	// Name is returned on a match. Names must be unique and not empty.
	Name string
	// Aliases are the words that trigger the command: "左", "left", "l",
	// "←", "向左". They are normalized like messages, so "Ｌｅｆｔ！" is the
	// alias "left". No two commands may share a normalized alias.
	Aliases []string
	// Regex, if set, is tried when no alias matches, against the normalized
	// first token, anchored at both ends and case-insensitive. A named group
	// "count" gives the repeat count. See the package documentation.
	Regex string
	// MaxRepeat caps the repeat count: 0 means DefaultMaxRepeat, 1 turns
	// repeats off (左3 is then 左 ×1 with Capped set). At most MaxRepeatLimit.
	MaxRepeat int
}

// Result is a matched command.
type Result struct {
	Command   int    // index into the commands given to New
	Name      string // the command's Name
	Repeat    int    // how many times to run it: 1 ≤ Repeat ≤ the command's cap
	Requested int    // the count the message asked for (saturates at 1,000,000)
	Capped    bool   // Repeat < Requested
	// Alias is the normalized alias that matched, or for a regex match the
	// normalized first token.
	Alias string
}

// Matcher matches chat messages against a fixed set of commands. It is
// immutable after New and safe for concurrent use.
type Matcher struct {
	cmds    []command
	aliases []alias
	nodes   []node
	edges   []edge
	regexes []regexCommand
}

type command struct {
	name string
	cap  int
}

type alias struct {
	text string // normalized
	cmd  int
}

// node is a trie node; its children are edges[first:first+n], sorted by byte.
type node struct {
	first, n int32
	alias    int32 // index into aliases of the alias ending here, or -1
}

type edge struct {
	b     byte
	child int32
}

type regexCommand struct {
	cmd   int
	re    *regexp.Regexp
	count int // index of the "count" group, or -1
}

// Error is one problem New found. Command and Alias index the commands given
// to New (Alias is -1 when the problem is not about one alias); Other and
// OtherAlias name the command and alias a duplicate collides with (-1 when
// there is none).
type Error struct {
	Command, Alias    int
	Other, OtherAlias int
	Field             string // "name", "aliases", "regex" or "max_repeat"
	Msg               string
}

func (e *Error) Error() string { return "match: " + e.Msg }

// Errors is every problem New found, in command order.
type Errors []*Error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap lets errors.As reach each *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// New builds a Matcher. It reports every problem at once, as Errors: an
// empty or duplicate name, a command with nothing to trigger it, an alias
// that is empty or longer than MaxAliasBytes after normalization, an alias
// shared by two commands (naming both), an alias that is another command's
// alias written several times (左左 would read as 左 ×2), a regex that does
// not compile, and a MaxRepeat outside 0–MaxRepeatLimit.
func New(cmds []Command) (*Matcher, error) {
	m := &Matcher{cmds: make([]command, len(cmds))}
	var errs Errors
	fail := func(cmd, al int, field, format string, args ...any) *Error {
		e := &Error{Command: cmd, Alias: al, Other: -1, OtherAlias: -1, Field: field, Msg: fmt.Sprintf(format, args...)}
		errs = append(errs, e)
		return e
	}
	type origin struct{ cmd, alias int }
	seen := map[string]origin{}
	names := map[string]int{}
	for i, c := range cmds {
		switch j, dup := names[c.Name]; {
		case c.Name == "":
			fail(i, -1, "name", "command #%d has no name", i)
		case dup:
			e := fail(i, -1, "name", "command name %q is used twice (#%d and #%d)", c.Name, j, i)
			e.Other = j
		default:
			names[c.Name] = i
		}
		cap := c.MaxRepeat
		if cap == 0 {
			cap = DefaultMaxRepeat
		}
		if c.MaxRepeat < 0 || c.MaxRepeat > MaxRepeatLimit {
			fail(i, -1, "max_repeat", "command %q: max_repeat %d is outside 0–%d", c.Name, c.MaxRepeat, MaxRepeatLimit)
		}
		m.cmds[i] = command{name: c.Name, cap: min(max(cap, 1), MaxRepeatLimit)}
		if len(c.Aliases) == 0 && c.Regex == "" {
			fail(i, -1, "aliases", "command %q has no aliases and no regex: nothing can trigger it", c.Name)
		}
		for j, raw := range c.Aliases {
			a := Normalize(raw)
			switch o, dup := seen[a]; {
			case a == "":
				fail(i, j, "aliases", "command %q: alias %q is empty once invisible characters and spaces are removed", c.Name, raw)
			case len(a) > MaxAliasBytes:
				fail(i, j, "aliases", "command %q: alias %q is longer than %d bytes", c.Name, raw, MaxAliasBytes)
			case dup && o.cmd == i:
				// The same command listing "Left" and "left": harmless.
			case dup:
				e := fail(i, j, "aliases", "command %q: alias %q (normalized %q) is also alias %q of command %q",
					c.Name, raw, a, cmds[o.cmd].Aliases[o.alias], cmds[o.cmd].Name)
				e.Other, e.OtherAlias = o.cmd, o.alias
			default:
				seen[a] = origin{i, j}
				m.aliases = append(m.aliases, alias{text: a, cmd: i})
			}
		}
		if c.Regex != "" {
			// Compile the regex as written first, so that an error quotes it.
			_, err := regexp.Compile(c.Regex)
			var re *regexp.Regexp
			if err == nil {
				re, err = regexp.Compile(`^(?i:` + c.Regex + `)$`)
			}
			if err != nil {
				fail(i, -1, "regex", "command %q: bad regex: %v", c.Name, err)
			} else {
				m.regexes = append(m.regexes, regexCommand{cmd: i, re: re, count: re.SubexpIndex("count")})
			}
		}
	}
	// 左左 would read as 左 ×2, so no alias may be another command's alias
	// repeated.
	for _, a := range m.aliases {
		for d := 1; d <= len(a.text)/2; d++ {
			if len(a.text)%d != 0 {
				continue
			}
			o, ok := seen[a.text[:d]]
			if !ok || o.cmd == a.cmd || strings.Repeat(a.text[:d], len(a.text)/d) != a.text {
				continue
			}
			self := seen[a.text]
			e := fail(self.cmd, self.alias, "aliases",
				"command %q: alias %q would be read as alias %q of command %q written %d times",
				cmds[self.cmd].Name, cmds[self.cmd].Aliases[self.alias], cmds[o.cmd].Aliases[o.alias], cmds[o.cmd].Name, len(a.text)/d)
			e.Other, e.OtherAlias = o.cmd, o.alias
			break
		}
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Command < errs[j].Command })
		return nil, errs
	}
	m.build()
	return m, nil
}

// build lays the aliases out as a byte trie in flat arrays.
func (m *Matcher) build() {
	type bnode struct {
		kids  map[byte]int
		alias int32
	}
	tree := []bnode{{alias: -1}}
	for i, a := range m.aliases {
		cur := 0
		for k := 0; k < len(a.text); k++ {
			nx, ok := tree[cur].kids[a.text[k]]
			if !ok {
				nx = len(tree)
				tree = append(tree, bnode{alias: -1})
				if tree[cur].kids == nil {
					tree[cur].kids = map[byte]int{}
				}
				tree[cur].kids[a.text[k]] = nx
			}
			cur = nx
		}
		tree[cur].alias = int32(i)
	}
	m.nodes = make([]node, len(tree))
	for i, bn := range tree {
		m.nodes[i] = node{first: int32(len(m.edges)), n: int32(len(bn.kids)), alias: bn.alias}
		for b, k := range bn.kids {
			m.edges = append(m.edges, edge{b, int32(k)})
		}
		es := m.edges[m.nodes[i].first:]
		sort.Slice(es, func(x, y int) bool { return es[x].b < es[y].b })
	}
}

// child returns the child of node n along byte b, or -1.
func (m *Matcher) child(n int32, b byte) int32 {
	nd := m.nodes[n]
	es := m.edges[nd.first : nd.first+nd.n]
	lo, hi := 0, len(es)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if es[h].b < b {
			lo = h + 1
		} else {
			hi = h
		}
	}
	if lo < len(es) && es[lo].b == b {
		return es[lo].child
	}
	return -1
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{a: make([]byte, 0, 4*MaxExamine), b: make([]byte, 0, 4*MaxExamine)}
}}

// Match reports the command text starts with; false means ordinary chat,
// to be ignored quietly. Only the first MaxExamine bytes of text are read.
// See the package documentation for the exact rules. A zero Matcher matches
// nothing.
func (m *Matcher) Match(text string) (Result, bool) {
	if len(m.nodes) == 0 {
		return Result{}, false
	}
	sc := scratchPool.Get().(*scratch)
	defer func() {
		if cap(sc.a) <= 16*MaxExamine && cap(sc.b) <= 16*MaxExamine {
			scratchPool.Put(sc)
		}
	}()
	p := prefix(text)
	// Most chat is not a command, and the first character or two tell:
	// normalize only the head of the message when that is enough to see
	// that no alias can match.
	if len(p) > headBytes && len(m.regexes) == 0 {
		if h := sc.head(p); len(h) > 0 && !m.mayMatch(h) {
			return Result{}, false
		}
	}
	return m.match(sc.normalize(p))
}

// mayMatch reports whether h, a prefix of a normalized message, could start
// with an alias: false only when the trie walk falls off inside h before
// passing any alias.
func (m *Matcher) mayMatch(h []byte) bool {
	n := int32(0)
	for i := 0; i < len(h); i++ {
		if n = m.child(n, h[i]); n < 0 {
			return false
		}
		if m.nodes[n].alias >= 0 {
			return true
		}
	}
	return true
}

// match matches a normalized message (leading space already removed).
func (m *Matcher) match(t []byte) (Result, bool) {
	// Every alias that is a prefix of t, shortest first. Aliases are at most
	// MaxAliasBytes long, so there are at most that many.
	var cands [MaxAliasBytes]int32
	nc := 0
	for i, n := 0, int32(0); i < len(t) && i < MaxAliasBytes; i++ {
		if n = m.child(n, t[i]); n < 0 {
			break
		}
		if a := m.nodes[n].alias; a >= 0 {
			cands[nc] = a
			nc++
		}
	}
	for k := nc - 1; k >= 0; k-- {
		a := m.aliases[cands[k]]
		n, ok := repeats(t, len(a.text), a.text)
		if ok {
			return m.result(a.cmd, n, a.text), true
		}
	}
	if len(m.regexes) > 0 {
		return m.matchRegex(t)
	}
	return Result{}, false
}

// repeats parses what follows the alias a, which ends at t[p]: the count the
// command asks for, and whether t is a command at all.
func repeats(t []byte, p int, a string) (int, bool) {
	// 左左左: the alias again, with nothing between.
	k := 1
	for p+len(a) <= len(t) && string(t[p:p+len(a)]) == a {
		k, p = sat(k+1), p+len(a)
	}
	if k > 1 {
		return k, atBoundary(t, p)
	}
	// 左3 左x3 左×三: a count glued on must end at a boundary.
	if n, q, ok := parseCount(t, p); ok {
		return n, n > 0 && atBoundary(t, q)
	}
	// 左 x3 左 3: a count after a space counts only if it ends at a
	// boundary; otherwise the space ends the command (左 3楼 is 左 ×1).
	if p < len(t) && t[p] == ' ' {
		if n, q, ok := parseCount(t, p+1); ok && atBoundary(t, q) {
			return n, n > 0
		}
		return 1, true
	}
	return 1, atBoundary(t, p)
}

func (m *Matcher) result(cmd, n int, alias string) Result {
	c := m.cmds[cmd]
	r := Result{Command: cmd, Name: c.name, Repeat: n, Requested: n, Alias: alias}
	if n > c.cap {
		r.Repeat, r.Capped = c.cap, true
	}
	return r
}

// matchRegex tries the regex commands, in order, on the first token of t:
// first the text up to the first space with trailing decorations trimmed,
// then, if shorter, the text up to the first place after a letter or digit
// where an alias could end (喵喵～[doge] is tried as "喵喵~[doge" and "喵喵").
func (m *Matcher) matchRegex(t []byte) (Result, bool) {
	if i := bytes.IndexByte(t, ' '); i >= 0 {
		t = t[:i]
	}
	full := trimTrailing(t)
	short := t
	for i, word := 0, false; i < len(t); {
		if word && atBoundary(t, i) {
			short = t[:i]
			break
		}
		r, size := utf8.DecodeRune(t[i:])
		word = wordRune(r)
		i += size
	}
	if len(full) > 0 {
		if r, ok := m.matchRegexToken(full); ok {
			return r, true
		}
	}
	if len(short) > 0 && len(short) != len(full) {
		return m.matchRegexToken(short)
	}
	return Result{}, false
}

func (m *Matcher) matchRegexToken(tok []byte) (Result, bool) {
	for _, rc := range m.regexes {
		n := 1
		if rc.count < 0 {
			if !rc.re.Match(tok) {
				continue
			}
		} else {
			loc := rc.re.FindSubmatchIndex(tok)
			if loc == nil {
				continue
			}
			if s, e := loc[2*rc.count], loc[2*rc.count+1]; s >= 0 {
				c, j, ok := parseNumber(tok[:e], s)
				if !ok || j != e || c == 0 {
					continue
				}
				n = c
			}
		}
		return m.result(rc.cmd, n, string(tok)), true
	}
	return Result{}, false
}
