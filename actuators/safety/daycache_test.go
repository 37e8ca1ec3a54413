package safety

import (
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, whatever the machine has
)

// TestDayCacheAgrees walks clocks through zones whose offsets change, some
// at midnight (a date that starts at 01:00, or a midnight that comes
// twice), in 50 Hz ticks near the changes and random jumps, backwards
// too, and compares the cache with dayOf at every step.
func TestDayCacheAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, name := range []string{"UTC", "Europe/Berlin", "America/Santiago", "America/Havana", "Asia/Shanghai",
		"Australia/Lord_Howe", "Pacific/Apia", "America/Sao_Paulo"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		var c dayCache
		changes := 0
		now := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range 200_000 {
			switch {
			case i%1000 == 0: // somewhere else, maybe next to an offset change
				now = time.Date(2005+r.IntN(25), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC).
					Add(time.Duration(r.Int64N(int64(31 * 24 * time.Hour))))
				switch _, end := now.In(loc).ZoneBounds(); {
				case !end.IsZero() && r.IntN(2) == 0: // just before an offset change
					now = end.Add(-time.Duration(r.Int64N(int64(2 * time.Second))))
				case r.IntN(2) == 0: // just before local midnight
					l := now.In(loc)
					now = time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc).Add(-time.Duration(r.Int64N(int64(2 * time.Second))))
				}
			case r.IntN(5000) == 0:
				now = now.Add(-time.Duration(r.Int64N(int64(48 * time.Hour)))) // the clock goes back
			default:
				now = now.Add(20 * time.Millisecond)
			}
			before := c.day
			if got, want := c.of(now, loc), dayOf(now, loc); got != want {
				t.Fatalf("%s at %v: cache %s, dayOf %s", name, now, got, want)
			}
			if before != "" && c.day != before {
				changes++
			}
		}
		if changes < 100 {
			t.Fatalf("%s: the date changed only %d times: the walk misses midnight", name, changes)
		}
	}
}
