package monitor

import (
	"testing"
	"time"
)

// A real-time trace may run a time-based limit over by a late tick: Slack
// allows that much and no more.
func TestSlackForLateTicks(t *testing.T) {
	for _, c := range []struct {
		slack time.Duration
		want  int
	}{{0, 1}, {30 * time.Millisecond, 0}, {10 * time.Millisecond, 1}} {
		l := baseLimits()
		l.DwellCap, l.Slack = 4*time.Second, c.slack
		m := New(l)
		m.Output(Event{Time: t0, Target: "pan", Action: "move", Value: 0})
		m.Output(Event{Time: t0, Target: "laser", Action: "switch", Value: 1})
		m.Output(Event{Time: t0.Add(4*time.Second + 20*time.Millisecond), Target: "laser", Action: "switch", Value: 0})
		m.End(t0.Add(5 * time.Second))
		if m.Count() != c.want {
			t.Errorf("slack %v: %d violations, want %d: %v", c.slack, m.Count(), c.want, m.Violations())
		}
	}
}
