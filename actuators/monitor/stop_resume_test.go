package monitor

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// A stop whose rig sends nothing until the resume: the laser lit and the
// servos attached through it are flagged at the resume, which is as far
// as the stop's rule reaches. The checks once ran only when time moved on
// at the next output, after the resume had ended the stop.
func TestResumeChecksWhatWasDue(t *testing.T) {
	s := time.Second
	runCases(t, []ruleCase{
		{name: "laser lit and servos attached through the whole stop",
			ops:  []op{mv(0, "pan", 0), mv(0, "tilt", 20), on(0), stopAt(s), resumeAt(4 * s), off(5 * s)},
			want: []string{"stop", "stop", "stop"}},
		{name: "servos never limp, resumed after 3 s",
			ops:  []op{mv(0, "pan", 0), mv(0, "tilt", 20), stopAt(s), resumeAt(4 * s), mv(5*s, "pan", 0)},
			want: []string{"stop", "stop"}},
		{name: "dark and limp, then nothing until the resume",
			ops: []op{mv(0, "pan", 0), mv(0, "tilt", 20), on(0), stopAt(s), off(s + tick),
				det(s+tick, "pan"), det(s+tick, "tilt"), resumeAt(4 * s), off(5 * s)}},
		{name: "resumed before the laser was due dark",
			ops: []op{mv(0, "pan", 0), mv(0, "tilt", 20), on(0), stopAt(s), resumeAt(s + 2*tick), off(5 * s)}},
		{name: "resumed just after the laser was due dark",
			ops:  []op{mv(0, "pan", 0), mv(0, "tilt", 20), on(0), stopAt(s), resumeAt(s + 5*tick/2 + 1), off(5 * s)},
			want: []string{"stop"}},
		{name: "an output after the stop left the laser lit",
			ops:  []op{mv(0, "pan", 0), mv(0, "tilt", 20), on(0), stopAt(s), det(s+tick, "pan"), det(s+tick, "tilt"), resumeAt(s + tick + 1)},
			want: []string{"stop"}},
	})
}

// The resume is read on its requester's clock, the wall clock, as the
// stop is: a resume 40 ms after the stop on the wall clock finds nothing
// due, whichever way the wall clock is off the rig's time; one 3 s after
// it finds the laser lit and the servos attached.
func TestResumeOnTheWallClock(t *testing.T) {
	for _, off := range []time.Duration{time.Hour, -time.Hour, 0} {
		for _, after := range []time.Duration{2 * tick, 3 * time.Second} {
			m := New(baseLimits())
			wall := func(d time.Duration) time.Time { return t0.Add(d + off) }
			m.Output(Event{Time: t0, Wall: wall(0), Target: "pan", Action: "move"})
			m.Output(Event{Time: t0, Wall: wall(0), Target: "tilt", Action: "move", Value: 20})
			m.Output(Event{Time: t0, Wall: wall(0), Target: "laser", Action: "switch", Value: 1})
			m.Stop(wall(time.Second))
			m.Resume(wall(time.Second + after))
			m.End(t0.Add(5 * time.Second))
			want := []string(nil)
			if after > time.Second {
				want = []string{"stop", "stop", "stop"}
			}
			if got := rules(m); !slices.Equal(got, want) {
				t.Errorf("wall clock %v off, resumed %v after the stop: %v, want %v\n%s", off, after, got, want, list(m))
			}
		}
	}
	// A resume whose clock reads before the rig's latest output is taken
	// at that output: nothing more was due.
	m := New(baseLimits())
	m.Output(Event{Time: t0, Target: "pan", Action: "move"})
	m.Output(Event{Time: t0, Target: "laser", Action: "switch", Value: 1})
	m.Stop(t0)
	m.Output(Event{Time: t0.Add(tick), Target: "laser", Action: "switch"})
	m.Resume(t0.Add(-time.Hour))
	m.End(t0.Add(time.Second))
	if m.Count() != 0 {
		t.Errorf("a resume read before the latest output:\n%s", list(m))
	}
}

// The reviewer's trace: lit through a whole stop with no output until the
// resume read "ok".
func TestReadTraceResumeAfterASilentStop(t *testing.T) {
	const trace = `{"kind":"output","time":"2026-11-29T10:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-29T10:00:00Z","target":"tilt","action":"move","value":20}
{"kind":"output","time":"2026-11-29T10:00:02Z","target":"laser","action":"switch","value":1}
{"kind":"stop","time":"2026-11-29T10:00:03Z"}
{"kind":"resume","time":"2026-11-29T10:00:05.9Z"}
{"kind":"output","time":"2026-11-29T10:00:06Z","target":"laser","action":"switch","value":0}
`
	m := New(baseLimits())
	if err := ReadTrace(strings.NewReader(trace), m); err != nil {
		t.Fatal(err)
	}
	want := []string{"laser still lit 50ms after the emergency stop", "not limp", "not limp"}
	v := m.Violations()
	if len(v) != len(want) {
		t.Fatalf("got\n%swant %q", list(m), want)
	}
	for i, w := range want {
		if v[i].Rule != "stop" || !strings.Contains(v[i].Detail, w) || v[i].Line != 5 {
			t.Errorf("violation %d: %v (line %d), want stop %q at line 5", i, v[i], v[i].Line, w)
		}
	}
}
