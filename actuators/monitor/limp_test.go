package monitor

import (
	"strings"
	"testing"
	"time"
)

// Rule "limp" (rigs with a laser): while any servo axis is detached,
// every laser is dark; a detached axis's next angle, at A, is held (no
// other angle of the axis) and every laser stays dark until A + settle;
// an emergency stop's limp servos alike. The hold once made a detach
// matter only during it: after the hold a laser lit on a limp servo, or
// at once after its next angle had jumped it back from wherever it was
// pushed, passed unreported.
func TestLimp(t *testing.T) {
	ms := time.Millisecond
	after := homing(0) // the hold ends at settle (1.15 s)
	noLaser := func(l *Limits) { withHold(l); l.Switches = []SwitchLimits{{Name: "treat"}} }
	runCases(t, []ruleCase{
		{name: "lit on a limp servo after the hold", lim: withHold, keepHomes: true,
			ops: ops(after, []op{det(2*s, "pan"), on(3 * s), off(4 * s)}), want: []string{"limp"}},
		{name: "detached while lit", lim: withHold, keepHomes: true,
			ops: ops(after, []op{on(2 * s), det(3*s, "pan"), off(4 * s)}), want: []string{"limp"}},
		{name: "the laser off at the detach's instant: dark at its end", lim: withHold, keepHomes: true,
			ops: ops(after, []op{on(2 * s), det(3*s, "pan"), off(3 * s)})},
		{name: "lit with the next angle: within settle", lim: withHold, keepHomes: true,
			ops: ops(after, []op{det(2*s, "pan"), mv(3*s, "pan", 0.24), on(3 * s), off(4 * s)}), want: []string{"limp"}},
		{name: "lit a millisecond before A + settle", lim: withHold, keepHomes: true,
			ops: ops(after, []op{det(2*s, "pan"), mv(3*s, "pan", 0.24), on(3*s + settle - ms)}), want: []string{"limp"}},
		{name: "lit at A + settle", lim: withHold, keepHomes: true,
			ops: ops(after, []op{det(2*s, "pan"), mv(3*s, "pan", 0.24), on(3*s + settle)})},
		{name: "lit before the detach, still lit at the next angle", lim: withHold, keepHomes: true,
			ops: ops(after, []op{on(2 * s), det(2*s, "pan"), mv(2*s+tick, "pan", 0), off(3 * s)}), want: []string{"limp"}},
		{name: "another angle within settle, one report", lim: withHold, keepHomes: true,
			ops:  ops(after, []op{det(2*s, "pan"), mv(3*s, "pan", 0), mv(3*s+tick, "pan", 0.2), mv(3*s+2*tick, "pan", 0.4)}),
			want: []string{"limp"}},
		{name: "a second angle at A's instant", lim: withHold, keepHomes: true,
			ops: ops(after, []op{det(2*s, "pan"), mv(3*s, "pan", 0), mv(3*s, "pan", 0.5)}), want: []string{"limp", "speed"}},
		{name: "the same angle within settle, another after it", lim: withHold, keepHomes: true,
			ops: ops(after, []op{det(2*s, "pan"), mv(3*s, "pan", 0), mv(3*s+tick, "pan", 0), mv(3*s+settle, "pan", 0.2)})},
		{name: "the other axis is not held", lim: withHold, keepHomes: true,
			ops: ops(after, []op{det(2*s, "pan"), mv(3*s, "pan", 0), mv(3*s, "tilt", 20.1)})},
		{name: "a stop's limp servos after the hold", lim: withHold, keepHomes: true,
			ops: ops(after, []op{on(2 * s), stopAt(2*s + 5*ms), off(2*s + tick), det(2*s+2*tick, "pan"), det(2*s+2*tick, "tilt"),
				resumeAt(5 * s), mv(5*s+tick, "pan", 0), mv(5*s+tick, "tilt", 20), on(5*s + 2*tick)}),
			want: []string{"limp"}},
		{name: "a stop's limp servos, lit after settle", lim: withHold, keepHomes: true,
			ops: ops(after, []op{on(2 * s), stopAt(2*s + 5*ms), off(2*s + tick), det(2*s+2*tick, "pan"), det(2*s+2*tick, "tilt"),
				resumeAt(5 * s), mv(5*s+tick, "pan", 0), mv(5*s+tick, "tilt", 20), on(5*s + tick + settle)})},
		{name: "detached in the hold: the hold's to report", lim: withHold, keepHomes: true,
			ops: ops(after, []op{det(500*ms, "pan"), mv(600*ms, "pan", 0), on(700 * ms)}), want: []string{"hold", "hold"}},
		{name: "a failed detach detached nothing", lim: withHold, keepHomes: true,
			ops: ops(after, []op{on(2 * s), {3 * s, "pan", "failed detach", 0}, off(4 * s)})},
		{name: "a restart: the hold's to report", lim: withHold, keepHomes: true,
			ops: ops(after, []op{det(2*s, "pan"), restart(3*s, true)}, homing(3*s), []op{on(3*s + settle)})},
		{name: "a rig without a laser", lim: noLaser, keepHomes: true,
			ops: ops(after, []op{det(2*s, "pan"), mv(3*s, "pan", 0), mv(3*s+tick, "pan", 0.2)})},
	})
	l := baseLimits()
	withHold(&l)
	m := play(l, t0, ops(after, []op{det(2*s, "pan"), mv(3*s, "pan", 0), on(3*s + 100*ms)}))
	want := "laser lit 100ms after axis pan's first angle since it went limp, within the settle time 1.15s"
	if v := m.Violations(); len(v) != 1 || v[0].Rule != "limp" || v[0].Detail != want {
		t.Errorf("got\n%swant limp laser: %s", list(m), want)
	}
}

// A trace read whole: the run's dead man detaches the servos after the
// hold, and the laser lights on them.
func TestLimpTrace(t *testing.T) {
	const tr = `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":true}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"tilt","action":"move","value":20}
{"kind":"output","time":"2026-11-22T10:00:05Z","target":"pan","action":"detach","value":0}
{"kind":"output","time":"2026-11-22T10:00:05Z","target":"tilt","action":"detach","value":0}
{"kind":"output","time":"2026-11-22T10:00:09Z","target":"laser","action":"switch","value":1}
{"kind":"output","time":"2026-11-22T10:00:10Z","target":"laser","action":"switch","value":0}
`
	l := baseLimits()
	withHold(&l)
	m := New(l)
	if err := ReadTrace(strings.NewReader(tr), m); err != nil {
		t.Fatal(err)
	}
	v := m.Violations()
	if len(v) != 1 || v[0].Rule != "limp" || v[0].Line != 6 || !strings.Contains(v[0].Detail, "axis pan is detached") {
		t.Errorf("got\n%swant limp at line 6", list(m))
	}
}
