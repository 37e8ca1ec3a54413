package monitor

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// The emergency stop as the README promises it: laser off at once, the
// servos brake within their acceleration and go limp, every command
// refused until resumed. Rule "stop" checks it from a stop line to a
// resume line.

func stopAt(at time.Duration) op   { return op{at: at, action: "stop"} }
func resumeAt(at time.Duration) op { return op{at: at, action: "resume"} }

// ramp moves axis from x0 at from, one tick at each velocity of vs (°/s).
func ramp(axis string, from time.Duration, x0 float64, vs ...float64) []op {
	var out []op
	x := x0
	for i, v := range vs {
		x += v * tick.Seconds()
		out = append(out, mv(from+ticks(i+1), axis, x))
	}
	return out
}

// The pan axis (accel 600°/s²: 12°/s a tick) speeds up to 36°/s by 4τ
// with the laser lit, and is at 2.16°.
func lasering() []op {
	return append([]op{on(0), mv(0, "pan", 0)}, ramp("pan", 0, 0, 12, 24, 36, 36)...)
}

const at4 = 4*tick + 5*time.Millisecond // the stop, between the 4th and 5th ticks

// ops joins sequences of ops.
func ops(parts ...[]op) []op { return slices.Concat(parts...) }

func TestEmergencyStop(t *testing.T) {
	braking := ramp("pan", 4*tick, 2.16, 24, 12) // 5τ and 6τ, at rest from 7τ at 2.88°
	treat := func(l *Limits) { l.Switches = append(l.Switches, SwitchLimits{Name: "treat"}) }
	runCases(t, []ruleCase{
		{name: "laser off at the next tick, braking within accel, then limp",
			ops: ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{det(8*tick, "pan"), det(8*tick, "tilt")})},
		{name: "laser off at the stop's own instant",
			ops: ops(lasering(), []op{stopAt(4 * tick), off(4 * tick)}, braking)},
		{name: "laser lit one tick after the stop",
			ops:  ops(lasering(), []op{stopAt(at4)}, braking, []op{off(7 * tick)}),
			want: []string{"stop"}},
		{name: "laser lit, nothing after the stop for 3 ticks",
			ops:  []op{on(0), mv(0, "pan", 0), stopAt(2 * tick), off(5*tick + time.Millisecond)},
			want: []string{"stop"}},
		{name: "laser off 2.5 ticks after the stop, the first output after it",
			ops: []op{on(0), mv(0, "pan", 0), stopAt(2 * tick), off(4*tick + tick/2)}},
		{name: "moving on at speed",
			ops:  ops(lasering(), []op{stopAt(at4), off(5 * tick)}, ramp("pan", 4*tick, 2.16, 36, 24, 12)),
			want: []string{"stop"}},
		{name: "speeding up",
			ops:  ops(lasering(), []op{stopAt(at4), off(5 * tick)}, ramp("pan", 4*tick, 2.16, 48, 36, 24, 12)),
			want: []string{"stop"}},
		{name: "reversing",
			ops:  ops(lasering(), []op{stopAt(at4), off(5 * tick)}, ramp("pan", 4*tick, 2.16, 24, 12, 6, -6)),
			want: []string{"stop"}},
		{name: "braking too gently to stop in time",
			ops: ops(lasering(), []op{stopAt(at4), off(5 * tick)},
				ramp("pan", 4*tick, 2.16, 35.5, 35, 34.5, 34, 33.5, 33)), // the last at 10τ, 115ms after the stop
			want: []string{"stop"}},
		{name: "moving from rest",
			ops:  ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{mv(10*tick, "pan", 3.1)}),
			want: []string{"stop"}},
		{name: "holding still",
			ops: ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{mv(10*tick, "pan", 2.88)})},
		{name: "an angle to a limp servo",
			ops:  ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{det(8*tick, "pan"), mv(10*tick, "pan", 2.88)}),
			want: []string{"stop"}},
		{name: "limp at speed",
			ops: ops(lasering(), []op{stopAt(at4), off(5 * tick), det(5*tick, "pan")})},
		{name: "the laser switched on before the resume",
			ops:  ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{det(8*tick, "pan"), on(10 * tick), off(11 * tick)}),
			want: []string{"stop"}},
		{name: "any switch switched on before the resume", lim: treat,
			ops:  []op{mv(0, "pan", 0), stopAt(tick), det(2*tick, "pan"), {10 * tick, "treat", "switch", 1}},
			want: []string{"stop"}},
		{name: "everything again after the resume", lim: treat,
			ops: ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{det(8*tick, "pan"), resumeAt(9 * tick),
				on(10 * tick), {10 * tick, "treat", "switch", 1}}, ramp("pan", 9*tick, 2.88, 12, 24, 36))},
		{name: "a second stop changes nothing",
			ops: ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{det(8*tick, "pan"), stopAt(20 * tick), det(21*tick, "pan")})},
		{name: "a second stop does not move the time to go limp",
			ops:  ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{stopAt(8 * tick), det(21*tick, "pan")}),
			want: []string{"stop"}},
		// Then going limp: braking from 36°/s at 600°/s² takes 60ms, so
		// pan may brake until 2.5τ + 60ms after the stop (195ms) and is
		// limp at the tick after, which may come 2.5τ late (245ms); within
		// 2.5τ of its stop angle where one is sent.
		{name: "braked but never limp",
			ops:  ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{end(20 * tick)}),
			want: []string{"stop"}},
		{name: "limp at the latest",
			ops: ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{det(245*time.Millisecond, "pan"), end(20 * tick)})},
		{name: "limp a millisecond too late",
			ops:  ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{det(246*time.Millisecond, "pan"), end(20 * tick)}),
			want: []string{"stop"}},
		{name: "a detach that failed leaves it attached",
			ops:  ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{{8 * tick, "pan", "failed detach", 0}, end(20 * tick)}),
			want: []string{"stop"}},
		{name: "at rest at the stop: limp within 3.5 ticks",
			ops: []op{mv(0, "pan", 0), mv(0, "tilt", 20), stopAt(tick), det(2*tick, "tilt"), det(tick+ticks(3)+tick/2, "pan"), end(20 * tick)}},
		{name: "at rest at the stop: not limp after 3.5 ticks",
			ops:  []op{mv(0, "pan", 0), mv(0, "tilt", 20), stopAt(tick), det(2*tick, "tilt"), det(tick+ticks(3)+tick/2+1, "pan"), end(20 * tick)},
			want: []string{"stop"}},
		{name: "resumed before going limp",
			ops: ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{resumeAt(8 * tick), end(20 * tick)})},
		{name: "the process ends before going limp: its halt takes the pulses",
			ops: ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{restart(8*tick, true), end(20 * tick)})},
		{name: "kept across a restart that keeps the state",
			ops: []op{on(0), mv(0, "pan", 0), stopAt(tick), off(2 * tick), restart(time.Minute, true),
				on(time.Minute + tick)},
			want: []string{"stop"}},
		// A process that starts stopped gives its servos no pulse, not
		// even to go home, until the resume; its homing comes after it.
		{name: "a process that starts stopped pulses its servos home",
			ops: []op{on(0), mv(0, "pan", 0), stopAt(tick), off(2 * tick), restart(time.Minute, true),
				mv(time.Minute, "pan", 0), mv(time.Minute, "tilt", 20), det(time.Minute+time.Second, "pan")},
			want: []string{"stop", "stop"}},
		{name: "a process that starts stopped holds its servos home",
			ops: []op{on(0), mv(0, "pan", 0), stopAt(tick), off(2 * tick), restart(time.Minute, true),
				mv(time.Minute, "pan", 0), mv(time.Minute+tick, "pan", 0), mv(time.Minute+2*tick, "pan", 0)},
			want: []string{"stop", "stop", "stop"}},
		{name: "moving after the homing of a process that starts stopped",
			ops: []op{on(0), mv(0, "pan", 0), stopAt(tick), off(2 * tick), restart(time.Minute, true),
				mv(time.Minute, "pan", 0), mv(time.Minute+tick, "pan", 0.24)},
			want: []string{"stop", "stop"}},
		{name: "a process that starts stopped homes after the resume",
			ops: []op{on(0), mv(0, "pan", 0), stopAt(tick), off(2 * tick), restart(time.Minute, true),
				det(time.Minute, "pan"), resumeAt(time.Minute + time.Second),
				mv(time.Minute+time.Second+tick, "pan", 0), mv(time.Minute+time.Second+tick, "tilt", 20),
				mv(time.Minute+time.Second+2*tick, "pan", 0.24)}},
		{name: "a stop before the homing: no homing until the resume",
			ops:  []op{stopAt(0), mv(tick, "pan", 0), mv(tick, "tilt", 20)},
			want: []string{"stop", "stop"}},
		{name: "a stop before the homing, homed after the resume",
			ops: []op{stopAt(0), resumeAt(ticks(3)), mv(ticks(4), "pan", 0), mv(ticks(4), "tilt", 20)}},
		{name: "a stop with one axis homed: the other one waits for the resume",
			ops:  ops(lasering(), []op{stopAt(at4), off(5 * tick)}, braking, []op{mv(8*tick, "tilt", 20)}),
			want: []string{"stop"}},
		{name: "ended by a restart that keeps no state (a dry run)",
			ops: []op{on(0), mv(0, "pan", 0), stopAt(tick), off(2 * tick), restart(time.Minute, false),
				mv(time.Minute, "pan", 0), on(time.Minute + tick)}},
	})
}

// A trace without stop lines checks as before: what a stop line flags is
// no violation without one.
func TestNoStopLineNoStopRule(t *testing.T) {
	for _, c := range [][]op{
		ops(lasering(), ramp("pan", 4*tick, 2.16, 24, 12), []op{off(7 * tick)}),
		ops(lasering(), ramp("pan", 4*tick, 2.16, 36, 48, 36, 24, 12)),
		ops(lasering(), ramp("pan", 4*tick, 2.16, 24, 12), []op{det(8*tick, "pan"), mv(10*tick, "pan", 2.88), on(11 * tick)}),
	} {
		l := baseLimits()
		homesAt(&l, c)
		if m := play(l, t0, c); m.Count() > 0 {
			t.Errorf("without a stop line:\n%s", list(m))
		}
	}
}

// A live run's stop is read on its requester's clock, the wall clock; the
// outputs carry the wall clock's reading where the rig's time differs from
// it (a step the run does not follow yet). The stop is placed on the
// rig's time by that difference: a laser lit 3 ticks after a stop is
// flagged whichever way the wall clock went.
func TestStopOnTheWallClock(t *testing.T) {
	for _, off := range []time.Duration{time.Hour, -time.Hour, 0} {
		for _, late := range []bool{false, true} {
			m := New(baseLimits())
			wall := func(d time.Duration) time.Time { return t0.Add(d + off) }
			m.Output(Event{Time: t0, Wall: wall(0), Target: "pan", Action: "move"})
			m.Output(Event{Time: t0, Wall: wall(0), Target: "laser", Action: "switch", Value: 1})
			m.Stop(wall(2 * tick))
			darkAt := 3 * tick
			if late {
				darkAt = 5*tick + time.Millisecond
			}
			m.Output(Event{Time: t0.Add(darkAt), Wall: wall(darkAt), Target: "laser", Action: "switch"})
			m.Output(Event{Time: t0.Add(darkAt), Wall: wall(darkAt), Target: "pan", Action: "detach"})
			m.End(t0.Add(10 * tick))
			if got := rules(m); late != slices.Equal(got, []string{"stop"}) || !late && len(got) > 0 {
				t.Errorf("wall clock %v off, dark at %v: %v\n%s", off, darkAt, got, list(m))
			}
		}
	}
}

// Stop and resume lines are read from a trace; a trace without them reads
// as before.
func TestReadTraceStopLines(t *testing.T) {
	const head = `{"kind":"output","time":"2026-11-29T10:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-29T10:00:00Z","target":"laser","action":"switch","value":1}
`
	const tail = `{"kind":"output","time":"2026-11-29T10:00:00.04Z","target":"laser","action":"switch","value":0}
{"kind":"output","time":"2026-11-29T10:00:00.06Z","target":"laser","action":"switch","value":1}
`
	for _, c := range []struct {
		name, stop string
		want       []string
	}{
		{"no stop line", "", nil},
		{"stopped", `{"kind":"stop","time":"2026-11-29T10:00:00.01Z"}` + "\n", []string{"stop"}},
		{"stopped and resumed", `{"kind":"stop","time":"2026-11-29T10:00:00.01Z"}` + "\n" +
			`{"kind":"resume","time":"2026-11-29T10:00:00.02Z"}` + "\n", nil},
	} {
		m := New(baseLimits())
		if err := ReadTrace(strings.NewReader(head+c.stop+tail), m); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := rules(m); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v\n%s", c.name, got, c.want, list(m))
		}
	}
	for _, bad := range []string{`{"kind":"stop"}`, `{"kind":"resume"}`} {
		err := ReadTrace(strings.NewReader(head+bad+"\n"), New(baseLimits()))
		if err == nil || !strings.Contains(err.Error(), "line 3: no time") {
			t.Errorf("%s: err %v, want no time", bad, err)
		}
	}
}

// The reviewer's trace: a process restarted under a stop kept in the
// state directory pulses its servos home before anyone resumed. README:
// its servos get no pulse (not even to go home) until the resume.
func TestReadTraceStopKeptOverARestart(t *testing.T) {
	const trace = `{"kind":"restart","time":"2026-11-29T12:00:00Z","keep_state":true}
{"kind":"output","time":"2026-11-29T12:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-29T12:00:00Z","target":"tilt","action":"move","value":20}
{"kind":"stop","time":"2026-11-29T12:00:01Z"}
{"kind":"output","time":"2026-11-29T12:00:01.02Z","target":"pan","action":"detach","value":0}
{"kind":"output","time":"2026-11-29T12:00:01.02Z","target":"tilt","action":"detach","value":0}
{"kind":"restart","time":"2026-11-29T12:05:00Z","keep_state":true}
{"kind":"stop","time":"2026-11-29T12:05:00Z"}
{"kind":"output","time":"2026-11-29T12:05:00.02Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-29T12:05:00.02Z","target":"tilt","action":"move","value":20}
`
	m := New(baseLimits())
	if err := ReadTrace(strings.NewReader(trace), m); err != nil {
		t.Fatal(err)
	}
	if got := rules(m); !slices.Equal(got, []string{"stop", "stop"}) {
		t.Errorf("rules %v, want [stop stop]\n%s", got, list(m))
	}
	// The same with a resume before the homing passes.
	resumed := strings.Replace(trace, `{"kind":"stop","time":"2026-11-29T12:05:00Z"}`,
		`{"kind":"stop","time":"2026-11-29T12:05:00Z"}`+"\n"+`{"kind":"resume","time":"2026-11-29T12:05:00.01Z"}`, 1)
	m = New(baseLimits())
	if err := ReadTrace(strings.NewReader(resumed), m); err != nil {
		t.Fatal(err)
	}
	if m.Count() != 0 {
		t.Errorf("resumed before the homing:\n%s", list(m))
	}
}
