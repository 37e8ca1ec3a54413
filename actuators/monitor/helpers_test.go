package monitor

import (
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

const tick = 20 * time.Millisecond

// op is one step of a hand-built stream, at an offset from its start.
type op struct {
	at     time.Duration
	target string
	action string // move, detach, switch ("failed move" …: not delivered); or restart, restart-keep, end, stop, resume
	v      float64
}

func mv(at time.Duration, axis string, v float64) op { return op{at, axis, "move", v} }
func det(at time.Duration, axis string) op           { return op{at, axis, "detach", 0} }
func on(at time.Duration) op                         { return op{at, "laser", "switch", 1} }
func off(at time.Duration) op                        { return op{at, "laser", "switch", 0} }
func restart(at time.Duration, keep bool) op {
	if keep {
		return op{at: at, action: "restart-keep"}
	}
	return op{at: at, action: "restart"}
}
func end(at time.Duration) op { return op{at: at, action: "end"} }

// play feeds ops, starting at start, then ends the stream at the last op.
func play(l Limits, start time.Time, ops []op) *Monitor {
	m := New(l)
	var last time.Duration
	for _, o := range ops {
		t := start.Add(o.at)
		switch o.action {
		case "restart", "restart-keep":
			m.Restart(t, o.action == "restart-keep")
		case "end":
			m.End(t)
		case "stop":
			m.Stop(t)
		case "resume":
			m.Resume(t)
		default:
			action, failed := strings.CutPrefix(o.action, "failed ")
			m.Output(Event{Time: t, Target: o.target, Action: action, Value: o.v, Failed: failed})
		}
		last = max(last, o.at)
	}
	m.End(start.Add(last))
	return m
}

// baseLimits is the shipped rig with every time-based rule off; cases
// switch on what they test. The hold is off too: the cases of the other
// rules light the laser at the homing's instant, or with no homing at
// all (holdLimits has it on).
func baseLimits() Limits {
	return Limits{
		Axes: []AxisLimits{
			{Name: "pan", Role: "pan", Min: -45, Max: 45, Home: 0, Speed: 90, Accel: 600},
			{Name: "tilt", Role: "tilt", Min: 5, Max: 40, Home: 20, Speed: 60, Accel: 400},
		},
		Switches: []SwitchLimits{{Name: "laser", Laser: true}},
		Location: time.UTC,
		noHold:   true,
	}
}

type ruleCase struct {
	name  string
	lim   func(*Limits)
	start time.Time // zero = t0
	ops   []op
	want  []string // rules violated, in any order
	// keepHomes keeps the limits' homes. Otherwise the angles a case sends
	// at its first instant (offset 0) become its axes' homes: a case puts
	// the dot where it needs it there, as the envelope puts it at home,
	// and the home rule stays out of its way.
	keepHomes bool
}

// homesAt sets the home of every axis that gets an angle at offset 0 to
// the first such angle.
func homesAt(l *Limits, ops []op) {
	set := map[string]bool{}
	for _, o := range ops {
		if o.at != 0 || o.action != "move" || set[o.target] {
			continue
		}
		set[o.target] = true
		for i := range l.Axes {
			if l.Axes[i].Name == o.target {
				l.Axes[i].Home = o.v
			}
		}
	}
}

func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := baseLimits()
			if c.lim != nil {
				c.lim(&l)
			}
			if !c.keepHomes {
				homesAt(&l, c.ops)
			}
			start := c.start
			if start.IsZero() {
				start = t0
			}
			m := play(l, start, c.ops)
			got := rules(m)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("rules %v, want %v\n%s", got, want, list(m))
			}
			if m.Count() != len(m.Violations()) {
				t.Errorf("Count %d, stored %d", m.Count(), len(m.Violations()))
			}
		})
	}
}

func rules(m *Monitor) []string {
	var r []string
	for _, v := range m.Violations() {
		r = append(r, v.Rule)
	}
	slices.Sort(r)
	return r
}

func list(m *Monitor) string {
	var b strings.Builder
	for _, v := range m.Violations() {
		b.WriteString("  " + v.String() + "\n")
	}
	return b.String()
}

// ticks returns n·τ.
func ticks(n int) time.Duration { return time.Duration(n) * tick }
