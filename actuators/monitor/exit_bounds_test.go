package monitor

import (
	"testing"
	"time"
)

// quietLimits are baseLimits with quiet hours 23:00-08:00.
func quietLimits() Limits {
	l := baseLimits()
	l.Sessions.QuietFrom, l.Sessions.QuietTo = 23*time.Hour, 8*time.Hour
	return l
}

// A move marked as the exit park must stay between where the axis was and
// home, give or take how far its speed then could carry it braking. A
// marked "park" from rest at pan 40 that crosses home at full speed and
// then brakes by 0.01°/s a tick reached pan -38 unflagged: speed and
// acceleration held, but it was no park.
func TestExitParkCannotCrossHomeAtSpeed(t *testing.T) {
	m := New(quietLimits())
	at := time.Date(2026, 11, 28, 22, 0, 0, 0, time.UTC)
	m.Output(Event{Time: at, Target: "pan", Action: "move"})
	m.Output(Event{Time: at, Target: "tilt", Action: "move", Value: 20})
	x := 0.0
	for range 200 { // to pan 40 at 10°/s before quiet hours
		at = at.Add(tick)
		x += 10 * tick.Seconds()
		m.Output(Event{Time: at, Target: "pan", Action: "move", Value: x})
	}
	at = at.Add(tick)
	m.Output(Event{Time: at, Target: "pan", Action: "move", Value: x}) // at rest
	at = time.Date(2026, 11, 29, 0, 2, 0, 0, time.UTC)
	m.Output(Event{Time: at, Target: "laser", Action: "switch", Value: 0, Exit: true})
	v := 0.0
	step := func() {
		at = at.Add(tick)
		x += v * tick.Seconds()
		m.Output(Event{Time: at, Target: "pan", Action: "move", Value: x, Exit: true})
	}
	for v > -90 { // toward home, up to 90°/s
		v = max(v-12, -90)
		step()
	}
	for x > -38 { // past home, barely braking
		v += 0.01
		step()
	}
	for v < 0 {
		v = min(v+12, 0)
		step()
	}
	m.Output(Event{Time: at.Add(tick), Target: "pan", Action: "detach"})
	m.End(at.Add(tick))
	if got := rules(m); len(got) == 0 || got[0] != "quiet_hours" {
		t.Fatalf("a marked move from pan 40 through home to pan %.1f: violations %v, want quiet_hours\n%s", x, got, list(m))
	}
}

// A wall-clock step into quiet hours allows one park: the process's last
// output was read outside them. A wall_before on every output of ordinary
// play at 01:00 used to open a new park each time, and a minute of play
// passed.
func TestWallBeforeOnEveryOutputGrantsOnePark(t *testing.T) {
	m := New(quietLimits())
	start := time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)
	m.Output(Event{Time: start.Add(-3 * time.Hour), Target: "pan", Action: "move"})
	m.Output(Event{Time: start.Add(-3 * time.Hour), Target: "tilt", Action: "move", Value: 20})
	for k := 1; k < 3000; k++ { // a minute of sweeping at 3°/s
		at := start.Add(time.Duration(k) * tick)
		x := 3 * float64(k%100) * tick.Seconds()
		if (k/100)%2 == 1 {
			x = 3 * float64(100-k%100) * tick.Seconds()
		}
		m.Output(Event{Time: at, WallBefore: at.Add(-3 * time.Hour), Target: "pan", Action: "move", Value: x})
	}
	m.End(start.Add(time.Minute))
	if got := rules(m); len(got) == 0 || got[0] != "quiet_hours" {
		t.Fatalf("a minute of play in quiet hours, each output marked as a step: violations %v, want quiet_hours", got)
	}
}
