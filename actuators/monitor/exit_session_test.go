package monitor

import (
	"slices"
	"testing"
	"time"
)

// The park on the way out is no session activity (invariant 7): a stop
// (systemctl stop, Ctrl-C) during a session's rest moves the servos from
// the session's park spot home, marked as the exit's, and that is not
// play. The same moves unmarked, or marked but followed by more of the
// process (no exit then), are.
func TestExitParkIsNoSessionActivity(t *testing.T) {
	run := func(exit, goOn bool) []string {
		l := baseLimits()
		l.Sessions.MaxPlay, l.Sessions.Rest = 10*time.Minute, 20*time.Minute
		m := New(l)
		at := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
		out := func(e Event) { e.Time = at; m.Output(e) }
		out(Event{Target: "pan", Action: "move"})
		out(Event{Target: "tilt", Action: "move", Value: 20})
		x, v := 0.0, 0.0
		tickTo := func(target float64, mark bool) { // a ramp to target at ≤ 10°/s
			for x != target || v != 0 {
				at = at.Add(tick)
				dir := 1.0
				if target < x {
					dir = -1
				}
				brake := v * v / (2 * 600)
				if dir*(target-x) <= brake+dir*v*tick.Seconds() {
					v -= dir * min(12, dir*v)
				} else {
					v += dir * min(12, 10-dir*v)
				}
				x += v * tick.Seconds()
				if v == 0 || dir*(target-x) < 0 {
					x, v = target, 0
				}
				out(Event{Target: "pan", Action: "move", Value: x, Exit: mark})
			}
		}
		at = at.Add(time.Second)
		tickTo(5, false) // play from here …
		at = at.Add(9 * time.Minute)
		out(Event{Target: "pan", Action: "move", Value: x}) // … to here, 9 minutes on
		at = at.Add(tick)
		out(Event{Target: "pan", Action: "detach"}) // the session's park, then its rest
		at = at.Add(5 * time.Minute)
		tickTo(0, exit) // the way out, five minutes into the rest
		if goOn {
			at = at.Add(time.Second)
			out(Event{Target: "pan", Action: "move", Value: 0})
		}
		at = at.Add(tick)
		out(Event{Target: "pan", Action: "detach", Exit: exit})
		m.End(at)
		return rules(m)
	}
	if got := run(true, false); len(got) != 0 {
		t.Errorf("the exit's park in a rest: violations %v", got)
	}
	if got := run(false, false); !slices.Contains(got, "session") {
		t.Errorf("the same moves unmarked: violations %v, want session", got)
	}
	if got := run(true, true); !slices.Contains(got, "session") {
		t.Errorf("marked, then the process went on: violations %v, want session", got)
	}
}
