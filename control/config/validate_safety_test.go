package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cattease/cattease/actuators/pca9685"
)

// rig is a valid laser rig; the tests below each weaken it in one place.
// Line numbers matter: the expected messages carry them.
const rig = `version: 1
hardware:
  driver: mock
  axes:
    pan: {role: pan, min: -45°, max: 45°, home: 0°}
    tilt: {role: tilt, min: 5°, max: 40°, home: 20°}
  switches:
    laser: {laser: true, max_on: 20s}
    treat: {laser: false, max_on: 1s}
safety:
  dead_man: 60s
  ceiling: 42°
  keep_out: [{name: tv, pan: [20°, 30°], tilt: [30°, 38°]}]
  sessions: {max_play: 10m, rest: 20m, park: {pan: 0°, tilt: 8°}, treat: treat}
  autoplay: {after: 45s, patterns: [circle], laser: true}
commands:
  - {name: left, aliases: [左], do: {move: pan, by: -5°}}
  - {name: far, aliases: [远], do: {move: tilt, to: 38°}}
sequences:
  peek:
    - {move: tilt, to: 30°}
`

func TestRigIsValid(t *testing.T) {
	f, err := Parse("r.yaml", []byte(rig))
	if err != nil {
		t.Fatal(err)
	}
	if p, tl := f.AimAxes(); p != "pan" || tl != "tilt" {
		t.Errorf("AimAxes = %q, %q", p, tl)
	}
	if got := *f.Safety.DwellRadius; got != DefaultDwellRadius {
		t.Errorf("dwell_radius default %v", got)
	}
	if got := f.Safety.DwellCap.D().Seconds(); got != 5 {
		t.Errorf("dwell_cap default %vs", got)
	}
	if got := f.Safety.DailyLaser.D().Minutes(); got != 20 {
		t.Errorf("daily_laser default %vm", got)
	}
}

// TestSafetyRefusals: every way of weakening eye protection is refused at
// the key that does it (or its closest written parent).
func TestSafetyRefusals(t *testing.T) {
	cases := []struct {
		name     string
		from, to string
		want     []string
	}{
		{"no ceiling", "  ceiling: 42°\n", "",
			[]string{"r.yaml:11:3: safety.ceiling: a laser needs a ceiling"}},
		{"ceiling at the horizon", "ceiling: 42°", "ceiling: 90°",
			[]string{"r.yaml:12:12: safety.ceiling: ceiling 90° at or above the horizon (90°"}},
		{"ceiling above the horizon", "ceiling: 42°", "ceiling: 120°",
			[]string{"r.yaml:12:12: safety.ceiling: ceiling 120° at or above the horizon"}},
		{"no roles", "{role: pan, min: -45°", "{min: -45°",
			[]string{"r.yaml:5:5: hardware.axes: a laser needs one axis with role: pan and one with role: tilt: write role: pan / role: tilt on the axes"}},
		{"aim without roles", "  dead_man: 60s\n", "  dead_man: 60s\n  aim: {pan: pan, tilt: tilt}\n",
			nil}, // valid: aim agrees with the roles
		{"aim swapped", "  dead_man: 60s\n", "  dead_man: 60s\n  aim: {pan: tilt, tilt: pan}\n",
			[]string{`r.yaml:12:14: safety.aim.pan: aim pan is "tilt" but the axis with role: pan is "pan"`,
				`r.yaml:12:26: safety.aim.tilt: aim tilt is "pan" but the axis with role: tilt is "tilt"`}},
		{"two pan axes", "{role: tilt, min: 5°", "{role: pan, min: 5°",
			[]string{`r.yaml:6:18: hardware.axes.tilt.role: role pan is given to both "pan" and "tilt"`,
				"r.yaml:5:5: hardware.axes: a laser needs one axis with role: pan and one with role: tilt"}},
		{"unknown role", "{role: tilt, min: 5°", "{role: yaw, min: 5°",
			[]string{`r.yaml:6:18: hardware.axes.tilt.role: unknown role "yaw"`}},
		{"switch says nothing", "treat: {laser: false, max_on: 1s}", "treat: {max_on: 1s}",
			[]string{`r.yaml:9:12: hardware.switches.treat: say whether "treat" is a laser: write laser: true or laser: false`}},
		{"laser: false is allowed", "laser: {laser: true, max_on: 20s}", "laser: {laser: false, max_on: 20s}", nil},
		{"dwell cap off", "  dead_man: 60s\n", "  dead_man: 60s\n  dwell_cap: 0s\n",
			[]string{"r.yaml:12:14: safety.dwell_cap: a laser needs a dwell cap"}},
		{"daily laser off", "  dead_man: 60s\n", "  dead_man: 60s\n  daily_laser: 0s\n",
			[]string{"safety.daily_laser: a laser needs a daily budget: with 0 it could be lit all day"}},
		{"daily laser negative", "  dead_man: 60s\n", "  dead_man: 60s\n  daily_laser: -1m\n",
			[]string{`safety.daily_laser: bad duration "-1m": must not be negative`}},
		// max_on 20s, cooldown 20s: the light budget alone allows 12h a day.
		{"daily laser a day", "  dead_man: 60s\n", "  dead_man: 60s\n  daily_laser: 24h\n",
			[]string{"safety.daily_laser: daily_laser 24h0m0s caps nothing: the lasers' max_on and cooldown already allow at most 12h0m0s lit a day"}},
		{"daily laser the light budget's", "  dead_man: 60s\n", "  dead_man: 60s\n  daily_laser: 12h\n",
			[]string{"safety.daily_laser: daily_laser 12h0m0s caps nothing"}},
		{"daily laser under the light budget's", "  dead_man: 60s\n", "  dead_man: 60s\n  daily_laser: 11h59m\n", nil},
		{"laser hardly rests", "laser: {laser: true, max_on: 20s}", "laser: {laser: true, max_on: 10m, cooldown: 1ms}",
			[]string{"hardware.switches.laser.cooldown: a laser's cooldown 1ms is under half its max_on 10m0s: its light budget would allow it lit nearly all the time; rest at least 5m0s"}},
		{"laser rests half as long", "laser: {laser: true, max_on: 20s}", "laser: {laser: true, max_on: 20s, cooldown: 10s}", nil},
		{"laser no cooldown written", "laser: {laser: true, max_on: 20s}", "laser: {laser: true, max_on: 10m}", nil}, // defaults to max_on
		{"treat needs no rest", "treat: {laser: false, max_on: 1s}", "treat: {laser: false, max_on: 1s, cooldown: 0s}", nil},
		{"dwell radius zero", "  dead_man: 60s\n", "  dead_man: 60s\n  dwell_radius: 0°\n",
			[]string{"r.yaml:12:17: safety.dwell_radius: dwell_radius 0° outside (0°, 10°] (the angle the beam turns)"}},
		{"dwell radius negative", "  dead_man: 60s\n", "  dead_man: 60s\n  dwell_radius: -1°\n",
			[]string{"r.yaml:12:17: safety.dwell_radius: dwell_radius -1° outside (0°, 10°] (the angle the beam turns)"}},
		{"dwell radius too wide", "  dead_man: 60s\n", "  dead_man: 60s\n  dwell_radius: 10.5°\n",
			[]string{"r.yaml:12:17: safety.dwell_radius: dwell_radius 10.5° outside (0°, 10°] (the angle the beam turns)"}},
		{"dwell radius 10°", "  dead_man: 60s\n", "  dead_man: 60s\n  dwell_radius: 10°\n", nil},
		{"keep-out margin negative", "  dead_man: 60s\n", "  dead_man: 60s\n  keep_out_margin: -0.5°\n",
			[]string{"r.yaml:12:20: safety.keep_out_margin: keep_out_margin -0.5° outside [0°, 10°) (the angle the beam turns)"}},
		{"keep-out margin 10°", "  dead_man: 60s\n", "  dead_man: 60s\n  keep_out_margin: 10°\n",
			[]string{"r.yaml:12:20: safety.keep_out_margin: keep_out_margin 10° outside [0°, 10°) (the angle the beam turns)"}},
		{"keep-out margin grows over home", "  dead_man: 60s\n", "  dead_man: 60s\n  keep_out_margin: 9.5°\n",
			nil}, // home (0°, 20°) stays below tv grown to tilt (20.5°, 47.5°), pan (−8.1°, 58.1°)
		// The margin is the angle the beam turns: near straight down a
		// degree of pan is a fraction of a degree of beam, and the zone
		// grows by far more pan than margin, as the envelope grows it.
		{"keep-out margin near straight down grows over home",
			"keep_out: [{name: tv, pan: [20°, 30°], tilt: [30°, 38°]}]",
			"keep_out: [{name: bowl, pan: [10°, 20°], tilt: [10°, 19°]}]\n  keep_out_margin: 2°",
			[]string{"r.yaml:13:14: safety.keep_out[0]: home (0°, 20°) lies inside this zone grown by keep_out_margin 2° (the angle the beam turns) to pan [-4.522680951°, 34.522680951°], tilt [8°, 21°]"}},
		{"keep-out margin reaching straight down grows over home",
			"keep_out: [{name: tv, pan: [20°, 30°], tilt: [30°, 38°]}]",
			"keep_out: [{name: bowl, pan: [10°, 20°], tilt: [14°, 19°]}]\n  keep_out_margin: 9.5°",
			[]string{"r.yaml:13:14: safety.keep_out[0]: home (0°, 20°) lies inside this zone grown by keep_out_margin 9.5° (the angle the beam turns): it comes within the margin of straight down, so it covers every pan from tilt -28.5° to 28.5°"}},
		// A beam has other names: a dot leaning back past straight down
		// aims where one half a turn of pan away does, and a dot a full
		// turn of pan away where the dot itself does. Home is refused in
		// a zone under any name.
		{"home aims into a zone leaning back",
			"keep_out: [{name: tv, pan: [20°, 30°], tilt: [30°, 38°]}]",
			"keep_out: [{name: bed, pan: [170°, 190°], tilt: [-25°, -15°]}]",
			[]string{`r.yaml:13:14: safety.keep_out[0]: home (0°, 20°) points into zone "bed": leaning back past straight down, it aims where (180°, -20°) does, inside the zone (grown by keep_out_margin 0°)`}},
		{"home aims into a zone leaning back, margin",
			"keep_out: [{name: tv, pan: [20°, 30°], tilt: [30°, 38°]}]",
			"keep_out: [{name: bed, pan: [182°, 190°], tilt: [-25°, -21°]}]\n  keep_out_margin: 2.5°",
			[]string{`r.yaml:13:14: safety.keep_out[0]: home (0°, 20°) points into zone "bed": leaning back past straight down, it aims where (180°, -20°) does, inside the zone (grown by keep_out_margin 2.5°)`}},
		{"home aims into a zone a turn away",
			"keep_out: [{name: tv, pan: [20°, 30°], tilt: [30°, 38°]}]",
			"keep_out: [{name: lamp, pan: [350°, 370°], tilt: [15°, 25°]}]",
			[]string{`r.yaml:13:14: safety.keep_out[0]: home (0°, 20°) points into zone "lamp": a full turn away, it aims where (360°, 20°) does, inside the zone (grown by keep_out_margin 0°)`}},
		{"a zone's other name out of reach",
			"keep_out: [{name: tv, pan: [20°, 30°], tilt: [30°, 38°]}]",
			"keep_out: [{name: bed, pan: [170°, 190°], tilt: [15°, 25°]}]", nil}, // its mirror leans back: tilt [−25°, −15°]
		{"keep-out margin 0 near straight down", "keep_out: [{name: tv, pan: [20°, 30°], tilt: [30°, 38°]}]",
			"keep_out: [{name: bowl, pan: [10°, 20°], tilt: [10°, 19°]}]", nil},
		{"autoplay after dead man", "after: 45s", "after: 60s",
			[]string{"r.yaml:15:21: safety.autoplay.after: autoplay.after 1m0s must be shorter than dead_man 1m0s"}},
		{"autoplay long after dead man", "after: 45s", "after: 2m",
			[]string{"r.yaml:15:21: safety.autoplay.after: autoplay.after 2m0s must be shorter than dead_man 1m0s"}},
		// The envelope keeps the tilt CeilingMargin below the ceiling:
		// home at 20° needs a ceiling above 20.01°.
		{"home within the margin", "ceiling: 42°", "ceiling: 20.005°",
			[]string{"r.yaml:12:12: safety.ceiling: ceiling 20.005° leaves tilt home 20° above the usable tilt max 19.995°",
				"r.yaml:18:52: commands[1].do.to: target 38° above the usable tilt max 19.995°",
				"r.yaml:21:24: sequences.peek[0].to: target 30° above the usable tilt max 19.995°"}},
		{"target above the usable max", "ceiling: 42°", "ceiling: 38.005°",
			[]string{"r.yaml:18:52: commands[1].do.to: target 38° above the usable tilt max 37.995° (ceiling 38.005° − 0.01°)"}},
		{"sequence target above the usable max", "ceiling: 42°", "ceiling: 30°",
			[]string{"r.yaml:18:52: commands[1].do.to: target 38° above the usable tilt max 29.99°",
				"r.yaml:21:24: sequences.peek[0].to: target 30° above the usable tilt max 29.99°"}},
		{"park above the usable max",
			"ceiling: 42°\n  keep_out: [{name: tv, pan: [20°, 30°], tilt: [30°, 38°]}]\n  sessions: {max_play: 10m, rest: 20m, park: {pan: 0°, tilt: 8°}",
			"ceiling: 40°\n  keep_out: [{name: tv, pan: [20°, 30°], tilt: [30°, 38°]}]\n  sessions: {max_play: 10m, rest: 20m, park: {pan: 0°, tilt: 39.995°}",
			[]string{"r.yaml:14:62: safety.sessions.park.tilt: tilt 39.995° above the usable tilt max 39.99°"}},
		{"park outside the axis", "park: {pan: 0°", "park: {pan: -50°",
			[]string{"r.yaml:14:52: safety.sessions.park.pan: pan -50° outside the axis limits [-45°, 45°]"}},
		// Tilt 0° is straight down: a negative tilt leans the other way,
		// and -42° is as far from the floor as the ceiling.
		{"tilt minimum at minus the ceiling", "tilt: {role: tilt, min: 5°", "tilt: {role: tilt, min: -42°",
			[]string{"r.yaml:12:12: safety.ceiling: tilt minimum -42° at or below −ceiling (-42°)"}},
		{"tilt minimum near the other horizon", "tilt: {role: tilt, min: 5°", "tilt: {role: tilt, min: -89°",
			[]string{"r.yaml:12:12: safety.ceiling: tilt minimum -89° at or below −ceiling (-42°)"}},
		{"a negative tilt inside the ceiling", "tilt: {role: tilt, min: 5°", "tilt: {role: tilt, min: -30°", nil},

		{"cooldown negative", "laser: {laser: true, max_on: 20s}", "laser: {laser: true, max_on: 20s, cooldown: -1s}",
			[]string{`r.yaml:8:49: hardware.switches.laser.cooldown: bad duration "-1s": must not be negative`}},
		{"cooldown that would wrap round", "laser: {laser: true, max_on: 20s}", "laser: {laser: true, max_on: 20s, cooldown: 2562047h}",
			[]string{"r.yaml:8:49: hardware.switches.laser.cooldown: cooldown 2562047h0m0s outside [0, 24h0m0s]"}},
		{"cooldown of a day", "laser: {laser: true, max_on: 20s}", "laser: {laser: true, max_on: 20s, cooldown: 24h}", nil},
		{"dwell cap of an hour", "  dead_man: 60s\n", "  dead_man: 60s\n  dwell_cap: 1h\n",
			[]string{"r.yaml:12:14: safety.dwell_cap: dwell_cap 1h0m0s above 1m0s"}},
		{"dwell cap of a minute", "  dead_man: 60s\n", "  dead_man: 60s\n  dwell_cap: 1m\n", nil},
		// The envelope lights a switch only when every limit allows it
		// lit 2.5 ticks ahead (50 ms): a limit under that keeps it dark.
		{"dwell cap under 2.5 ticks", "  dead_man: 60s\n", "  dead_man: 60s\n  dwell_cap: 49ms\n",
			[]string{"r.yaml:12:14: safety.dwell_cap: dwell_cap 49ms under 50ms: the laser would never light"}},
		{"dwell cap of 2.5 ticks", "  dead_man: 60s\n", "  dead_man: 60s\n  dwell_cap: 50ms\n", nil},
		{"daily laser under 2.5 ticks", "  dead_man: 60s\n", "  dead_man: 60s\n  daily_laser: 40ms\n",
			[]string{"r.yaml:12:16: safety.daily_laser: daily_laser 40ms under 50ms: the laser would never light"}},
		{"max_on under 2.5 ticks", "laser: {laser: true, max_on: 20s}", "laser: {laser: true, max_on: 40ms}",
			[]string{`r.yaml:8:34: hardware.switches.laser.max_on: max_on 40ms under 50ms: "laser" would never turn on`}},
		{"max_on of 2.5 ticks", "laser: {laser: true, max_on: 20s}", "laser: {laser: true, max_on: 50ms}", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(rig, c.from, c.to, 1)
			if src == rig {
				t.Fatalf("%q not in the rig", c.from)
			}

			_, err := Parse("r.yaml", []byte(src))
			if c.want == nil {
				if err != nil {
					t.Fatalf("refused:\n%v", err)
				}
				return
			}
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

func TestLedgerCheck(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	live := LoadOptions{Ledger: true}

	t.Run("unusable state directory", func(t *testing.T) {
		t.Setenv("STATE_DIRECTORY", filepath.Join(notDir, "state"))
		_, err := ParseWith("r.yaml", []byte(rig), live)
		want := "r.yaml:11:3: safety.state_file: cannot keep the daily laser account at " + filepath.Join(notDir, "state", DefaultStateFile)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("err = %v, want %q", err, want)
		}
		for _, hint := range []string{"--dry-run", "STATE_DIRECTORY", "absolute path"} {
			if !strings.Contains(err.Error(), hint) {
				t.Errorf("the message does not mention %s: %v", hint, err)
			}
		}
		// A dry run keeps the account in memory: the same file passes.
		if _, err := ParseWith("r.yaml", []byte(rig), LoadOptions{}); err != nil {
			t.Errorf("dry run: %v", err)
		}
		// So does a rig without a laser.
		noLaser := strings.Replace(rig, "laser: {laser: true", "laser: {laser: false", 1)
		if _, err := ParseWith("r.yaml", []byte(noLaser), live); err != nil {
			t.Errorf("no laser: %v", err)
		}
		// And an absolute state_file in a writable place.
		abs := strings.Replace(rig, "  dead_man: 60s\n", "  dead_man: 60s\n  state_file: "+filepath.Join(dir, "ledger.json")+"\n", 1)
		if _, err := ParseWith("r.yaml", []byte(abs), live); err != nil {
			t.Errorf("absolute state_file: %v", err)
		}
	})
	t.Run("positioned at state_file", func(t *testing.T) {
		src := strings.Replace(rig, "  dead_man: 60s\n", "  dead_man: 60s\n  state_file: "+filepath.Join(notDir, "x.json")+"\n", 1)
		_, err := ParseWith("r.yaml", []byte(src), live)
		if err == nil || !strings.Contains(err.Error(), "r.yaml:12:15: safety.state_file: cannot keep the daily laser account at "+filepath.Join(notDir, "x.json")) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("created when missing", func(t *testing.T) {
		state := filepath.Join(dir, "new", "state")
		t.Setenv("STATE_DIRECTORY", state+":/elsewhere")
		f, err := ParseWith("r.yaml", []byte(rig), live)
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.LedgerPath()
		if err != nil || p != filepath.Join(state, DefaultStateFile) {
			t.Fatalf("LedgerPath = %q, %v", p, err)
		}
		ents, err := os.ReadDir(state)
		if err != nil || len(ents) != 0 {
			t.Fatalf("state directory after the check: %v, %v", ents, err)
		}
	})
}

func TestAimAxes(t *testing.T) {
	roles := strings.NewReplacer("pan: {role: pan,", "left_right: {role: pan,", "tilt: {role: tilt,", "near_far: {role: tilt,",
		"move: pan", "move: left_right", "move: tilt", "move: near_far")
	f, err := Parse("r.yaml", []byte(roles.Replace(rig)))
	if err != nil {
		t.Fatal(err)
	}
	if p, tl := f.AimAxes(); p != "left_right" || tl != "near_far" {
		t.Errorf("AimAxes = %q, %q", p, tl)
	}
	if f.Safety.Aim != (Aim{Pan: "left_right", Tilt: "near_far"}) {
		t.Errorf("Aim defaults to %+v, want the role axes", f.Safety.Aim)
	}
	// No laser and no roles: aim as written.
	wand := `
hardware:
  driver: mock
  axes:
    a: {min: -10°, max: 10°}
    b: {min: -10°, max: 10°}
  switches:
    relay: {laser: false, max_on: 1s}
safety: {aim: {pan: b, tilt: a}}
commands: [{name: x, aliases: [x], do: {move: a, by: 1°}}]
`
	f, err = Parse("w.yaml", []byte(wand))
	if err != nil {
		t.Fatal(err)
	}
	if p, tl := f.AimAxes(); p != "b" || tl != "a" {
		t.Errorf("AimAxes = %q, %q, want aim", p, tl)
	}
}

func TestIsLaserConservative(t *testing.T) {
	no, yes := false, true
	for _, c := range []struct {
		s    Switch
		name string
		want bool
	}{{Switch{}, "treat", true}, {Switch{}, "laser", true}, {Switch{Laser: &no}, "laser", false}, {Switch{Laser: &yes}, "lamp", true}} {
		if got := c.s.IsLaser(c.name); got != c.want {
			t.Errorf("IsLaser(%q) with %v = %v", c.name, c.s.Laser, got)
		}
	}
}

func TestUsableTiltMax(t *testing.T) {
	c := 42.0
	if got := UsableTiltMax(40, &c); got != 40 {
		t.Errorf("below the ceiling: %v", got)
	}
	if got := UsableTiltMax(50, &c); got != 42-CeilingMargin {
		t.Errorf("above the ceiling: %v", got)
	}
	if got := UsableTiltMax(50, nil); got != 50 {
		t.Errorf("no ceiling: %v", got)
	}
}

// TestLaserCooldownDefaultsToMaxOn: a laser written without a cooldown
// rests as long as it may shine (with none, its light budget would refuse
// nothing); a treat dispenser needs no rest.
func TestLaserCooldownDefaultsToMaxOn(t *testing.T) {
	f, err := Parse("r.yaml", []byte(rig))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Hardware.Switches["laser"].Cooldown.D().Seconds(); got != 20 {
		t.Errorf("the laser's cooldown %vs, want its max_on, 20s", got)
	}
	if got := f.Hardware.Switches["treat"].Cooldown; got != 0 {
		t.Errorf("the treat's cooldown %v, want none", got)
	}
}

// TestOscillatorWithinTheDriversRange: check refuses the oscillator the
// PCA9685 driver would refuse at start (a file check accepts, run starts
// with); other drivers do not read it.
func TestOscillatorWithinTheDriversRange(t *testing.T) {
	for _, c := range []struct {
		driver, osc string
		ok          bool
	}{{"pca9685", "2.5MHz", false}, {"pca9685", "31MHz", false}, {"pca9685", "26.3MHz", true}, {"mock", "2.5MHz", true}} {
		src := strings.Replace(rig, "  driver: mock\n", "  driver: "+c.driver+"\n  pca9685: {oscillator: "+c.osc+"}\n", 1)
		src = strings.ReplaceAll(src, "max_on: 20s}", "max_on: 20s, pin: GPIO17}")
		src = strings.ReplaceAll(src, "max_on: 1s}", "max_on: 1s, pin: GPIO27}")
		src = strings.ReplaceAll(src, "home: 0°}", "home: 0°, servo: {channel: 0}}")
		src = strings.ReplaceAll(src, "home: 20°}", "home: 20°, servo: {channel: 1}}")
		_, err := Parse("r.yaml", []byte(src))
		if got := err == nil || !strings.Contains(err.Error(), "hardware.pca9685.oscillator"); got != c.ok {
			t.Errorf("%s at %s: %v", c.driver, c.osc, err)
		}
	}
}

// TestOscillatorRangeIsTheDrivers: the range check accepts is the one the
// driver refuses outside.
func TestOscillatorRangeIsTheDrivers(t *testing.T) {
	if int64(MinOscillator) != pca9685.MinOscillator || int64(MaxOscillator) != pca9685.MaxOscillator {
		t.Fatalf("config [%v, %v], driver [%v, %v]", MinOscillator, MaxOscillator, pca9685.MinOscillator, pca9685.MaxOscillator)
	}
}

// TestOneLineOneOutput: two switches on one GPIO pin (however written),
// two axes on one servo channel, or an axis and a switch of one name are
// refused: the treat's "on" would light the laser with none of a laser's
// limits, pan commands would drive the tilt servo past the ceiling.
func TestOneLineOneOutput(t *testing.T) {
	pinned := strings.NewReplacer("max_on: 20s}", "max_on: 20s, pin: GPIO17}", "max_on: 1s}", "max_on: 1s, pin: GPIO27}").Replace(rig)
	for _, c := range []struct {
		name, from, to, want string
	}{
		{"two pins", "", "", ""},
		{"one pin twice", "pin: GPIO27}", "pin: GPIO17}", `hardware.switches.treat.pin: pin GPIO17 is "laser"'s pin too`},
		{"one pin as a number", "pin: GPIO27}", "pin: 17}", `hardware.switches.treat.pin: pin 17 is "laser"'s pin too`},
		{"one channel twice, pca9685", "  driver: mock\n", "  driver: pca9685\n", `hardware.axes.tilt.servo.channel: channel 0 is "pan"'s channel too`},
		{"one channel twice, sysfspwm", "  driver: mock\n", "  driver: sysfspwm\n", `hardware.axes.tilt.servo.channel: channel 0 is "pan"'s channel too`},
		{"a switch named like an axis", "    treat: {laser: false", "    tilt: {laser: false", `hardware.switches.tilt: "tilt" names an axis too`},
	} {
		src := strings.Replace(pinned, c.from, c.to, 1)
		_, err := Parse("r.yaml", []byte(src))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

// TestNegativeTiltWithoutALaser: a rig without a laser (a wand's feather
// has no beam) may lean its tilt past −ceiling; its ceiling bounds only
// how high it goes.
func TestNegativeTiltWithoutALaser(t *testing.T) {
	src := strings.NewReplacer("    laser: {laser: true, max_on: 20s}\n", "", "tilt: {role: tilt, min: 5°", "tilt: {role: tilt, min: -60°",
		", laser: true}", ", laser: false}").Replace(rig)
	if _, err := Parse("r.yaml", []byte(src)); err != nil && strings.Contains(err.Error(), "−ceiling") {
		t.Fatalf("refused without a laser: %v", err)
	}
	if _, err := Parse("r.yaml", []byte(strings.Replace(rig, "tilt: {role: tilt, min: 5°", "tilt: {role: tilt, min: -60°", 1))); err == nil || !strings.Contains(err.Error(), "−ceiling") {
		t.Fatalf("accepted with a laser: %v", err)
	}
}

// TestHomeStraightDownInAZone: straight down, tilt 0°, is the beam of
// every pan. A zone that holds it inside its tilt range has it among its
// beams, so home at tilt 0° at any pan aims into the zone.
func TestHomeStraightDownInAZone(t *testing.T) {
	src := strings.Replace(rig, "tilt: {role: tilt, min: 5°, max: 40°, home: 20°}", "tilt: {role: tilt, min: -5°, max: 40°, home: 0°}", 1)
	src = strings.Replace(src, "keep_out: [{name: tv, pan: [20°, 30°], tilt: [30°, 38°]}]", "keep_out: [{name: bowl, pan: [60°, 75°], tilt: [-4°, 8°]}]", 1)
	_, err := Parse("r.yaml", []byte(src))
	want := `r.yaml:13:14: safety.keep_out[0]: home (0°, 0°) points into zone "bowl": straight down (or up) is the beam of every pan, and it aims where (67.5°, 0°) does, inside the zone (grown by keep_out_margin 0°)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
	src = strings.Replace(src, "tilt: [-4°, 8°]", "tilt: [0°, 8°]", 1) // straight down on the zone's edge: outside
	if _, err := Parse("r.yaml", []byte(src)); err != nil {
		t.Fatalf("a zone that ends at straight down: %v", err)
	}
}
