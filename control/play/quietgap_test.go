package play

import (
	"testing"
	"time"
)

// TestQuietHoursInASkippedHour: an end or a start of quiet hours that the
// clocks skip on the spring-forward day (02:30 in New York and Berlin)
// is the first instant after the gap, 03:00 summer time: quiet hours end
// neither early nor start early.
func TestQuietHoursInASkippedHour(t *testing.T) {
	for _, c := range []struct {
		zone string
		day  time.Time // the spring-forward day, 00:00 UTC
	}{
		{"America/New_York", time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)},
		{"Europe/Berlin", time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)},
	} {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			t.Skip("no tz database:", err)
		}
		y, m, d := c.day.Date()
		at := func(h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
		gapEnd := at(3, 0) // 03:00 exists: summer time
		if gapEnd.Add(-time.Nanosecond).Hour() != 1 {
			t.Fatalf("%s: no gap before %v", c.zone, gapEnd)
		}
		// Quiet from 22:00 to 02:30, which does not exist that night.
		cfg := Config{QuietFrom: 22 * time.Hour, QuietTo: 2*time.Hour + 30*time.Minute, Location: loc}.withDefaults()
		for _, k := range []struct {
			at    time.Time
			quiet bool
		}{
			{at(1, 0), true},
			{at(1, 45), true},
			{gapEnd.Add(-time.Second), true},
			{gapEnd, false},
		} {
			q, end := cfg.quiet(k.at)
			if q != k.quiet || (q && !end.Equal(gapEnd)) {
				t.Errorf("%s 22:00–02:30 at %v: quiet %v until %v, want %v until %v",
					c.zone, k.at.In(loc), q, end.In(loc), k.quiet, gapEnd)
			}
		}
		// Quiet from 02:30, which does not exist, to 06:00.
		cfg = Config{QuietFrom: 2*time.Hour + 30*time.Minute, QuietTo: 6 * time.Hour, Location: loc}.withDefaults()
		for _, k := range []struct {
			at    time.Time
			quiet bool
		}{
			{at(1, 30), false},
			{at(1, 59), false},
			{gapEnd, true},
			{at(5, 59), true},
			{at(6, 0), false},
		} {
			if q, _ := cfg.quiet(k.at); q != k.quiet {
				t.Errorf("%s 02:30–06:00 at %v: quiet %v, want %v", c.zone, k.at.In(loc), q, k.quiet)
			}
		}
	}
}
