package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestShippedRulesLoad(t *testing.T) {
	f, err := Load("../../rules.yaml")
	if err != nil {
		t.Fatalf("rules.yaml: %v", err)
	}
	if got := f.Hardware.Axes["pan"].Speed; got != 90 {
		t.Errorf("pan speed = %v, want 90", got)
	}
	if got := f.Hardware.Switches["laser"].MaxOn.D().Seconds(); got != 20 {
		t.Errorf("laser max_on = %vs, want 20", got)
	}
	if len(f.Commands) < 10 {
		t.Errorf("only %d commands", len(f.Commands))
	}
	if *f.Commands[0].Do.By != -5 {
		t.Errorf("left moves by %v", *f.Commands[0].Do.By)
	}
}

const minimal = `
hardware:
  driver: mock
  axes:
    pan: {min: -10°, max: 10°, speed: 90°/s}
  switches:
    lamp: {laser: false, max_on: 5s}
commands:
  - name: left
    aliases: [左]
    do: {move: pan, by: -5°}
`

func TestDefaults(t *testing.T) {
	f, err := Parse("m.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if f.Play.Policy != "queue" || f.Play.QueueSize != DefaultQueueSize || f.Limits.MaxRepeat != 5 {
		t.Errorf("defaults not applied: %+v %+v", f.Play, f.Limits)
	}
	if s := f.Hardware.Axes["pan"].Servo; s.PulseMin.D().Microseconds() != 1000 || *s.AngleMax != 90 {
		t.Errorf("servo defaults: %+v", s)
	}
	if len(f.Limits.Bypass) != 2 {
		t.Errorf("bypass default: %v", f.Limits.Bypass)
	}
}

func TestErrorsHavePositions(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string // each must appear in the output, in this order
	}{
		{"unknown key", minimal + "colour: red\n", []string{"x.yaml:12:1: top level: unknown key \"colour\""}},
		{"nested unknown key", strings.Replace(minimal, "speed: 90°/s", "sped: 90°/s", 1),
			[]string{`x.yaml:5:32: hardware.axes.pan: unknown key "sped"`}},
		{"bad unit", strings.Replace(minimal, "-10°", "-10", 1),
			[]string{`x.yaml:5:16: hardware.axes.pan.min: bad angle "-10"`}},
		{"bad duration", strings.Replace(minimal, "5s", "5", 1),
			[]string{`x.yaml:7:34: hardware.switches.lamp.max_on: bad duration "5"`}},
		{"wrong type", strings.Replace(minimal, "driver: mock", "driver: [mock]", 1),
			[]string{"x.yaml:3:11: hardware.driver: expected a single value"}},
		{"several at once",
			strings.Replace(strings.Replace(minimal, "-10°", "-10x", 1), "aliases", "alias", 1),
			[]string{`x.yaml:5:16: hardware.axes.pan.min: bad angle "-10x"`, `x.yaml:10:5: commands[0]: unknown key "alias"`}},
		{"semantic", strings.Replace(minimal, "pan, by", "tilt, by", 1),
			[]string{`x.yaml:11:16: commands[0].do.move: unknown axis "tilt"`}},
		{"min above max", strings.Replace(minimal, "min: -10°, max: 10°", "min: 10°, max: -10°", 1),
			[]string{"x.yaml:5:26: hardware.axes.pan.max: max -10° must be above min 10°"}},
		{"syntax", "hardware: [\n", []string{"x.yaml:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(c.yaml))
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("err = %v (%T), want Errors", err, err)
			}
			out := es.Error()
			at := 0
			for _, w := range c.want {
				i := strings.Index(out[at:], w)
				if i < 0 {
					t.Fatalf("missing %q in:\n%s", w, out)
				}
				at += i + len(w)
			}
		})
	}
}

func TestUnitParsing(t *testing.T) {
	good := map[string]float64{"10°": 10, "-7.5°": -7.5, "3deg": 3}
	for s, want := range good {
		if got, err := ParseAngle(s); err != nil || float64(got) != want {
			t.Errorf("ParseAngle(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"10", "°", "NaN°", "Inf°", "10 degrees", ""} {
		if _, err := ParseAngle(s); err == nil {
			t.Errorf("ParseAngle(%q) accepted", s)
		}
	}
	if v, err := ParseSpeed("120°/s"); err != nil || v != 120 {
		t.Errorf("ParseSpeed: %v %v", v, err)
	}
	if v, err := ParseAccel("600°/s²"); err != nil || v != 600 {
		t.Errorf("ParseAccel: %v %v", v, err)
	}
	if _, err := ParseSpeed("-1°/s"); err == nil {
		t.Error("negative speed accepted")
	}
	if d, err := ParseDuration("1.5ms"); err != nil || d.D().Microseconds() != 1500 {
		t.Errorf("ParseDuration: %v %v", d, err)
	}
	if d, err := ParseDuration("500µs"); err != nil || d.D().Microseconds() != 500 {
		t.Errorf("ParseDuration µs: %v %v", d, err)
	}
	for _, s := range []string{"30", "-1s", "1.5"} {
		if _, err := ParseDuration(s); err == nil {
			t.Errorf("ParseDuration(%q) accepted", s)
		}
	}
	if f, err := ParseFrequency("25MHz"); err != nil || f != 25e6 {
		t.Errorf("ParseFrequency: %v %v", f, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte("hardware: {axes: {pan: {min: 1°}}}"))
	f.Add([]byte("commands: [{do: {move: x, by: 1°}}]\nsequences: {a: [{wait: 1s}]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("f.yaml", data)
		if (cfg == nil) == (err == nil) {
			t.Fatalf("cfg %v and err %v", cfg, err)
		}
	})
}

func TestSafetySection(t *testing.T) {
	ok := `
hardware:
  driver: mock
  axes:
    pan: {role: pan, min: -10°, max: 10°, speed: 90°/s}
    tilt: {role: tilt, min: 5°, max: 40°, home: 20°, speed: 90°/s}
  switches:
    laser: {laser: true, max_on: 5s}
commands:
  - name: left
    aliases: [左]
    do: {move: pan, by: -5°}
safety:
  ceiling: 45°
  keep_out: [{name: tv, pan: [5°, 10°], tilt: [30°, 40°]}]
  daily_laser: 20m
  timezone: Asia/Shanghai
  sessions: {max_play: 10m, rest: 20m, quiet_hours: "23:00-08:00", park: {pan: 0°, tilt: 8°}}
  autoplay: {after: 45s, patterns: [circle], laser: true}
`
	f, err := Parse("s.yaml", []byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	if q := f.Safety.Sessions.QuietHours; q.From.Hours() != 23 || q.To.Hours() != 8 {
		t.Errorf("quiet hours %+v", q)
	}
	if !f.Hardware.Switches["laser"].IsLaser("laser") || f.Safety.DwellCap.D().Seconds() != 5 {
		t.Errorf("defaults: laser flag / dwell cap")
	}
	bad := []struct{ from, to, want string }{
		{`"23:00-08:00"`, `"23:00"`, `bad quiet hours "23:00"`},
		{"[5°, 10°], tilt: [30°, 40°]", "[-5°, 5°], tilt: [10°, 30°]", "home (0°, 20°) lies inside this zone"},
		{"[circle]", "[circle, moonwalk]", `unknown pattern "moonwalk"`},
		{"ceiling: 45°", "ceiling: 15°", "ceiling 15° leaves tilt home 20° above the usable tilt max 14.99°"},
		{"Asia/Shanghai", "Mars/Olympus", `unknown time zone "Mars/Olympus"`},
		{"rest: 20m", "rest: 0s", "a session length needs a rest"},
	}
	for _, c := range bad {
		_, err := Parse("s.yaml", []byte(strings.Replace(ok, c.from, c.to, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s → %s: err = %v, want %q", c.from, c.to, err, c.want)
		}
	}
}

// TestEveryProblemInOnePass: a file with mistakes of every kind (unknown
// keys, units, shapes, references, duplicates, safety) gets all of them
// reported at once, sorted by position, and nothing else: no consequence
// of a value that did not decode is reported as a second problem.
func TestEveryProblemInOnePass(t *testing.T) {
	_, err := Load("testdata/many_mistakes.yaml")
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("err = %v (%T), want Errors", err, err)
	}
	const file = "testdata/many_mistakes.yaml"
	want := []string{
		file + `:7:43: hardware.axes.pan: unknown key "colour"`,
		file + `:10:34: hardware.switches.laser.max_on: bad duration "20"`,
		file + `:11:12: hardware.switches.treat: say whether "treat" is a laser`,
		file + `:14:12: safety.ceiling: ceiling 95° at or above the horizon`,
		file + `:15:21: safety.autoplay.after: autoplay.after 1m0s must be shorter than dead_man 1m0s`,
		file + `:18:32: commands[1].aliases[1]: command "right": alias "l" (normalized "l") is also alias "l" of command "left"`,
		file + `:19:12: commands[2].name: command name "left" is used twice (#0 and #2)`,
		file + `:20:47: commands[3].do.switch: unknown switch "lazer"`,
		file + `:21:49: commands[4].do.sequence: unknown sequence "circle"`,
		file + `:22:25: commands[5].aliases: expected a list, found "上"`,
		file + `:26:14: sequences.wave[0].move: unknown axis "tiltt"`,
		file + `:27:14: sequences.wave[1].wait: bad duration "300"`,
	}
	got := strings.Split(es.Error(), "\n")
	if len(got) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(got), len(want), es.Error())
	}
	for i, w := range want {
		if i >= len(got) || !strings.HasPrefix(got[i], w) {
			t.Errorf("problem %d:\n got %q\nwant %q…", i, at(got, i), w)
		}
	}
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// TestHugeMappingRefusedUndecoded: a mapping of more names than
// MaxMapEntries is refused by the walker, before the YAML decoder, whose
// duplicate-key check takes time growing with the square of the names.
func TestHugeMappingRefusedUndecoded(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nsequences:\n")
	for i := range 40_000 {
		fmt.Fprintf(&b, "  s%d: [{wait: 1s}]\n", i)
	}
	_, err := Parse("r.yaml", []byte(b.String()))
	var es Errors
	// One problem only: decoding, and the checks after it that would
	// find more (no hardware here), never ran.
	if !errors.As(err, &es) || len(es) != 1 || !strings.Contains(es[0].Error(), "sequences: 40000 names, more than 2048") {
		t.Fatalf("%v", err)
	}
}

// TestCalibrationZeroIsWritten: angle_min: 0° is a measured angle (a tilt
// servo whose pulse_min points straight down), not a missing key: read as
// the -90° default it would put the ceiling and the zones tens of degrees
// off, and check would not see it.
func TestCalibrationZeroIsWritten(t *testing.T) {
	src := strings.Replace(minimal, "pan: {min: -10°, max: 10°, speed: 90°/s}", "pan: {min: 5°, max: 40°, home: 20°, speed: 90°/s, servo: {pulse_min: 500µs, pulse_max: 1500µs, angle_min: 0°, angle_max: 90°}}", 1)
	if src == minimal {
		t.Fatal("the pan axis is not where the test expects it")
	}
	f, err := Parse("m.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c := f.Hardware.Axes["pan"].Calibration()
	if c.AngleMin != 0 || c.AngleMax != 90 {
		t.Errorf("calibration %+v: want 0° to 90°", c)
	}
	src = strings.Replace(minimal, "pan: {min: -10°, max: 10°, speed: 90°/s}", "pan: {min: -10°, max: 0°, speed: 90°/s, servo: {angle_min: -60°, angle_max: 0°}}", 1)
	if f, err = Parse("m.yaml", []byte(src)); err != nil {
		t.Fatal(err)
	}
	if c := f.Hardware.Axes["pan"].Calibration(); c.AngleMin != -60 || c.AngleMax != 0 {
		t.Errorf("calibration %+v: want -60° to 0°", c)
	}
}
