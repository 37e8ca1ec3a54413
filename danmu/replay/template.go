package replay

import (
	"bytes"
	"time"

	"github.com/cattease/cattease/danmu"
)

// The template reader: lines exactly as AppendRecord writes them.
//
// Nearly every line replay reads was written by AppendRecord (--record, the
// audit log): compact, the keys in one order. Such a line is read by
// checking each key with its punctuation as one literal and reading only
// the values, with the value readers of the general fast path. A line that
// differs anywhere (order, spacing, a missing or extra key) falls back to
// lineParser.parse, so what a line means cannot change.

// Literals between the values, in AppendRecord's order.
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
	tGiftEnd  = []byte(`}`)
	tReceived = []byte(`,"received":`)
	tEnd      = []byte(`}`)
)

// lit consumes the literal l at the current position, with no spacing.
func (s *scan) lit(l []byte) bool {
	if !bytes.HasPrefix(s.b[s.i:], l) {
		return false
	}
	s.i += len(l)
	return true
}

// template reads a line in AppendRecord's exact layout into ev and
// p.received; false means "not that layout or not sure", never a different
// reading. On false, ev and p.received hold whatever was read so far.
func (p *lineParser) template(b []byte, ev *danmu.Event) bool {
	p.received = time.Time{}
	s := scan{b: b}
	var (
		sp lineSpans
		ok bool
	)
	if !p.head(&s, ev) {
		return false
	}
	if sp.id, ok = s.str(); !ok || !s.lit(tTime) || !p.times.read(&s, &ev.Time) || !s.lit(tUserID) {
		return false
	}
	if sp.uid, ok = s.str(); !ok || !s.lit(tName) {
		return false
	}
	if sp.name, ok = s.str(); !ok || !p.user(&s, &ev.User) {
		return false
	}
	if sp.text, ok = s.str(); !ok || !p.tail(&s, &ev.Gift, &sp) {
		return false
	}
	if s.lit(tReceived) && !p.recvs.read(&s, &p.received) {
		return false
	}
	if !s.lit(tEnd) || s.i != len(s.b) {
		return false
	}
	p.arena(ev, &sp)
	return true
}
