package replay

import (
	"bytes"

	"github.com/cattease/cattease/danmu"
)

// Runs of a line read before.
//
// Lines of one recording repeat whole runs of bytes: the head (platform,
// room, kind), the middle of the user (role, guard, medal, level, masked),
// the gift at the end. The template reader keeps the last run it read at
// each of these places with what it meant; a line whose bytes there are
// the same means the same, so they are compared in one go instead of read
// value by value. A run that differs is read as before and kept.

// maxMemo bounds a kept run: a line with a huge value there is read, not
// kept.
const maxMemo = 256

// headMemo is `{"platform":…,"room":…,"kind":…,"id":`.
type headMemo struct {
	b              []byte
	platform, room string
	kind           danmu.Kind
}

// userMemo is `,"role":…,"guard":…,"medal":…,"level":…,"masked":…},"text":`.
type userMemo struct {
	b                   []byte
	role                danmu.Role
	guard, medal, level int
	masked              bool
}

// tailMemo is `,"gift":{"name":…,"count":…,"value_cents":…}`, to the
// gift's closing brace; the name is kept as where it lies in the run.
type tailMemo struct {
	b          []byte
	name, end  int // the gift name's bytes within b
	esc        bool
	count      int
	valueCents int64
}

// keep copies run into dst, or empties dst for a run too long to keep.
func keep(dst, run []byte) []byte {
	if len(run) > maxMemo {
		return dst[:0]
	}
	return append(dst[:0], run...)
}

// head reads the line's head into ev.
func (p *lineParser) head(s *scan, ev *danmu.Event) bool {
	m := &p.heads
	if len(m.b) > 0 && bytes.HasPrefix(s.b, m.b) {
		s.i = len(m.b)
		ev.Platform, ev.Room, ev.Kind = m.platform, m.room, m.kind
		return true
	}
	var (
		sp lineSpans
		ok bool
	)
	if !s.lit(tPlatform) {
		return false
	}
	if sp.platform, ok = s.plain(); !ok || !s.lit(tRoom) {
		return false
	}
	if sp.room, ok = s.plain(); !ok || !s.lit(tKind) {
		return false
	}
	if sp.kind, ok = s.plain(); !ok || !s.lit(tID) {
		return false
	}
	p.shared(ev, &sp)
	m.b = keep(m.b, s.b[:s.i])
	m.platform, m.room, m.kind = ev.Platform, ev.Room, ev.Kind
	return true
}

// user reads the user after the name, and the text's key, into u.
func (p *lineParser) user(s *scan, u *danmu.User) bool {
	m := &p.users
	if len(m.b) > 0 && bytes.HasPrefix(s.b[s.i:], m.b) {
		s.i += len(m.b)
		u.Role, u.Guard, u.Medal, u.Level, u.Masked = m.role, m.guard, m.medal, m.level, m.masked
		return true
	}
	start := s.i
	var (
		role []byte
		ok   bool
	)
	if !s.lit(tRole) {
		return false
	}
	if role, ok = s.plain(); !ok || !s.lit(tGuard) {
		return false
	}
	if u.Guard, ok = s.int(); !ok || !s.lit(tMedal) {
		return false
	}
	if u.Medal, ok = s.int(); !ok || !s.lit(tLevel) {
		return false
	}
	if u.Level, ok = s.int(); !ok || !s.lit(tMasked) {
		return false
	}
	if u.Masked, ok = s.bool(); !ok || !s.lit(tText) {
		return false
	}
	u.Role = danmu.Role(intern(role))
	m.b = keep(m.b, s.b[start:s.i])
	m.role, m.guard, m.medal, m.level, m.masked = u.Role, u.Guard, u.Medal, u.Level, u.Masked
	return true
}

// tail reads the gift, to its closing brace, into g and sp.gift.
func (p *lineParser) tail(s *scan, g *danmu.Gift, sp *lineSpans) bool {
	m := &p.tails
	if len(m.b) > 0 && bytes.HasPrefix(s.b[s.i:], m.b) {
		sp.gift = span{b: s.b[s.i+m.name : s.i+m.end], esc: m.esc}
		g.Count, g.ValueCents = m.count, m.valueCents
		s.i += len(m.b)
		return true
	}
	start := s.i
	var ok bool
	if !s.lit(tGiftName) {
		return false
	}
	if sp.gift, ok = s.str(); !ok || !s.lit(tCount) {
		return false
	}
	end := s.i - len(tCount) - 1 // the name's closing quote
	name := end - len(sp.gift.b)
	if g.Count, ok = s.int(); !ok || !s.lit(tValue) {
		return false
	}
	if g.ValueCents, ok = s.int64(); !ok || !s.lit(tGiftEnd) {
		return false
	}
	m.b = keep(m.b, s.b[start:s.i])
	m.name, m.end, m.esc = name-start, end-start, sp.gift.esc
	m.count, m.valueCents = g.Count, g.ValueCents
	return true
}
