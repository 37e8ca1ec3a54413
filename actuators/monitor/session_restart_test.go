package monitor

import (
	"testing"
	"time"
)

// Invariant 7 says nothing of processes: a restart is no rest. The
// session (its start, its last activity) goes on across a restart that
// keeps the state, and the time the rig was down counts as rest only by
// the wall clock, from the last activity to the next. The monitor once
// started every process's session afresh: 8 minutes of play, a crash and
// 8 more, 2 s later, passed.
func TestSessionGoesOnAcrossARestart(t *testing.T) {
	m, lim := time.Minute, 10*time.Minute+1380*time.Millisecond
	home := mv(0, "pan", 0)
	h := time.Second
	runCases(t, []ruleCase{
		{name: "8 min, a restart 2 s later, 8 min more", lim: sessions, keepHomes: true,
			ops: ops([]op{home, mv(h, "pan", 0), mv(8*m, "pan", 0), restart(8*m+2*s, true), mv(8*m+2*s, "pan", 0)},
				[]op{mv(8*m+3*s, "pan", 0), mv(16*m, "pan", 0)}),
			want: []string{"session"}},
		{name: "the same, one process", lim: sessions, keepHomes: true,
			ops: []op{home, mv(h, "pan", 0), mv(8*m, "pan", 0), mv(8*m+3*s, "pan", 0), mv(16*m, "pan", 0)}, want: []string{"session"}},
		{name: "at the limit across it", lim: sessions, keepHomes: true,
			ops: []op{home, mv(h, "pan", 0), mv(8*m, "pan", 0), restart(8*m+2*s, true), mv(8*m+2*s, "pan", 0), mv(h+lim, "pan", 0)}},
		{name: "1ns over across it", lim: sessions, keepHomes: true,
			ops:  []op{home, mv(h, "pan", 0), mv(8*m, "pan", 0), restart(8*m+2*s, true), mv(8*m+2*s, "pan", 0), mv(h+lim+1, "pan", 0)},
			want: []string{"session"}},
		{name: "down for a rest", lim: sessions, keepHomes: true,
			ops: []op{home, mv(h, "pan", 0), mv(8*m, "pan", 0), restart(20*m, true), mv(28*m, "pan", 0), mv(28*m+lim, "pan", 0)}},
		{name: "a lit laser's session goes on too", lim: sessions, keepHomes: true,
			ops: []op{home, on(h), off(8 * m), restart(8*m+2*s, true), mv(8*m+2*s, "pan", 0), on(9 * m), off(12 * m)}, want: []string{"session"}},
		{name: "a dry run's restart keeps no state: a new session", lim: sessions, keepHomes: true,
			ops: ops([]op{home, mv(h, "pan", 0), mv(8*m, "pan", 0), restart(8*m+2*s, false), mv(8*m+2*s, "pan", 0)},
				[]op{mv(8*m+3*s, "pan", 0), mv(16*m, "pan", 0)})},
	})
}

// The rest across a restart is read on the wall clock: a process that ran
// on after the clock was set back an hour wrote times an hour ahead of
// it; the next one writes the wall clock's.
func TestSessionRestAcrossARestartOnTheWallClock(t *testing.T) {
	for _, c := range []struct {
		name string
		down time.Duration // by the wall clock, from the last play to the restart
		want int
	}{{"down 25 min: a rest", 25 * time.Minute, 0}, {"down 10 min: no rest", 10 * time.Minute, 1}} {
		t.Run(c.name, func(t *testing.T) {
			l := baseLimits()
			sessions(&l)
			m := New(l)
			ahead := time.Hour // the stream's time less the wall clock's
			out := func(at time.Time, v float64) {
				m.Output(Event{Time: at, Wall: at.Add(-ahead), Target: "pan", Action: "move", Value: v})
			}
			out(t0, 0) // homing
			for at := t0.Add(s); !at.After(t0.Add(8 * time.Minute)); at = at.Add(time.Minute) {
				out(at, 0)
			}
			wall := t0.Add(8*time.Minute - ahead + c.down) // earlier than the stream: a rebase
			m.Restart(wall, true)
			for at := wall; !at.After(wall.Add(8 * time.Minute)); at = at.Add(time.Minute) {
				m.Output(Event{Time: at, Target: "pan", Action: "move", Value: 0})
			}
			m.End(wall.Add(8 * time.Minute))
			if got := m.Count(); got != c.want {
				t.Errorf("%d violations, want %d:\n%s", got, c.want, list(m))
			}
		})
	}
}
