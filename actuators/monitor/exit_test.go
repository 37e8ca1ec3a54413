package monitor

import (
	"slices"
	"testing"
	"time"
)

// The park a live run makes on its way out (Event.Exit) may move the axes
// in quiet hours, as what it must be: home, at the axes' limits, within a
// park's time of its first output, followed by nothing of the process but
// halts. Unmarked, the same moves are flagged; marked, one that goes away
// from home, comes late, lights the laser or is followed by ordinary
// outputs still is.
func TestTheParkOnTheWayOut(t *testing.T) {
	l := baseLimits()
	l.Sessions.QuietFrom, l.Sessions.QuietTo = 23*time.Hour, 8*time.Hour
	for i := range l.Axes {
		l.Axes[i].Accel = 0
	}
	park := l.park(DefaultTick)
	evening := time.Date(2026, 11, 28, 22, 0, 0, 0, time.UTC)
	quiet := evening.Add(time.Hour)
	exit := quiet.Add(62 * time.Minute)
	type ev struct {
		at     time.Duration // after exit
		target string
		action string
		value  float64
		exit   bool
	}
	// The rig parks at pan 3 at 23:00; it is stopped at 00:02.
	home := []ev{{0, "laser", "switch", 0, true}, {0, "pan", "move", 1.5, true}, {tick, "pan", "move", 0, true},
		{tick, "tilt", "move", 20, true}}
	for _, c := range []struct {
		name string
		evs  []ev
		want []string
	}{
		{"home", home, nil},
		{"home, unmarked", []ev{{0, "pan", "move", 1.5, false}, {tick, "pan", "move", 0, false}}, []string{"quiet_hours"}},
		{"home, then halts and a restart", append(home[:4:4], ev{2 * tick, "pan", "detach", 0, false},
			ev{2 * tick, "laser", "switch", 0, false}, ev{time.Minute, "", "restart", 0, false},
			ev{time.Minute, "pan", "move", 0, false}, ev{time.Minute, "tilt", "move", 20, false}), nil},
		{"away from home", []ev{{0, "pan", "move", 4, true}}, []string{"quiet_hours"}},
		{"past home", []ev{{0, "pan", "move", 1.5, true}, {tick, "pan", "move", -0.2, true}}, []string{"quiet_hours"}},
		{"too fast", []ev{{0, "pan", "move", 0, true}}, []string{"speed"}},
		{"a park's time after its first output", []ev{{0, "laser", "switch", 0, true}, {park, "pan", "move", 1.5, true}},
			[]string{"quiet_hours"}},
		{"lights the laser", append(home[:4:4], ev{2 * tick, "laser", "switch", 1, true}), []string{"quiet_hours", "quiet_hours"}},
		{"followed by a move", append(home[:4:4], ev{time.Second, "pan", "move", 0, false}), []string{"quiet_hours"}},
		{"followed by the laser", append(home[:4:4], ev{time.Second, "laser", "switch", 1, false}),
			[]string{"quiet_hours", "quiet_hours"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := New(l)
			m.Output(Event{Time: evening, Target: "pan", Action: "move"})
			m.Output(Event{Time: evening, Target: "tilt", Action: "move", Value: 20})
			m.Output(Event{Time: quiet, Target: "pan", Action: "move", Value: 1.5})
			m.Output(Event{Time: quiet.Add(tick), Target: "pan", Action: "move", Value: 3})
			last := exit
			for _, e := range c.evs {
				last = exit.Add(e.at)
				if e.action == "restart" {
					m.Restart(last, true)
					continue
				}
				m.Output(Event{Time: last, Target: e.target, Action: e.action, Value: e.value, Exit: e.exit})
			}
			m.End(last)
			if got := rules(m); !slices.Equal(got, c.want) {
				t.Errorf("rules %v, want %v\n%s", got, c.want, list(m))
			}
		})
	}
}

// A park from full speed first brakes: its first outputs still go away
// from home, slower each tick. The park at the start of quiet hours is
// under way when its allowance ends and the run is stopped: the marked
// braking passes, a marked move that keeps its speed does not.
func TestTheParkOnTheWayOutBrakesFirst(t *testing.T) {
	l := baseLimits()
	l.Sessions.QuietFrom, l.Sessions.QuietTo = 23*time.Hour, 8*time.Hour
	park := l.park(DefaultTick)
	quiet := time.Date(2026, 11, 28, 23, 0, 0, 0, time.UTC)
	n := int(park / tick)
	for _, c := range []struct {
		name string
		vs   []float64 // °/s at each tick of the way out
		want []string
	}{
		{"braking", []float64{12, 0, -12, -24, -24}, nil},
		{"keeping its speed", []float64{24, 12, 0}, []string{"quiet_hours"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := New(l)
			m.Output(Event{Time: quiet.Add(-time.Hour), Target: "pan", Action: "move"})
			x, at := 0.0, quiet
			for k := 1; k < n; k++ { // towards the park spot, at 24°/s
				x += min(float64(k)*12, 24) * tick.Seconds()
				at = quiet.Add(time.Duration(k) * tick)
				m.Output(Event{Time: at, Target: "pan", Action: "move", Value: x})
			}
			for _, v := range c.vs {
				x += v * tick.Seconds()
				at = at.Add(tick)
				m.Output(Event{Time: at, Target: "pan", Action: "move", Value: x, Exit: true})
			}
			m.End(at)
			if got := rules(m); !slices.Equal(got, c.want) {
				t.Errorf("rules %v, want %v\n%s", got, c.want, list(m))
			}
		})
	}
}
