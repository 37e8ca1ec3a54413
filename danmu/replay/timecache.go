package replay

import (
	"bytes"
	"time"
)

// timeCache reads the RFC 3339 times of a recording, whose consecutive
// lines nearly always share the second and the zone: when the text up to
// the fraction and the zone after it are those of the last full parse, the
// time is that parse's whole second plus the new fraction. Anything else
// is parsed by time.Time's UnmarshalJSON, as encoding/json does, and
// becomes the new reference.
type timeCache struct {
	head [19]byte // "2006-01-02T15:04:05" of the reference
	zone [8]byte  // "Z" or "±hh:mm" of the reference
	nz   int      // length of zone, 0 when there is no reference
	base time.Time
}

// read reads the JSON string at s into t.
func (c *timeCache) read(s *scan, t *time.Time) bool {
	s.ws()
	start := s.i
	sp, ok := s.str()
	if !ok || sp.esc {
		return false
	}
	if c.hit(sp.b, t) {
		return true
	}
	if t.UnmarshalJSON(s.b[start:s.i]) != nil {
		return false
	}
	c.remember(sp.b, *t)
	return true
}

// split cuts a time's text into its first 19 bytes, the fraction's digits
// and the zone; ok is false for any other shape.
func split(b []byte) (head, frac, zone []byte, ok bool) {
	if len(b) < 20 {
		return nil, nil, nil, false
	}
	head, rest := b[:19], b[19:]
	if rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		frac, rest = rest[1:i], rest[i:]
		if len(frac) == 0 || len(frac) > 9 {
			return nil, nil, nil, false
		}
	}
	// Only the zones the writers use: "Z" or an offset. time.Parse takes
	// more (a comma before the fraction, say), which is left to it.
	if len(rest) == 0 || len(rest) > 8 || rest[0] != 'Z' && rest[0] != '+' && rest[0] != '-' {
		return nil, nil, nil, false
	}
	return head, frac, rest, true
}

func (c *timeCache) hit(b []byte, t *time.Time) bool {
	head, frac, zone, ok := split(b)
	if !ok || c.nz == 0 || !bytes.Equal(head, c.head[:]) || !bytes.Equal(zone, c.zone[:c.nz]) {
		return false
	}
	ns := 0
	for i := range 9 {
		ns *= 10
		if i < len(frac) {
			ns += int(frac[i] - '0')
		}
	}
	*t = c.base.Add(time.Duration(ns))
	return true
}

// remember makes t, just parsed from b, the reference.
func (c *timeCache) remember(b []byte, t time.Time) {
	head, _, zone, ok := split(b)
	if !ok {
		c.nz = 0
		return
	}
	copy(c.head[:], head)
	c.nz = copy(c.zone[:], zone)
	c.base = t.Add(-time.Duration(t.Nanosecond()))
}
