package monitor

import (
	"testing"
	"time"
)

// Invariant 6: a day's laser time is at most daily_laser across restarts
// that keep the state. A restart on a clock set back re-enters a day
// already lit: its light counts still. The monitor once kept only the
// current day and the one after it, so a day left for the next was
// forgotten, and a restart set back into it started it from 0.
func TestDailyKeptAcrossAClockSetBack(t *testing.T) {
	h, mi := time.Hour, time.Minute
	day := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	daily := func(l *Limits) { l.DailyLaser = 20 * mi }
	lit := func(from, to time.Duration) []op {
		return []op{mv(from, "pan", 0), mv(from, "tilt", 20), on(from + s), off(to)}
	}
	runCases(t, []ruleCase{
		{name: "on to the next day and back: 40 min on D", lim: daily, start: day, keepHomes: true,
			ops:  ops(lit(21*h, 21*h+20*mi), lit(24*h+30*mi, 24*h+32*mi), []op{restart(22*h+35*mi, true)}, lit(22*h+40*mi, 23*h)),
			want: []string{"daily"}},
		{name: "back three days later into D", lim: daily, start: day, keepHomes: true,
			ops: ops(lit(21*h, 21*h+15*mi), lit(24*h+30*mi, 24*h+32*mi), lit(48*h+30*mi, 48*h+32*mi), lit(72*h+30*mi, 72*h+32*mi),
				[]op{restart(22*h, true)}, lit(22*h, 22*h+6*mi)),
			want: []string{"daily"}},
		{name: "back into D within its budget", lim: daily, start: day, keepHomes: true,
			ops: ops(lit(21*h, 21*h+10*mi), lit(24*h+30*mi, 24*h+32*mi), []op{restart(22*h+35*mi, true)}, lit(22*h+40*mi, 22*h+49*mi))},
		{name: "a restart without the state starts afresh", lim: daily, start: day, keepHomes: true,
			ops: ops(lit(21*h, 21*h+20*mi), lit(24*h+30*mi, 24*h+32*mi), []op{restart(22*h+35*mi, false)}, lit(22*h+40*mi, 23*h))},
		{name: "a later day's account waits for it", lim: daily, start: day, keepHomes: true,
			ops:  ops(lit(24*h+30*mi, 24*h+45*mi), []op{restart(23*h, true)}, lit(23*h, 23*h+10*mi), lit(24*h+50*mi, 24*h+56*mi)),
			want: []string{"daily"}},
	})
}

// Days kept are bounded: the earliest goes first.
func TestDailyDaysBounded(t *testing.T) {
	l := baseLimits()
	l.DailyLaser = time.Hour
	m := New(l)
	at := t0
	for range 3 * keptDays {
		m.Output(Event{Time: at, Target: "laser", Action: "switch", Value: 1})
		m.Output(Event{Time: at.Add(time.Minute), Target: "laser", Action: "switch", Value: 0})
		at = at.Add(24 * time.Hour)
	}
	m.End(at)
	first := at.Add(-time.Duration(keptDays+1) * 24 * time.Hour).Truncate(24 * time.Hour)
	for _, k := range m.days {
		if !k.valid || k.start < first.UnixNano() || k.total != int64(time.Minute) {
			t.Errorf("day kept: %+v, want the last %d days' (from %v), a minute each", k, keptDays, first)
		}
	}
}
