package replay

import (
	"bytes"

	"github.com/cattease/cattease/danmu"
)

// The template reader: lines exactly as AppendEvent writes them.
//
// Nearly every line replay reads was written by AppendEvent (--record, the
// audit log): compact, the keys in one order. Such a line is read by
// checking each key with its punctuation as one literal and reading only
// the values, with the value readers of the general fast path. A line that
// differs anywhere (order, spacing, a missing or extra key) falls back to
// lineParser.parse, so what a line means cannot change.

// Literals between the values, in AppendEvent's order.
var (
	tPlatform = []byte(`{"platform":`)
	tRoom     = []byte(`,"room":`)
	tKind     = []byte(`,"kind":`)
	tID       = []byte(`,"id":`)
	tTime     = []byte(`,"time":`)
	tUserID   = []byte(`,"user":{"id":`)
	tName     = []byte(`,"name":`)
	tRole     = []byte(`,"role":`)
	tGuard    = []byte(`,"guard":`)
	tMedal    = []byte(`,"medal":`)
	tLevel    = []byte(`,"level":`)
	tMasked   = []byte(`,"masked":`)
	tText     = []byte(`},"text":`)
	tGiftName = []byte(`,"gift":{"name":`)
	tCount    = []byte(`,"count":`)
	tValue    = []byte(`,"value_cents":`)
	tEnd      = []byte(`}}`)
)

// lit consumes the literal l at the current position, with no spacing.
func (s *scan) lit(l []byte) bool {
	if !bytes.HasPrefix(s.b[s.i:], l) {
		return false
	}
	s.i += len(l)
	return true
}

// template reads a line in AppendEvent's exact layout; false means "not
// that layout or not sure", never a different reading.
func (p *lineParser) template(b []byte) (danmu.Event, bool) {
	s := scan{b: b}
	var (
		ev danmu.Event
		sp lineSpans
		ok bool
	)
	if !s.lit(tPlatform) {
		return ev, false
	}
	if sp.platform, ok = s.plain(); !ok || !s.lit(tRoom) {
		return ev, false
	}
	if sp.room, ok = s.plain(); !ok || !s.lit(tKind) {
		return ev, false
	}
	if sp.kind, ok = s.plain(); !ok || !s.lit(tID) {
		return ev, false
	}
	if sp.id, ok = s.str(); !ok || !s.lit(tTime) || !p.times.read(&s, &ev.Time) {
		return ev, false
	}
	if !s.lit(tUserID) || !s.templateUser(&ev.User, &sp) || !s.lit(tText) {
		return ev, false
	}
	if sp.text, ok = s.str(); !ok || !s.lit(tGiftName) {
		return ev, false
	}
	if !s.templateGift(&ev.Gift, &sp) || !s.lit(tEnd) || s.i != len(b) {
		return ev, false
	}
	p.strings(&ev, &sp)
	return ev, true
}

func (s *scan) templateUser(u *danmu.User, sp *lineSpans) bool {
	var ok bool
	if sp.uid, ok = s.str(); !ok || !s.lit(tName) {
		return false
	}
	if sp.name, ok = s.str(); !ok || !s.lit(tRole) {
		return false
	}
	if sp.role, ok = s.plain(); !ok || !s.lit(tGuard) {
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
	u.Masked, ok = s.bool()
	return ok
}

func (s *scan) templateGift(g *danmu.Gift, sp *lineSpans) bool {
	var ok bool
	if sp.gift, ok = s.str(); !ok || !s.lit(tCount) {
		return false
	}
	if g.Count, ok = s.int(); !ok || !s.lit(tValue) {
		return false
	}
	g.ValueCents, ok = s.int64()
	return ok
}
