package monitor

import (
	"testing"
	"time"
)

// The park on the way out (Event.Exit, homeward) is no session activity
// only as a park: within a park's time of the process's first marked
// output, the bound quiet hours put on it, and only if the process does
// not go on after it; if it does, those moves were play and count as
// such. Marked homeward moves were once no play however long they went
// on, and nothing was counted back when the process went on.
func TestExitParkIsPlayPastAParkOrWhenTheProcessGoesOn(t *testing.T) {
	type step struct {
		at   time.Duration
		e    Event
		exit bool
	}
	run := func(steps []step) *Monitor {
		l := baseLimits()
		sessions(&l)
		l.Switches = append(l.Switches, SwitchLimits{Name: "treat"})
		m := New(l)
		base := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
		m.Output(Event{Time: base, Target: "pan", Action: "move"}) // the homings
		m.Output(Event{Time: base, Target: "tilt", Action: "move", Value: 20})
		var last time.Duration
		for _, st := range steps {
			e := st.e
			e.Time, e.Exit = base.Add(st.at), st.exit
			m.Output(e)
			last = st.at
		}
		m.End(base.Add(last))
		return m
	}
	pan := func(at time.Duration, x float64, exit bool) step {
		return step{at, Event{Target: "pan", Action: "move", Value: x}, exit}
	}
	// play from 1 s to 9 min, the pan at 5°
	play := []step{pan(time.Second, 0.2, false)}
	for x, at := 0.4, time.Second+tick; x <= 5; x, at = x+0.2, at+tick {
		play = append(play, pan(at, x, false))
	}
	play = append(play, pan(9*time.Minute-tick, 5, false), pan(9*time.Minute, 5, false))

	// the way home creeps on for 2 minutes, marked: over 10 min of play
	slow := append([]step(nil), play...)
	for i, x := 1, 5.0; x > 0; i++ {
		x = max(0, 5-float64(i)*0.05)
		slow = append(slow, pan(9*time.Minute+time.Duration(i)*1200*time.Millisecond, x, true))
		if x == 0 {
			break
		}
	}
	slow = append(slow, step{11*time.Minute + time.Second, Event{Target: "pan", Action: "detach"}, true})
	if m := run(slow); m.Count() != 1 || m.Violations()[0].Rule != "session" {
		t.Errorf("marked moves home for 2 minutes: violations\n%swant session", list(m))
	}

	// within a park's time, then the halts: no play
	quick := append(append([]step(nil), play...), pan(9*time.Minute+tick, 4.9, true), pan(9*time.Minute+2*tick, 4.7, true))
	if m := run(quick); m.Count() != 0 {
		t.Errorf("a park's moves home: violations\n%s", list(m))
	}

	// the way out 19 minutes into the rest, then the process goes on (a
	// treat, which is no play itself) and plays 19 minutes later: the
	// marked moves were play, and no rest came between
	on := append(append([]step(nil), play...),
		pan(28*time.Minute, 4.9, true), pan(28*time.Minute+tick, 4.7, true),
		step{28*time.Minute + time.Second, Event{Target: "treat", Action: "switch", Value: 1}, false},
		step{28*time.Minute + 2*time.Second, Event{Target: "treat", Action: "switch", Value: 0}, false},
		pan(47*time.Minute, 4.7, false), pan(47*time.Minute+tick, 4.5, false))
	if m := run(on); m.Count() != 1 || m.Violations()[0].Rule != "session" {
		t.Errorf("the process went on after the marked moves: violations\n%swant session", list(m))
	}
}
