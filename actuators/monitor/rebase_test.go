package monitor

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func readLines(t *testing.T, l Limits, lines ...string) *Monitor {
	t.Helper()
	m := New(l)
	if err := ReadTrace(strings.NewReader(strings.Join(lines, "\n")), m); err != nil {
		t.Fatal(err)
	}
	return m
}

// A process that ran on after NTP set the clock back wrote times ahead of
// the wall clock (with "wall"); the process after a restart writes the
// wall clock's times again, earlier. Quiet hours are read on those, not
// on the previous process's latest time: afternoon light passes, light at
// night does not.
func TestARestartOnAClockSetBackReadsItsOwnTime(t *testing.T) {
	l := baseLimits()
	l.Sessions.QuietFrom, l.Sessions.QuietTo = 23*time.Hour, 8*time.Hour
	afternoon := readLines(t, l,
		`{"kind":"restart","time":"2026-11-28T15:58:00Z","keep_state":true}`,
		`{"kind":"output","time":"2026-11-28T15:58:00Z","target":"pan","action":"move","value":0}`,
		`{"kind":"output","time":"2026-11-28T23:10:00Z","wall":"2026-11-28T15:10:00Z","target":"laser","action":"switch","value":1}`,
		`{"kind":"output","time":"2026-11-28T23:10:05Z","wall":"2026-11-28T15:10:05Z","target":"laser","action":"switch","value":0}`,
		`{"kind":"restart","time":"2026-11-28T15:30:00Z","keep_state":true}`,
		`{"kind":"output","time":"2026-11-28T15:30:00Z","target":"pan","action":"move","value":0}`,
		`{"kind":"output","time":"2026-11-28T15:31:00Z","target":"laser","action":"switch","value":1}`,
		`{"kind":"output","time":"2026-11-28T15:31:05Z","target":"laser","action":"switch","value":0}`)
	if v := afternoon.Violations(); len(v) > 0 {
		t.Errorf("light at 15:31 by the new process's clock flagged:\n%s", list(afternoon))
	}
	night := readLines(t, l,
		`{"kind":"restart","time":"2026-11-28T23:00:00Z","keep_state":true}`,
		`{"kind":"output","time":"2026-11-28T23:00:00Z","target":"pan","action":"move","value":0}`,
		`{"kind":"output","time":"2026-11-29T07:00:00Z","wall":"2026-11-28T23:00:00Z","target":"pan","action":"detach","value":0}`,
		`{"kind":"restart","time":"2026-11-28T23:30:00Z","keep_state":true}`,
		`{"kind":"output","time":"2026-11-28T23:30:00Z","target":"pan","action":"move","value":0}`,
		`{"kind":"output","time":"2026-11-29T00:31:00Z","target":"laser","action":"switch","value":1}`,
		`{"kind":"output","time":"2026-11-29T00:31:05Z","target":"laser","action":"switch","value":0}`)
	want := time.Date(2026, 11, 29, 0, 31, 0, 0, time.UTC)
	if v := night.Violations(); len(v) != 1 || v[0].Rule != "quiet_hours" || !v[0].Time.Equal(want) {
		t.Errorf("light at 00:31 by the new process's clock: want one quiet_hours at %v, got\n%s", want, list(night))
	}
}

// Across such a restart every rule measures the new process on its own
// clock: its session grows, and the light the last process left in the
// budget's window counts as ending at the restart, as the envelope seeds
// it.
func TestARestartOnAClockSetBackKeepsMeasuring(t *testing.T) {
	l := baseLimits()
	l.Switches[0].MaxOn, l.Switches[0].Cooldown = 20*time.Second, 20*time.Second
	sessions(&l)
	a := time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC)
	ahead := 8 * time.Hour // the last process's times, after NTP set the clock back
	s := time.Second
	m := New(l)
	out := func(at time.Duration, wall bool, target, action string, v float64) {
		e := Event{Time: a.Add(at), Target: target, Action: action, Value: v}
		if wall {
			e.Wall, e.Time = e.Time, e.Time.Add(ahead)
		}
		m.Output(e)
	}
	out(0, false, "pan", "move", 0)
	out(10*s, true, "laser", "switch", 1)
	out(25*s, true, "laser", "switch", 0) // lit 15 s
	m.Restart(a.Add(30*s), true)
	out(30*s, false, "pan", "move", 0)
	out(35*s, false, "laser", "switch", 1)
	out(45*s, false, "laser", "switch", 0) // 10 s more: 25 s in 40 s
	for x := time.Duration(0); x <= 11*time.Minute; x += time.Minute {
		out(time.Minute+x, false, "pan", "move", 0)
	}
	m.End(a.Add(13 * time.Minute))
	if got := rules(m); !slices.Equal(got, []string{"light_budget", "session"}) {
		t.Errorf("rules %v, want light_budget and session\n%s", got, list(m))
	}
	for _, v := range m.Violations() {
		if v.Time.After(a.Add(time.Hour)) {
			t.Errorf("%v: reported on the last process's clock", v)
		}
	}
}

// The daily account a process kept on its clock ahead of the wall clock is
// a later day's: a restart before that day starts its own from zero, and
// that day, when it comes, carries the account on, as the envelope's
// ledger keeps it.
func TestARestartOnAClockSetBackKeepsTheLaterDaysAccount(t *testing.T) {
	l := baseLimits()
	l.DailyLaser = time.Hour
	evening := time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC)
	ahead := 8 * time.Hour
	m := New(l)
	m.Output(Event{Time: evening, Target: "pan", Action: "move"})
	for _, o := range []struct {
		at time.Duration
		v  float64
	}{{0, 1}, {40 * time.Minute, 0}} { // lit 40 min on the 29th by the process's clock
		w := evening.Add(time.Minute + o.at)
		m.Output(Event{Time: w.Add(ahead), Wall: w, Target: "laser", Action: "switch", Value: o.v})
	}
	restart := evening.Add(45 * time.Minute)
	m.Restart(restart, true)
	m.Output(Event{Time: restart, Target: "pan", Action: "move"})
	m.Output(Event{Time: evening.Add(time.Hour), Target: "laser", Action: "switch", Value: 1})
	m.Output(Event{Time: evening.Add(time.Hour + 40*time.Minute), Target: "laser", Action: "switch", Value: 0}) // 40 min on the 28th
	if got := rules(m); len(got) > 0 {
		t.Fatalf("on the 28th: %v\n%s", got, list(m))
	}
	midnight := time.Date(2026, 11, 29, 0, 10, 0, 0, time.UTC)
	m.Output(Event{Time: midnight, Target: "laser", Action: "switch", Value: 1})
	m.Output(Event{Time: midnight.Add(25 * time.Minute), Target: "laser", Action: "switch", Value: 0}) // 65 min on the 29th
	m.End(midnight.Add(time.Hour))
	if got := rules(m); !slices.Equal(got, []string{"daily"}) {
		t.Errorf("rules %v, want daily on the 29th\n%s", got, list(m))
	}
}
