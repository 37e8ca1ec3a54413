package bilibili

import (
	"encoding/binary"
	"slices"
)

// Member names in the order Bilibili sends them. A DANMU_MSG's objects
// hold the same names in the same order, message after message; a walker
// that expects the next name checks it with three word comparisons (its
// quotes and colon included) instead of scanning it, looking it up and
// asking whether it folds to a name it reads. A name not expected is read
// the usual way, and the walker's place in the chain found again after
// it. Only what is accepted is the same either way: a name of the chain
// is plain ASCII, so the scan would have stopped at its closing quote, and
// it is one the walker skips (kind 0) only if it folds to none it reads.

// chainLen is the longest member start a chain holds, in bytes: three
// words, as many as at can compare and still be inlined.
const chainLen = 24

// A chainLit is one member's start: its name quoted, and the colon.
type chainLit struct {
	w, m [chainLen / 8]uint64 // its bytes and a mask of them, little-endian
	n    int                  // its length; 0 for a name too long to be checked this way
	kind int                  // 0: skipped; else 1 + the name's index in the walker's keyNames
}

// at reports whether b[i:] starts with the literal; b must have chainLen
// bytes from i on (nearer the end, the walkers read names the usual way).
func (c *chainLit) at(b []byte, i int) bool {
	w := b[i : i+chainLen]
	return (binary.LittleEndian.Uint64(w[0:8])^c.w[0])&c.m[0]|
		(binary.LittleEndian.Uint64(w[8:16])^c.w[1])&c.m[1]|
		(binary.LittleEndian.Uint64(w[16:24])^c.w[2])&c.m[2] == 0
}

// A keyChain is the names of one object in their usual order.
type keyChain struct {
	lits  []chainLit
	names []string
	reads *keyNames  // the names the walker reads
	runs  []chainRun // by place; nil for a chain without values
}

// A chainRun is the stretch of members from one place of a chain on, up
// to the first without a usual value, each with its usual value: their
// names quoted, colons, values and the commas between, as one literal. A
// body holding the literal where the stretch begins is past all of its
// members in one comparison of memory; one that does not is read member
// by member. Only what is accepted is the same
// either way: the literal is valid JSON, and its members are ones the
// walker skips.
type chainRun struct {
	lit string
	n   int // members in it; 0: the member at this place has no usual value
}

// newKeyChain makes the chain of names as they appear quoted by quote
// (`"`, or `\"` inside extra), for the walker reading reads. A name too
// long for a literal keeps its place, but is read the usual way.
func newKeyChain(quote string, reads *keyNames, names ...string) *keyChain {
	c := &keyChain{names: names, reads: reads}
	for _, name := range names {
		lit := quote + name + quote + ":"
		if len(lit) > chainLen {
			c.lits = append(c.lits, chainLit{})
			continue
		}
		for _, r := range name {
			if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '_') {
				panic("bilibili: chain name " + name + " is not plain")
			}
		}
		l := chainLit{n: len(lit), kind: reads.index([]byte(name)) + 1}
		if l.kind == 0 && reads.folds([]byte(name)) {
			panic("bilibili: chain name " + name + " folds to a name read")
		}
		var buf, mask [chainLen]byte
		copy(buf[:], lit)
		for j := range lit {
			mask[j] = 0xff
		}
		for k := range l.w {
			l.w[k] = binary.LittleEndian.Uint64(buf[8*k:])
			l.m[k] = binary.LittleEndian.Uint64(mask[8*k:])
		}
		c.lits = append(c.lits, l)
	}
	return c
}

// withValues gives c the runs of its members' usual values, by name, as
// they appear quoted by quote.
func (c *keyChain) withValues(quote string, values map[string]string) *keyChain {
	c.runs = make([]chainRun, len(c.names))
	for name := range values {
		k := []byte(name)
		if !slices.Contains(c.names, name) || c.reads.index(k) >= 0 || c.reads.folds(k) {
			panic("bilibili: usual value for " + name + ", not a skipped name of the chain")
		}
	}
	for p := len(c.names) - 1; p >= 0; p-- {
		v, ok := values[c.names[p]]
		if !ok {
			continue
		}
		r := chainRun{lit: quote + c.names[p] + quote + ":" + v, n: 1}
		if p+1 < len(c.runs) && c.runs[p+1].n > 0 {
			r.lit += "," + c.runs[p+1].lit
			r.n += c.runs[p+1].n
		}
		c.runs[p] = r
	}
	return c
}

// run returns the index after the run at place p and the members it
// holds if b[i:] starts with it; else i and 0.
func (c *keyChain) run(b []byte, i, p int) (end, n int) {
	r := &c.runs[p]
	if r.n > 0 && len(b)-i >= len(r.lit) && string(b[i:i+len(r.lit)]) == r.lit {
		return i + len(r.lit), r.n
	}
	return i, 0
}

// after is the place in the chain after the name k, read the usual way
// where the chain expected its p-th name: after k if k is that name or
// one of the next few (those before it absent), else p still (a name
// added before the one expected).
func (c *keyChain) after(k []byte, p int) int {
	for q := p; q < len(c.names) && q < p+chainSkips; q++ {
		if string(k) == c.names[q] {
			return q + 1
		}
	}
	return p
}

// chainSkips is how many names after is ready to find absent.
const chainSkips = 4

// extraChain is the members of info[0][15].extra, as sent in 2025.
var extraChain = newKeyChain(`\"`, extraNames,
	"send_from_me", "master_player_hidden", "mode", "color", "dm_type", "font_size", "player_mode",
	"show_player_type", "content", "user_hash", "emoticon_unique", "bulge_display", "recommend_score",
	"main_state_dm_color", "objective_state_dm_color", "direction", "pk_direction", "quartet_direction",
	"anniversary_crowd", "yeah_space_type", "yeah_space_url", "jump_to_url", "space_type", "space_url",
	"animation", "emots", "is_audited", "id_str", "icon", "show_reply", "reply_mid", "reply_uname",
	"reply_uname_color", "reply_is_mystery", "reply_type_enum", "hit_combo", "esports_jump_url").
	withValues(`\"`, map[string]string{
		// The values nearly every message of the captures (testdata)
		// carries. emots varies more and is left out; a reply has its
		// own reply_* values, and then the stretch from icon on is read
		// member by member.
		"send_from_me": "false", "master_player_hidden": "false", "mode": "0",
		"dm_type": "0", "font_size": "25", "show_player_type": "0",
		"emoticon_unique": `\"\"`, "bulge_display": "0",
		"main_state_dm_color": `\"\"`, "objective_state_dm_color": `\"\"`, "direction": "0",
		"pk_direction": "0", "quartet_direction": "0", "anniversary_crowd": "0",
		"yeah_space_type": `\"\"`, "yeah_space_url": `\"\"`, "jump_to_url": `\"\"`,
		"space_type": `\"\"`, "space_url": `\"\"`, "animation": "{}", "is_audited": "false",
		"icon": "null", "show_reply": "true", "reply_mid": "0", "reply_uname": `\"\"`,
		"reply_uname_color": `\"\"`, "reply_is_mystery": "false", "reply_type_enum": "0",
		"hit_combo": "0", "esports_jump_url": `\"\"`,
	})

// The user object of info[0][15] and its parts, as sent in 2025.
var (
	userChain = newKeyChain(`"`, userNames,
		"base", "guard", "guard_leader", "medal", "title", "uhead_frame", "uid", "wealth").
		withValues(`"`, map[string]string{
			"guard_leader": `{"is_guard_leader":false}`, "title": `{"old_title_css_id":"","title_css_id":""}`,
			"uhead_frame": "null", "wealth": "null",
		})
	baseChain = newKeyChain(`"`, baseNames,
		"face", "is_mystery", "name", "name_color", "name_color_str", "official_info", "origin_info", "risk_ctrl_info").
		withValues(`"`, map[string]string{
			"name_color": "0", "name_color_str": `""`, "official_info": `{"desc":"","role":0,"title":"","type":-1}`,
			"risk_ctrl_info": "null",
		})
	medalChain = newKeyChain(`"`, medalNames,
		"color", "color_border", "color_end", "color_start", "guard_icon", "guard_level", "honor_icon", "id",
		"is_light", "level", "name", "ruid", "score", "typ", "user_receive_count", "v2_medal_color_border",
		"v2_medal_color_end", "v2_medal_color_level", "v2_medal_color_start", "v2_medal_color_text").
		withValues(`"`, map[string]string{
			"honor_icon": `""`, "is_light": "1", "typ": "0", "user_receive_count": "0",
			"v2_medal_color_text": `"#FFFFFFFF"`,
		})
)
