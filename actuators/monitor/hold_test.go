package monitor

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// The hold: where the servos are is unknown at a process's start and
// after a detach during the hold, until each is homed; on a rig with a
// laser no laser is lit until every axis is homed and settle has passed
// since the latest homing, and until then every angle is home.

// settle is the shipped rig's: pan's 90° at 90°/s and 600°/s², 1.15 s.
const settle = 1150 * time.Millisecond

// withHold turns the hold on (baseLimits leaves it out).
func withHold(l *Limits) { l.noHold = false }

// homing homes both axes of baseLimits at at.
func homing(at time.Duration) []op { return []op{mv(at, "pan", 0), mv(at, "tilt", 20)} }

func TestSettleFromTheLimits(t *testing.T) {
	axis := func(min, max, v, a float64) AxisLimits { return AxisLimits{Min: min, Max: max, Speed: v, Accel: a} }
	for _, c := range []struct {
		name string
		axes []AxisLimits
		want float64
	}{
		{"the shipped rig: pan's whole range", baseLimits().Axes, 1.15},
		{"tilt alone: 35° at 60°/s, 400°/s²", baseLimits().Axes[1:], 35.0/60 + 60.0/400},
		{"no acceleration limit: d/v", []AxisLimits{axis(-45, 45, 90, 0)}, 1},
		{"a range too short to reach full speed: 2·√(d/a)", []AxisLimits{axis(0, 5, 90, 600)}, 2 * math.Sqrt(5.0/600)},
		{"full speed just reached: d = v²/a", []AxisLimits{axis(0, 13.5, 90, 600)}, 0.3},
		{"no axes", nil, 0},
	} {
		if got := (Limits{Axes: c.axes}).settle(); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: settle %v s, want %v s", c.name, got, c.want)
		}
	}
}

func TestHold(t *testing.T) {
	noLaser := func(l *Limits) { withHold(l); l.Switches = []SwitchLimits{{Name: "treat"}} }
	stopped := []op{stopAt(100 * time.Millisecond), det(120*time.Millisecond, "pan"), det(120*time.Millisecond, "tilt"),
		resumeAt(500 * time.Millisecond)}
	const rehome = 520 * time.Millisecond
	// Held at home for a settle, then lit, and a move from home at rest
	// within pan's acceleration (12°/s a tick).
	legit := ops(homing(0), homing(tick), homing(settle/2), []op{on(settle)}, homing(settle),
		ramp("pan", settle, 0, 12, 24, 12, 0), []op{off(settle + 10*tick)})
	// The same moves on a rig whose switch is no laser (a wand's treat).
	wandMoves := ops(homing(0), []op{{tick, "treat", "switch", 1}}, ramp("pan", 0, 0, 12, 24, 12, 0),
		[]op{det(200*time.Millisecond, "pan")}, ramp("pan", 200*time.Millisecond, 0.96, 12, 0))
	runCases(t, []ruleCase{
		{name: "homed, held a settle, then lit and moving", lim: withHold, keepHomes: true, ops: legit},
		{name: "lit at the end of the settle, less the 1ns leeway", lim: withHold, keepHomes: true,
			ops: ops(homing(0), []op{on(settle - time.Nanosecond)})},
		{name: "lit 2ns before the end of the settle", lim: withHold, keepHomes: true,
			ops: ops(homing(0), []op{on(settle - 2*time.Nanosecond)}), want: []string{"hold"}},
		{name: "lit with the homing", lim: withHold, keepHomes: true,
			ops: ops(homing(0), []op{on(0)}), want: []string{"hold"}},
		{name: "lit a tick after the homing", lim: withHold, keepHomes: true,
			ops: ops(homing(0), []op{on(tick), off(time.Second)}), want: []string{"hold"}},
		{name: "lit with an axis never homed", lim: withHold, keepHomes: true,
			ops: []op{mv(0, "pan", 0), on(2 * s)}, want: []string{"hold"}},
		{name: "lit after a failed homing", lim: withHold, keepHomes: true,
			ops: []op{failed(mv(0, "pan", 0)), mv(0, "tilt", 20), on(2 * s)}, want: []string{"hold"}},
		{name: "a move after a failed homing jumps from where the servo was", lim: withHold, keepHomes: true,
			ops: []op{failed(mv(0, "pan", 0)), mv(0, "tilt", 20), mv(2*s, "pan", 5)}, want: []string{"home"}},
		{name: "homed again after the fault's backoff: the hold counts from it", lim: withHold, keepHomes: true,
			ops: []op{failed(mv(0, "pan", 0)), mv(0, "tilt", 20), mv(rehome, "pan", 0), on(rehome + settle)}},
		{name: "homed again after the fault's backoff, lit a settle after the failed one", lim: withHold, keepHomes: true,
			ops:  []op{failed(mv(0, "pan", 0)), mv(0, "tilt", 20), mv(rehome, "pan", 0), on(settle)},
			want: []string{"hold"}},
		{name: "a move during the hold", lim: withHold, keepHomes: true,
			ops: ops(homing(0), []op{mv(500*time.Millisecond, "pan", 0.24)}), want: []string{"hold"}},
		{name: "a move before the other axis is homed", lim: withHold, keepHomes: true,
			ops: []op{mv(0, "pan", 0), mv(tick, "pan", 0.24)}, want: []string{"hold"}},
		{name: "a move at the end of the settle", lim: withHold, keepHomes: true,
			ops: ops(homing(0), []op{mv(settle, "pan", 0.24)})},
		{name: "detached by a stop during the hold, resumed, moved without homing", lim: withHold, keepHomes: true,
			ops:  ops(homing(0), stopped, []op{mv(rehome, "pan", 0.24), mv(rehome, "tilt", 20.24)}),
			want: []string{"home", "home"}},
		{name: "detached by a stop during the hold, resumed, homed again and lit a settle after", lim: withHold, keepHomes: true,
			ops: ops(homing(0), stopped, homing(rehome), []op{on(rehome + settle)})},
		{name: "detached by a stop during the hold, resumed, homed again and lit a settle after the first homing", lim: withHold, keepHomes: true,
			ops: ops(homing(0), stopped, homing(rehome), []op{on(settle)}), want: []string{"hold"}},
		{name: "detached by a stop during the hold, homed before the resume", lim: withHold, keepHomes: true,
			ops: ops(homing(0), []op{stopAt(100 * time.Millisecond), det(120*time.Millisecond, "pan"), det(120*time.Millisecond, "tilt"),
				mv(200*time.Millisecond, "pan", 0)}),
			want: []string{"stop"}},
		{name: "detached during the hold without a stop, then moved", lim: withHold, keepHomes: true,
			ops: ops(homing(0), []op{det(100*time.Millisecond, "pan"), mv(2*s, "pan", 1)}), want: []string{"hold", "home"}},
		{name: "detached after the hold: still known, but the laser waits settle (limp)", lim: withHold, keepHomes: true,
			ops: ops(homing(0), []op{det(2*s, "pan"), mv(3*s, "pan", 0.24), on(3*s + settle)})},
		{name: "a restart holds again", lim: withHold, keepHomes: true,
			ops:  ops(homing(0), []op{on(settle), off(2 * s), restart(3*s, true)}, homing(3*s), []op{on(3*s + tick)}),
			want: []string{"hold"}},
		{name: "a wand rig has no hold", lim: noLaser, keepHomes: true, ops: wandMoves},
		// pan moves in the hold (one report for the axis), is detached in
		// it with no stop, and its next angle is a homing away from home;
		// the one after moves in the hold that homing starts.
		{name: "the same moves on a laser rig", lim: withHold, keepHomes: true, ops: wandMoves,
			want: []string{"hold", "hold", "home", "hold"}},
	})
}

// ReadTrace reads a line's "error" as an output not delivered.
func TestReadTraceFailedHoming(t *testing.T) {
	const trace = `{"kind":"restart","time":"2026-11-29T10:00:00Z","keep_state":true}
{"kind":"output","time":"2026-11-29T10:00:00Z","target":"pan","action":"move","value":0%s}
{"kind":"output","time":"2026-11-29T10:00:00Z","target":"tilt","action":"move","value":20}
{"kind":"output","time":"2026-11-29T10:00:02Z","target":"laser","action":"switch","value":1}
`
	for _, c := range []struct {
		err  string
		want []string
	}{{"", nil}, {`,"error":"pca9685: i2c: remote I/O error"`, []string{"hold"}}} {
		l := baseLimits()
		withHold(&l)
		m := New(l)
		if err := ReadTrace(strings.NewReader(strings.Replace(trace, "%s", c.err, 1)), m); err != nil {
			t.Fatal(err)
		}
		if got := rules(m); !slices.Equal(got, c.want) {
			t.Errorf("homing %q: %v, want %v\n%s", c.err, got, c.want, list(m))
		}
	}
}

// A park in quiet hours after a process's start counts from the end of
// the hold, which delays it: the servos are held at home until then.
func TestQuietParkAfterTheHold(t *testing.T) {
	quiet := func(l *Limits) { withHold(l); l.Sessions.QuietFrom, l.Sessions.QuietTo = 23*time.Hour, 8*time.Hour }
	l := baseLimits()
	park := l.park(DefaultTick) // 1.38 s
	night := time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC)
	evening := time.Date(2026, 11, 28, 23, 0, 0, 0, time.UTC).Add(-time.Second / 2) // quiet hours half a second in
	const later = 10 * time.Second
	stopped := []op{stopAt(100 * time.Millisecond), det(120*time.Millisecond, "pan"), det(120*time.Millisecond, "tilt"),
		resumeAt(later - tick)}
	runCases(t, []ruleCase{
		{name: "born in quiet hours: parks a park's time after the hold", lim: quiet, keepHomes: true, start: night,
			ops: ops(homing(0), []op{mv(settle+park-time.Nanosecond, "pan", 0.1)})},
		{name: "born in quiet hours: then holds still", lim: quiet, keepHomes: true, start: night,
			ops: ops(homing(0), []op{mv(settle+park, "pan", 0.1)}), want: []string{"quiet_hours"}},
		{name: "quiet hours start during the hold", lim: quiet, keepHomes: true, start: evening,
			ops: ops(homing(0), []op{mv(settle+park-time.Nanosecond, "pan", 0.1)})},
		{name: "homed again after a stop during the hold", lim: quiet, keepHomes: true, start: night,
			ops: ops(homing(0), stopped, homing(later), []op{mv(later+settle+park-time.Nanosecond, "pan", 0.1)})},
		{name: "a wand rig counts from its start", keepHomes: true, start: night,
			lim: func(l *Limits) { quiet(l); l.Switches = nil },
			ops: ops(homing(0), []op{mv(park, "pan", 0.1)}), want: []string{"quiet_hours"}},
	})
}
