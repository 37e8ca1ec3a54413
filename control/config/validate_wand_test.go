package config

import (
	"errors"
	"strings"
	"testing"
)

// wandRig is a valid wand rig; the tests below each weaken it in one place.
const wandRig = `version: 1
hardware:
  driver: mock
  rig: wand
  axes:
    swing: {role: pan, min: -50°, max: 50°, home: 0°, speed: 150°/s, accel: 900°/s², detach_after: 300ms, duty: {max: 40s, window: 60s}}
    lift: {role: tilt, min: 0°, max: 40°, home: 10°, speed: 100°/s, accel: 600°/s², detach_after: 300ms, duty: {max: 30s, window: 60s}}
  switches:
    treat: {laser: false, max_on: 1s}
safety:
  sessions: {max_play: 5m, rest: 10m, park: {pan: 0°, tilt: 0°}}
commands:
  - {name: left, aliases: [左], do: {move: swing, by: -10°}}
`

func TestWandRig(t *testing.T) {
	f, err := Parse("w.yaml", []byte(wandRig))
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind() != RigWand {
		t.Errorf("Kind = %q", f.Kind())
	}
	if p, tl := f.AimAxes(); p != "swing" || tl != "lift" {
		t.Errorf("AimAxes = %q, %q", p, tl)
	}
	if f.Hardware.Axes["swing"].Duty.Max.D().Seconds() != 40 {
		t.Errorf("duty %+v", f.Hardware.Axes["swing"].Duty)
	}
	l, err := Parse("r.yaml", []byte(rig))
	if err != nil || l.Kind() != RigLaser {
		t.Errorf("laser rig: Kind %q, %v", l.Kind(), err)
	}
}

// TestWandRefusals: a wand rig without its lever-arm limits, or with a
// laser, is refused at the key, with file:line:col.
func TestWandRefusals(t *testing.T) {
	cases := []struct {
		name     string
		from, to string
		want     []string
	}{
		{"a laser on a wand", "treat: {laser: false", "treat: {laser: true",
			[]string{`w.yaml:9:20: hardware.switches.treat.laser: a wand rig has no laser`,
				"w.yaml:11:3: safety.ceiling: a laser needs a ceiling"}},
		{"no accel", ", accel: 900°/s²", "",
			[]string{"w.yaml:6:12: hardware.axes.swing.accel: a wand needs an acceleration limit"}},
		{"accel too high", "accel: 900°/s²", "accel: 5000°/s²",
			[]string{"w.yaml:6:77: hardware.axes.swing.accel: accel 5000°/s² too high for a wand"}},
		{"too fast", "speed: 150°/s", "speed: 400°/s",
			[]string{"w.yaml:6:62: hardware.axes.swing.speed: speed 400°/s too fast for a wand"}},
		{"no duty", ", duty: {max: 40s, window: 60s}", "",
			[]string{"w.yaml:6:12: hardware.axes.swing: a wand axis needs a duty limit"}},
		{"duty window not longer", "{max: 40s, window: 60s}", "{max: 40s, window: 40s}",
			[]string{"w.yaml:6:132: hardware.axes.swing.duty.window: duty window 40s must be longer than max 40s"}},
		{"duty max too short", "{max: 40s, window: 60s}", "{max: 1s, window: 60s}",
			[]string{"w.yaml:6:119: hardware.axes.swing.duty.max: duty max 1s too short for this axis"}},
		{"holds on when caught", "detach_after: 300ms, duty: {max: 40s", "detach_after: 5s, duty: {max: 40s",
			[]string{"w.yaml:6:100: hardware.axes.swing.detach_after: detach_after 5s too long for a wand"}},
		{"unknown rig", "rig: wand", "rig: broom",
			[]string{`w.yaml:4:8: hardware.rig: unknown rig "broom"`}},
		{"laser rig without a laser", "rig: wand", "rig: laser",
			[]string{"w.yaml:4:8: hardware.rig: rig: laser but no switch has laser: true"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(wandRig, c.from, c.to, 1)
			if src == wandRig {
				t.Fatalf("%q not in the rig", c.from)
			}
			_, err := Parse("w.yaml", []byte(src))
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("err = %v, want Errors", err)
			}
			if len(es) != len(c.want) {
				t.Errorf("%d problems, want %d:\n%v", len(es), len(c.want), err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("missing %q in:\n%v", w, err)
				}
			}
		})
	}
}
