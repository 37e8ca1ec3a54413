package safety

import "time"

// dayCache is dayOf for a clock that ticks 50 times a second: the date is
// formatted only when it changes. Within one period of a zone's offset
// (between two transitions) the local date is the whole days since the
// epoch of the local wall clock, so the cache compares that number and
// formats only when it moves or the period ends. The answer is always
// exactly dayOf's (TestDayCacheAgrees, across DST changes at midnight).
type dayCache struct {
	loc         *time.Location
	off         int64     // the offset of the period below, in seconds
	from, until time.Time // the period; zero for "since ever", "for ever"
	num         int64     // local days since the epoch of day
	day         string
}

func (c *dayCache) of(now time.Time, loc *time.Location) string {
	if loc != c.loc || now.Before(c.from) || !c.until.IsZero() && !now.Before(c.until) {
		t := now.In(loc)
		_, off := t.Zone()
		c.loc, c.off = loc, int64(off)
		c.from, c.until = t.ZoneBounds()
		c.day = ""
	}
	num := floorDiv(now.Unix()+c.off, 24*60*60)
	if c.day == "" || num != c.num {
		c.num, c.day = num, dayOf(now, loc)
	}
	return c.day
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
