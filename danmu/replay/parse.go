package replay

import (
	"bytes"
	"time"
	"unicode/utf8"

	"github.com/cattease/cattease/danmu"

	"github.com/cattease/cattease/danmu/internal/jsonesc"
)

// The fast reader of recorded lines.
//
// A line in the form the writers produce (the documented keys, each once,
// exact case; strings, integers, booleans, an RFC 3339 time) is read in
// one forward pass with no reflection, and every string the Event keeps
// comes from one allocation (platform, room, kind and role are shared
// between lines). Anything else, an unknown key included, goes to the
// encoding/json reader (parseGeneral), which stays the reference for what
// a line means and what its error says; FuzzParse holds the two together.

// A lineParser reads lines of one stream; it remembers the last platform
// and room so that a recording of one room shares their strings.
type lineParser struct {
	platform, room string
	received       time.Time // the last line's "received", zero without one
	start          time.Time // the last start line's time (parseLine)
	times          timeCache
	recvs          timeCache // of "received"
	heads          headMemo  // the template reader's runs (memo.go)
	users          userMemo
	tails          tailMemo
}

// Event keys, in the order the writers put them.
const (
	kPlatform = 1 << iota
	kRoom
	kKind
	kID
	kTime
	kUser
	kText
	kGift
	kReceived
)

type lineSpans struct {
	id, uid, name, text, gift  span
	platform, room, kind, role []byte
}

type span struct {
	b   []byte
	esc bool
}

// parse reads line b into ev and p.received and returns true, or false to
// ask parseGeneral (ev and p.received then hold whatever was read so far).
// ev is filled in place: an Event is some 250 bytes, and a million lines a
// second should not copy each one through every call.
func (p *lineParser) parse(b []byte, ev *danmu.Event) bool {
	if p.template(b, ev) {
		return true
	}
	*ev = danmu.Event{}
	p.received = time.Time{}
	s := scan{b: b}
	var sp lineSpans
	ok := s.object(func(k []byte) (bit int, ok bool) {
		switch string(k) {
		case "platform":
			sp.platform, ok = s.plain()
			return kPlatform, ok
		case "room":
			sp.room, ok = s.plain()
			return kRoom, ok
		case "kind":
			sp.kind, ok = s.plain()
			return kKind, ok
		case "id":
			sp.id, ok = s.str()
			return kID, ok
		case "time":
			return kTime, s.time(&ev.Time)
		case "user":
			return kUser, s.user(&ev.User, &sp)
		case "text":
			sp.text, ok = s.str()
			return kText, ok
		case "gift":
			return kGift, s.gift(&ev.Gift, &sp)
		case "received":
			return kReceived, s.time(&p.received)
		}
		return 0, false
	})
	if !ok || !s.end() {
		return false
	}
	p.strings(ev, &sp)
	return true
}

// strings sets the Event's strings: shared ones from the last line or the
// package's constants, the rest from one allocation.
func (p *lineParser) strings(ev *danmu.Event, sp *lineSpans) {
	p.shared(ev, sp)
	ev.User.Role = danmu.Role(intern(sp.role))
	p.arena(ev, sp)
}

// shared sets the platform, room and kind, shared with the last line or
// the package's constants.
func (p *lineParser) shared(ev *danmu.Event, sp *lineSpans) {
	if string(sp.platform) != p.platform {
		p.platform = string(sp.platform)
	}
	if string(sp.room) != p.room {
		p.room = string(sp.room)
	}
	ev.Platform, ev.Room = p.platform, p.room
	ev.Kind = danmu.Kind(intern(sp.kind))
}

// arena sets the Event's own strings from one allocation.
func (p *lineParser) arena(ev *danmu.Event, sp *lineSpans) {
	var stack [512]byte
	arena := stack[:0]
	var ends [5]int
	for i, f := range [5]span{sp.id, sp.uid, sp.name, sp.text, sp.gift} {
		if f.esc {
			arena = jsonesc.AppendUnescaped(arena, f.b)
		} else {
			arena = append(arena, f.b...)
		}
		ends[i] = len(arena)
	}
	all := string(arena)
	ev.ID = all[:ends[0]]
	ev.User.ID = all[ends[0]:ends[1]]
	ev.User.Name = all[ends[1]:ends[2]]
	ev.Text = all[ends[2]:ends[3]]
	ev.Gift.Name = all[ends[3]:ends[4]]
}

// intern returns the known kinds and roles without allocating.
func intern(b []byte) string {
	switch string(b) {
	case "":
		return ""
	case "chat":
		return "chat"
	case "gift":
		return "gift"
	case "superchat":
		return "superchat"
	case "guard":
		return "guard"
	case "enter":
		return "enter"
	case "follow":
		return "follow"
	case "like":
		return "like"
	case "live":
		return "live"
	case "offline":
		return "offline"
	case "notice":
		return "notice"
	case "viewer":
		return "viewer"
	case "moderator":
		return "moderator"
	case "owner":
		return "owner"
	}
	return string(b)
}

func (s *scan) user(u *danmu.User, sp *lineSpans) bool {
	return s.object(func(k []byte) (bit int, ok bool) {
		switch string(k) {
		case "id":
			sp.uid, ok = s.str()
			return 1, ok
		case "name":
			sp.name, ok = s.str()
			return 2, ok
		case "role":
			sp.role, ok = s.plain()
			return 4, ok
		case "guard":
			u.Guard, ok = s.int()
			return 8, ok
		case "medal":
			u.Medal, ok = s.int()
			return 16, ok
		case "level":
			u.Level, ok = s.int()
			return 32, ok
		case "masked":
			u.Masked, ok = s.bool()
			return 64, ok
		}
		return 0, false
	})
}

func (s *scan) gift(g *danmu.Gift, sp *lineSpans) bool {
	return s.object(func(k []byte) (bit int, ok bool) {
		switch string(k) {
		case "name":
			sp.gift, ok = s.str()
			return 1, ok
		case "count":
			g.Count, ok = s.int()
			return 2, ok
		case "value_cents":
			g.ValueCents, ok = s.int64()
			return 4, ok
		}
		return 0, false
	})
}

// object reads a JSON object, handing each key to field, which reads the
// value and names the key by a bit. An unknown key (bit 0 or !ok), a
// repeated one or a syntax error is false: encoding/json decides then.
func (s *scan) object(field func(k []byte) (bit int, ok bool)) bool {
	if !s.byte('{') {
		return false
	}
	seen := 0
	for n := 0; ; n++ {
		k, more, ok := s.member(n)
		if !ok || !more {
			return ok
		}
		bit, ok := field(k)
		if !ok || bit == 0 || seen&bit != 0 {
			return false
		}
		seen |= bit
	}
}

// scan reads the JSON of one line; every method returns false where
// encoding/json might read the line differently.
type scan struct {
	b []byte
	i int
}

func (s *scan) ws() {
	if s.i < len(s.b) && s.b[s.i] > ' ' {
		return // compact JSON
	}
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

func (s *scan) end() bool {
	s.ws()
	return s.i == len(s.b)
}

func (s *scan) byte(c byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// member reads the n-th member's name and colon, or the closing brace.
func (s *scan) member(n int) (k []byte, more, ok bool) {
	if s.byte('}') {
		return nil, false, true
	}
	if n > 0 && !s.byte(',') {
		return nil, false, false
	}
	sp, ok := s.str()
	if !ok || sp.esc || !s.byte(':') {
		return nil, false, false
	}
	return sp.b, true, true
}

// plain reads a string without escapes.
func (s *scan) plain() ([]byte, bool) {
	sp, ok := s.str()
	return sp.b, ok && !sp.esc
}

// str reads a string of valid UTF-8 with no surrogate escapes.
func (s *scan) str() (span, bool) {
	if !s.byte('"') {
		return span{}, false
	}
	b, start, esc := s.b, s.i, false
	for i := jsonesc.PlainEnd(b, start); i < len(b); i = jsonesc.PlainEnd(b, i) {
		switch c := b[i]; {
		case c == '"':
			s.i = i + 1
			return span{b: b[start:i], esc: esc}, true
		case c == '\\':
			n := jsonesc.EscapeLen(b[i:])
			if n == 0 {
				return span{}, false
			}
			esc = true
			i += n
		case c < utf8.RuneSelf:
			return span{}, false // a control character
		default:
			i = jsonesc.CJKEnd(b, i) // Chinese, no rune decoded
			if i < len(b) && b[i] >= utf8.RuneSelf {
				r, n := utf8.DecodeRune(b[i:])
				if r == utf8.RuneError && n <= 1 {
					return span{}, false
				}
				i += n
			}
		}
	}
	return span{}, false
}

// int reads an integer literal within int, which is 32 bits on arm.
func (s *scan) int() (int, bool) {
	v, ok := s.int64()
	if !ok || int64(int(v)) != v {
		return 0, false // beyond a 32-bit int: encoding/json's error
	}
	return int(v), true
}

// int64 reads an integer literal within int64.
func (s *scan) int64() (int64, bool) {
	s.ws()
	b, i := s.b, s.i
	neg := i < len(b) && b[i] == '-'
	if neg {
		i++
	}
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	digits := b[start:i]
	if len(digits) == 0 || len(digits) > 19 || (digits[0] == '0' && len(digits) > 1) {
		return 0, false // empty, leading zero or beyond int64: ask the reference
	}
	if i < len(b) && (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
		return 0, false
	}
	var u uint64
	for _, c := range digits {
		u = u*10 + uint64(c-'0') // 19 digits fit a uint64
	}
	var v int64
	switch {
	case neg && u <= 1<<63:
		v = int64(-u)
	case !neg && u < 1<<63:
		v = int64(u)
	default:
		return 0, false
	}
	s.i = i
	return v, true
}

func (s *scan) bool() (bool, bool) {
	s.ws()
	switch {
	case bytes.HasPrefix(s.b[s.i:], []byte("true")):
		s.i += 4
		return true, true
	case bytes.HasPrefix(s.b[s.i:], []byte("false")):
		s.i += 5
		return false, true
	}
	return false, false
}

// time reads an RFC 3339 time through time.Time's own UnmarshalJSON, as
// encoding/json does.
func (s *scan) time(t *time.Time) bool {
	s.ws()
	start := s.i
	sp, ok := s.str()
	if !ok || sp.esc {
		return false
	}
	return t.UnmarshalJSON(s.b[start:s.i]) == nil
}
