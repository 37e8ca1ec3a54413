package jsonw

import "time"

// TimeCache appends times as Time does, remembering the text of the last
// whole second it formatted: a trace's consecutive lines nearly always
// fall in the same second and zone, and then only the fraction is new.
// The zero value is ready; not safe for concurrent use.
type TimeCache struct {
	sec  int64          // Unix second of the remembered text
	loc  *time.Location // its location
	off  int            // and its offset, which decides the zone's text
	head []byte         // `"2006-01-02T15:04:05`
	zone []byte         // `Z"` or `+08:00"`
	ok   bool
}

// Append appends t as Time does.
func (c *TimeCache) Append(dst []byte, t time.Time) ([]byte, error) {
	_, off := t.Zone()
	if c.ok && t.Unix() == c.sec && t.Location() == c.loc && off == c.off {
		dst = append(dst, c.head...)
		dst = appendFraction(dst, t.Nanosecond())
		return append(dst, c.zone...), nil
	}
	start := len(dst)
	dst, err := Time(dst, t)
	if err != nil {
		return dst, err
	}
	c.remember(dst[start:], t, off)
	return dst, nil
}

// remember keeps the text of t, just formatted as b, without its fraction.
func (c *TimeCache) remember(b []byte, t time.Time, off int) {
	c.ok = false
	const headLen = len(`"2006-01-02T15:04:05`)
	if len(b) < headLen+2 || b[headLen-3] != ':' { // a year beyond 9999 or other odd text: no caching
		return
	}
	rest := b[headLen:]
	if rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		rest = rest[i:]
	}
	c.head = append(c.head[:0], b[:headLen]...)
	c.zone = append(c.zone[:0], rest...)
	c.sec, c.loc, c.off, c.ok = t.Unix(), t.Location(), off, true
}

// appendFraction appends ".123" for 123 ms as RFC 3339 with nanoseconds
// does: nine digits with the trailing zeros cut, nothing for zero.
func appendFraction(dst []byte, ns int) []byte {
	if ns == 0 {
		return dst
	}
	var d [10]byte
	d[0] = '.'
	for i := 9; i >= 1; i-- {
		d[i] = byte('0' + ns%10)
		ns /= 10
	}
	n := 10
	for d[n-1] == '0' {
		n--
	}
	return append(dst, d[:n]...)
}
