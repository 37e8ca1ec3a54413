package monitor

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// A driver that fails a write (Event.Failed) stops its servo without
// braking: the servo never got the angle that would have braked it, and
// the failing driver gets nothing during its backoff (100 ms). Rule
// "fault" names that stop the hardware's, as "late" names a stall's; a
// failure of another output, or a stop at another tick, is not excused.

// still sends axis the angle x at every tick from from, n ticks.
func still(axis string, from time.Duration, x float64, n int) []op {
	var out []op
	for i := range n {
		out = append(out, mv(from+ticks(i), axis, x))
	}
	return out
}

// panAt60 homes both axes, then pan speeds up to 60°/s by 5τ, at 3.6°
// (12°/s a tick, its limit), tilt left at home.
func panAt60() []op {
	return ops([]op{mv(0, "pan", 0), mv(0, "tilt", 20)}, ramp("pan", 0, 0, 12, 24, 36, 48, 60))
}

// tiltAt40: tilt speeds up to 40°/s by 5τ too (8°/s a tick), at 22.4°.
func tiltAt40() []op { return ramp("tilt", 0, 20, 8, 16, 24, 32, 40) }

const backoff = 100 * time.Millisecond

// estop: pan speeds up to 48°/s by 4τ, at 2.4°, an emergency stop comes
// before 5τ, tilt goes limp at it, and pan brakes at vs from 5τ on.
func estop(vs ...float64) []op {
	return ops([]op{mv(0, "pan", 0), mv(0, "tilt", 20)}, ramp("pan", 0, 0, 12, 24, 36, 48),
		[]op{stopAt(4*tick + 5*time.Millisecond), det(5*tick, "tilt")}, ramp("pan", 4*tick, 2.4, vs...))
}

func TestFaultStop(t *testing.T) {
	const x5 = 3.6 // pan at 5τ
	for _, c := range []struct {
		name string
		ops  []op
		want []string // "rule target", in any order
	}{
		{name: "its write failed at the next tick; its next angle after the backoff",
			ops:  ops(panAt60(), []op{failed(mv(6*tick, "pan", 4.8)), mv(6*tick+backoff, "pan", x5)}),
			want: []string{"fault pan"}},
		{name: "its next angle starts from rest after the backoff, and moves on",
			ops:  ops(panAt60(), []op{failed(mv(6*tick, "pan", 4.8))}, ramp("pan", 5*tick+backoff, x5, 12, 12, 0)),
			want: []string{"fault pan"}},
		{name: "the other axis driven every tick meanwhile",
			ops:  ops(panAt60(), still("tilt", 6*tick, 20, 10), []op{failed(mv(6*tick, "pan", 4.8)), mv(6*tick+backoff, "pan", x5)}),
			want: []string{"fault pan"}},
		{name: "the process ends after it",
			ops:  ops(panAt60(), []op{failed(mv(6*tick, "pan", 4.8)), end(6*tick + backoff)}),
			want: []string{"fault pan"}},
		// Its next angle within 2.5τ of its last delivered one: the same
		// angle again is the stop the failed write made.
		{name: "the same angle again a tick after the failure",
			ops:  ops(panAt60(), []op{failed(mv(6*tick, "pan", 4.8)), mv(7*tick, "pan", x5)}),
			want: []string{"fault pan"}},
		{name: "the same angle again at a late tick after the failure",
			ops:  ops(panAt60(), []op{failed(mv(6*tick, "pan", 4.8)), mv(5*tick+5*tick/2, "pan", x5)}),
			want: []string{"fault pan"}},
		// A write cut short as the loop stops is no different: the servo
		// stopped at the failure, and the next angle starts from rest.
		{name: "the next angle starts from rest",
			ops:  ops(panAt60(), []op{failed(mv(6*tick, "pan", 4.8))}, ramp("pan", 6*tick, x5, 12, 0)),
			want: []string{"fault pan"}},
		{name: "the next angle goes on with the move as if the write had gone through",
			ops: ops(panAt60(), []op{failed(mv(6*tick, "pan", 4.8)), mv(7*tick, "pan", x5+60*0.04)},
				ramp("pan", 7*tick, x5+60*0.04, 48, 36, 24, 12, 0)),
			// 2.4° from rest in τ, then 120°/s to 48°/s
			want: []string{"fault pan", "speed pan", "accel pan", "accel pan"}},
		{name: "its write failed, then the stop went through at that tick",
			ops:  ops(panAt60(), []op{failed(mv(6*tick, "pan", 4.8)), mv(6*tick, "pan", x5)}),
			want: []string{"accel pan"}}, // landed at 60°/s
		{name: "its write failed at a late tick",
			ops:  ops(panAt60(), []op{failed(mv(7*tick, "pan", 4.8)), mv(7*tick+backoff, "pan", x5)}),
			want: []string{"fault pan"}},
		{name: "a slow move's stop at the failure",
			ops: ops([]op{mv(0, "pan", 0)}, ramp("pan", 0, 0, 12), []op{failed(mv(2*tick, "pan", 0.48)), mv(tick+backoff, "pan", 0.24)})},
		{name: "a failed detach",
			ops:  ops(panAt60(), []op{failed(det(6*tick, "pan")), mv(6*tick+backoff, "pan", x5)}),
			want: []string{"fault pan"}},

		// Strict: another output's failure, or a stop at another tick.
		{name: "the other axis's failure: tilt's fault, pan's accel",
			ops:  ops(panAt60(), tiltAt40(), []op{failed(mv(6*tick, "tilt", 23.2)), mv(6*tick+backoff, "pan", x5), mv(6*tick+backoff, "tilt", 22.4)}),
			want: []string{"accel pan", "fault tilt"}},
		{name: "the other axis at rest failed",
			ops:  ops(panAt60(), []op{failed(mv(6*tick, "tilt", 20)), mv(6*tick+backoff, "pan", x5)}),
			want: []string{"accel pan"}},
		{name: "the laser's write failed",
			ops:  ops(panAt60(), []op{failed(off(6 * tick)), mv(6*tick+backoff, "pan", x5)}),
			want: []string{"accel pan"}},
		{name: "a tick left it still before its write failed",
			ops:  ops(panAt60(), []op{mv(6*tick, "tilt", 20), failed(mv(7*tick, "pan", 4.8)), mv(7*tick+backoff, "pan", x5)}),
			want: []string{"accel pan"}},
		{name: "a stall before its write failed",
			ops:  ops(panAt60(), []op{failed(mv(5*tick+5*tick/2+1, "pan", 4.8)), mv(6*tick+backoff, "pan", x5)}),
			want: []string{"late pan"}},
		{name: "driven on after the failure, then stopped dead at a tick",
			ops: ops(panAt60(), []op{failed(mv(6*tick, "pan", 4.8))}, ramp("pan", 6*tick, x5, 12, 24, 36),
				[]op{mv(10*tick, "tilt", 20), mv(11*tick, "pan", x5+1.44)}),
			want: []string{"fault pan", "accel pan"}},
		{name: "driven on after the failure, then a stall",
			ops: ops(panAt60(), []op{failed(mv(6*tick, "pan", 4.8))}, ramp("pan", 6*tick, x5, 12, 24, 36),
				[]op{mv(9*tick+backoff, "pan", x5+1.44)}),
			want: []string{"fault pan", "late pan"}},
		{name: "driven again after the backoff, then stopped dead at a tick",
			ops: ops(panAt60(), []op{failed(mv(6*tick, "pan", 4.8))}, ramp("pan", 5*tick+backoff, x5, 12, 24, 36),
				[]op{mv(9*tick+backoff, "tilt", 20), mv(12*tick+backoff, "pan", x5+1.44)}),
			want: []string{"fault pan", "accel pan"}},
		{name: "driven again after the backoff, then a stall",
			ops: ops(panAt60(), []op{failed(mv(6*tick, "pan", 4.8))}, ramp("pan", 5*tick+backoff, x5, 12, 24, 36),
				[]op{mv(12*tick+backoff, "pan", x5+1.44)}),
			want: []string{"fault pan", "late pan"}},
		// During an emergency stop, which brakes over the ticks as they
		// come: the same angle again within 2.5τ is checked as at a late
		// tick, the braking over the time since the last angle.
		{name: "emergency stop: braking at 24°/s, its write failed, the same angle 2τ later",
			ops: ops(estop(36, 24), []op{failed(mv(7*tick, "pan", 3.84)), mv(8*tick, "pan", 3.6), det(9*tick, "pan")})},
		{name: "emergency stop: braking at 36°/s, its write failed, the same angle 2τ later",
			ops:  ops(estop(36), []op{failed(mv(6*tick, "pan", 3.36)), mv(7*tick, "pan", 3.12), det(8*tick, "pan")}),
			want: []string{"fault pan"}},
		// A detach within 2.5τ leaves the servo limp, as at a late tick.
		{name: "emergency stop: its write failed, then limp at the next tick",
			ops: ops(estop(36), []op{failed(mv(6*tick, "pan", 3.36)), det(7*tick, "pan")})},
		{name: "emergency stop: its write failed, then limp after the backoff",
			ops:  ops(estop(36), []op{failed(mv(6*tick, "pan", 3.36)), det(6*tick+backoff, "pan")}),
			want: []string{"fault pan"}},
		{name: "a failure after its stop: a stop, then a failed angle from rest",
			ops: ops(panAt60(), []op{mv(6*tick, "pan", x5), failed(mv(7*tick, "pan", x5+0.24)), mv(7*tick+backoff, "pan", x5)}),
			// the landing at 60°/s; nothing of the failure
			want: []string{"accel pan"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := slices.Clone(c.ops)
			slices.SortStableFunc(o, func(a, b op) int { return cmp.Compare(a.at, b.at) })
			l := baseLimits()
			homesAt(&l, o)
			m := play(l, t0, o)
			var got []string
			for _, v := range m.Violations() {
				got = append(got, v.Rule+" "+v.Target)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(c.want))
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v\n%s", got, want, list(m))
			}
		})
	}
}

// The fault's report is at the failed write, and says what happened and
// what to look at.
func TestFaultStopReport(t *testing.T) {
	l := baseLimits()
	o := ops(panAt60(), []op{failed(mv(6*tick, "pan", 4.8)), mv(6*tick+backoff, "pan", 3.6)})
	homesAt(&l, o)
	m := play(l, t0, o)
	vs := m.Violations()
	if len(vs) != 1 {
		t.Fatalf("%d violations, want 1:\n%s", len(vs), list(m))
	}
	v := vs[0]
	if !v.Time.Equal(t0.Add(6 * tick)) {
		t.Errorf("reported at %v, want the failed write's %v", v.Time, t0.Add(6*tick))
	}
	const want = "the driver of pan failed a write while it moved at 60°/s: the servo stopped without braking; check the wiring and power (the servo HAT's supply, the I²C cable)"
	if v.Detail != want {
		t.Errorf("detail %q\nwant %q", v.Detail, want)
	}
}

// ReadTrace: the lines the envelope writes when pan's driver fails one
// write while both axes cruise (the failing axis gets nothing during the
// backoff, the other is driven every tick, braking). Pan's stop is
// "fault"; tilt, whose writes all went through, is clean.
func TestReadTraceFaultStop(t *testing.T) {
	var b strings.Builder
	line := func(at time.Duration, target string, x float64, err string) {
		fmt.Fprintf(&b, `{"kind":"output","time":%q,"target":%q,"action":"move","value":%g%s}`+"\n",
			t0.Add(at).Format(time.RFC3339Nano), target, x, err)
	}
	line(0, "pan", 0, "")
	line(0, "tilt", 20, "")
	pan, tilt := 0.0, 20.0
	var vp, vt float64
	for k := 1; k <= 5; k++ {
		vp, vt = vp+12, vt+8
		pan, tilt = pan+vp*0.02, tilt+vt*0.02
		line(ticks(k), "pan", pan, "")
		line(ticks(k), "tilt", tilt, "")
	}
	line(ticks(6), "pan", pan+vp*0.02, `,"error":"pca9685/pan: pulse: i2c: remote I/O error"`)
	for k := 6; vt > 0; k++ { // tilt brakes to rest, a tick at a time
		vt -= 8
		tilt += vt * 0.02
		line(ticks(k), "tilt", tilt, "")
	}
	line(6*tick+backoff, "pan", pan, "")
	l := baseLimits()
	l.Axes[1].Home = 20
	m := New(l)
	if err := ReadTrace(strings.NewReader(b.String()), m); err != nil {
		t.Fatal(err)
	}
	vs := m.Violations()
	// Found at the first line more than 2.5τ after pan's last angle
	// (line 12): tilt's at 8τ.
	if len(vs) != 1 || vs[0].Rule != "fault" || vs[0].Target != "pan" || !vs[0].Time.Equal(t0.Add(6*tick)) || vs[0].Line != 16 {
		t.Errorf("violations:\n%s\nwant pan's fault at 6τ, found at line 16", list(m))
		for _, v := range vs {
			t.Logf("line %d", v.Line)
		}
	}
}
