package monitor

import (
	"testing"
	"time"
)

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	return loc
}

func TestDaily(t *testing.T) {
	loc := berlin(t)
	daily := func(l *Limits) { l.DailyLaser, l.Location = time.Hour, loc }
	evening := time.Date(2026, 11, 28, 23, 0, 0, 0, loc)
	morning := time.Date(2026, 11, 29, 10, 0, 0, 0, loc)
	m := time.Minute
	runCases(t, []ruleCase{
		{name: "split at midnight", lim: daily, start: evening, ops: []op{on(0), off(2 * time.Hour)}},
		{name: "one second over before midnight", lim: daily, start: evening.Add(-s),
			ops: []op{on(0), off(2 * time.Hour)}, want: []string{"daily"}},
		{name: "two processes, one day", lim: daily, start: morning,
			ops: []op{on(0), restart(40*m, true), on(60 * m), off(81 * m)}, want: []string{"daily"}},
		{name: "two processes, one day, at the cap", lim: daily, start: morning,
			ops: []op{on(0), restart(40*m, true), on(60 * m), off(80 * m)}},
		{name: "a new ledger", lim: daily, start: morning,
			ops: []op{on(0), restart(40*m, false), on(60 * m), off(81 * m)}},
		{name: "a crash loop", lim: daily, start: morning, ops: crashLoop(), want: []string{"daily"}},
		{name: "25-hour day", lim: func(l *Limits) { l.DailyLaser, l.Location = 24*time.Hour+30*m, loc },
			start: time.Date(2026, 10, 25, 0, 0, 0, 0, loc), ops: []op{on(0), off(25 * time.Hour)}, want: []string{"daily"}},
		{name: "23-hour day", lim: func(l *Limits) { l.DailyLaser, l.Location = 23*time.Hour, loc },
			start: time.Date(2026, 3, 29, 0, 0, 0, 0, loc), ops: []op{on(0), off(23 * time.Hour)}},
	})
}

// crashLoop restarts every 5 minutes with 4 minutes lit each: 64 min.
func crashLoop() []op {
	var ops []op
	for i := range 16 {
		at := time.Duration(i) * 5 * time.Minute
		ops = append(ops, on(at), restart(at+4*time.Minute, true))
	}
	return ops
}

func sessions(l *Limits) {
	l.Sessions.MaxPlay, l.Sessions.Rest = 10*time.Minute, 20*time.Minute
}

func TestSessions(t *testing.T) {
	// park = (90°/90°/s + 2·90/600 s) + 4τ = 1.38 s.
	lim := 10*time.Minute + 1380*time.Millisecond
	m := time.Minute
	home := mv(0, "pan", 0) // the process's first angle: its homing, no activity
	h := time.Second        // the first activity
	runCases(t, []ruleCase{
		{name: "span at the limit", lim: sessions, ops: []op{home, mv(h, "pan", 0), mv(h+lim, "pan", 0)}},
		{name: "span 1ns over", lim: sessions, ops: []op{home, mv(h, "pan", 0), mv(h+lim+1, "pan", 0)}, want: []string{"session"}},
		{name: "short pauses do not reset", lim: sessions,
			ops: []op{home, mv(h, "pan", 0), mv(h+5*m, "pan", 0), mv(h+10*m+5*s, "pan", 0)}, want: []string{"session"}},
		{name: "a rest resets", lim: sessions,
			ops: []op{home, mv(h, "pan", 0), mv(h+5*m, "pan", 0), mv(h+25*m, "pan", 0), mv(h+32*m, "pan", 0)}},
		{name: "a rest 1ns short", lim: sessions,
			ops: []op{home, mv(h, "pan", 0), mv(h+5*m, "pan", 0), mv(h+25*m-1, "pan", 0), mv(h+32*m, "pan", 0)}, want: []string{"session"}},
		{name: "a lit laser is activity", lim: sessions, ops: []op{on(0), off(lim + 1)}, want: []string{"session"}},
		{name: "lit then moves", lim: sessions, ops: []op{home, on(0), off(5 * m), mv(lim, "pan", 0), mv(lim+1, "pan", 0)},
			want: []string{"session"}},
		{name: "a new process", lim: sessions, ops: []op{home, mv(h, "pan", 0), restart(5*m, true), mv(lim+1, "pan", 0)}},
		// A process starts by sending every axis home: that is not play,
		// and play that begins within a rest of it is measured from its
		// own start (the play layer starts no session at a restart).
		{name: "the homing is no activity", lim: sessions, ops: []op{home, mv(0, "tilt", 20), mv(5*m, "pan", 0), mv(5*m+lim, "pan", 0)}},
		{name: "nor a restart's: a rest from the last play before it", lim: sessions,
			ops: []op{home, mv(h, "pan", 0), mv(h+5*m, "pan", 0), restart(6*m, true), mv(6*m, "pan", 0), mv(h+25*m, "pan", 0), mv(h+25*m+lim, "pan", 0)}},
		{name: "the second angle is", lim: sessions, ops: []op{home, mv(h, "pan", 0), mv(5*m, "pan", 0), mv(h+lim+1, "pan", 0)},
			want: []string{"session"}},
	})
}

func TestQuietHours(t *testing.T) {
	loc := berlin(t)
	quiet := func(l *Limits) {
		l.Location = loc
		l.Sessions.QuietFrom, l.Sessions.QuietTo = 23*time.Hour, 8*time.Hour
	}
	at := func(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, loc) }
	lit := []op{on(0), off(time.Minute)}
	// park 1.38 s, as in TestSessions.
	park := 1380 * time.Millisecond
	runCases(t, []ruleCase{
		{name: "23:30 on the 25-hour day", lim: quiet, start: at(2026, 10, 25, 23, 30), ops: lit, want: []string{"quiet_hours"}},
		{name: "23:30 on the 23-hour day", lim: quiet, start: at(2026, 3, 29, 23, 30), ops: lit, want: []string{"quiet_hours"}},
		{name: "22:30 on the 25-hour day", lim: quiet, start: at(2026, 10, 25, 22, 30), ops: lit},
		{name: "08:30 on the 25-hour day", lim: quiet, start: at(2026, 10, 25, 8, 30), ops: lit},
		{name: "08:30 on the 23-hour day", lim: quiet, start: at(2026, 3, 29, 8, 30), ops: lit},
		{name: "07:30 after the 23-hour day", lim: quiet, start: at(2026, 3, 30, 7, 30), ops: lit, want: []string{"quiet_hours"}},
		{name: "lit into quiet hours", lim: quiet, start: at(2026, 11, 28, 22, 59), ops: []op{on(0), off(2 * time.Minute)},
			want: []string{"quiet_hours"}},
		{name: "lit until quiet hours", lim: quiet, start: at(2026, 11, 28, 22, 59), ops: []op{on(0), off(time.Minute)}},
		{name: "lit from the end", lim: quiet, start: at(2026, 11, 29, 8, 0), ops: lit},
		{name: "lit for an instant", lim: quiet, start: at(2026, 11, 28, 23, 30), ops: []op{on(0), off(0)},
			want: []string{"quiet_hours"}},
		{name: "lit all night, one report", lim: quiet, start: at(2026, 11, 28, 22, 0), ops: []op{on(0), off(11 * time.Hour)},
			want: []string{"quiet_hours"}},
		{name: "parking", lim: quiet, start: at(2026, 11, 28, 23, 0), ops: []op{mv(0, "pan", 0), mv(park-1, "pan", 0)}},
		{name: "moving after the park", lim: quiet, start: at(2026, 11, 28, 22, 59), ops: []op{mv(0, "pan", 0), mv(time.Minute+park, "pan", 0)},
			want: []string{"quiet_hours"}},
		{name: "a process born in quiet hours parks", lim: quiet, start: at(2026, 11, 28, 23, 30), ops: []op{mv(0, "pan", 0), mv(park-time.Nanosecond, "pan", 0.1)}},
		{name: "and then holds still", lim: quiet, start: at(2026, 11, 28, 23, 30), ops: []op{mv(0, "pan", 0), mv(park, "pan", 0.1)},
			want: []string{"quiet_hours"}},
		{name: "moving at the end", lim: quiet, start: at(2026, 11, 29, 8, 0), ops: []op{mv(0, "pan", 0)}},
		{name: "same-day window", lim: func(l *Limits) {
			quiet(l)
			l.Sessions.QuietFrom, l.Sessions.QuietTo = 13*time.Hour, 14*time.Hour
		}, start: at(2026, 11, 28, 12, 0), ops: []op{on(0), off(time.Hour), on(2 * time.Hour), off(3 * time.Hour)}},
	})
}

// TestQuietHoursInASkippedHour: quiet hours from 02:30 begin, on the night
// the clocks spring from 02:00 to 03:00, at 03:00 summer time, the first
// instant after the gap (not an hour early, 01:30 winter time, nor an hour
// late); ending at 02:30, they end there too.
func TestQuietHoursInASkippedHour(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	window := func(from, to time.Duration) func(*Limits) {
		return func(l *Limits) { l.Location, l.Sessions.QuietFrom, l.Sessions.QuietTo = ny, from, to }
	}
	at := func(h, mi int) time.Time { return time.Date(2026, 3, 8, h, mi, 0, 0, ny) }
	lit := []op{on(0), off(10 * time.Minute)}
	runCases(t, []ruleCase{
		{name: "from 02:30: 01:40 is before", lim: window(2*time.Hour+30*time.Minute, 6*time.Hour), start: at(1, 40), ops: lit},
		{name: "from 02:30: lit into 03:00", lim: window(2*time.Hour+30*time.Minute, 6*time.Hour), start: at(1, 55), ops: lit,
			want: []string{"quiet_hours"}},
		{name: "from 02:30: 03:10 is in", lim: window(2*time.Hour+30*time.Minute, 6*time.Hour), start: at(3, 10), ops: lit,
			want: []string{"quiet_hours"}},
		{name: "until 02:30: 01:40 is in", lim: window(22*time.Hour, 2*time.Hour+30*time.Minute), start: at(1, 40), ops: lit,
			want: []string{"quiet_hours"}},
		{name: "until 02:30: 03:00 is after", lim: window(22*time.Hour, 2*time.Hour+30*time.Minute), start: at(3, 0), ops: lit},
	})
}
