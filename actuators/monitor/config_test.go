package monitor

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control/config"
)

func TestFromConfig(t *testing.T) {
	f, err := config.Load("testdata/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l, err := FromConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []AxisLimits{
		{Name: "pan", Role: "pan", Min: -45, Max: 45, Home: 0, Speed: 90, Accel: 600},
		{Name: "tilt", Role: "tilt", Min: 5, Max: 40, Home: 20, Speed: 60, Accel: 400},
	}
	if len(l.Axes) != 2 || l.Axes[0] != want[0] || l.Axes[1] != want[1] {
		t.Errorf("axes %+v, want %+v", l.Axes, want)
	}
	if l.Ceiling == nil || *l.Ceiling != 42 {
		t.Errorf("ceiling %v", l.Ceiling)
	}
	if len(l.Zones) != 2 || l.Zones[0] != (Zone{Name: "window", PanMin: -45, PanMax: -32, TiltMin: 28, TiltMax: 40}) {
		t.Errorf("zones %+v", l.Zones)
	}
	if len(l.Switches) != 1 || l.Switches[0] != (SwitchLimits{Name: "laser", Laser: true, MaxOn: 20 * s, Cooldown: 10 * s}) {
		t.Errorf("switches %+v", l.Switches)
	}
	if l.Tick != DefaultTick || l.DwellCap != 4*s || l.DwellRadius != 1 || l.DailyLaser != 20*time.Minute ||
		l.KeepOutMargin != 0 || l.Location != time.Local {
		t.Errorf("limits %+v", l)
	}
	if l.Sessions != (SessionLimits{MaxPlay: 10 * time.Minute, Rest: 20 * time.Minute}) {
		t.Errorf("sessions %+v", l.Sessions)
	}
	if p := l.park(l.Tick); p != 1380*time.Millisecond {
		t.Errorf("park %v", p)
	}
}

func TestFromConfigEdits(t *testing.T) {
	data, err := os.ReadFile("testdata/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	edit := strings.NewReplacer(
		`timezone: ""`, `timezone: Europe/Berlin`,
		`quiet_hours: ""`, `quiet_hours: "23:00-08:00"`,
		"keep_out_margin: 0°", "keep_out_margin: 2°",
		"dwell_radius: 1°", "dwell_radius: 2°",
	).Replace(string(data))
	f, err := config.Parse("edited.yaml", []byte(edit))
	if err != nil {
		t.Fatal(err)
	}
	l, err := FromConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	if l.Location.String() != "Europe/Berlin" || l.Sessions.QuietFrom != 23*time.Hour || l.Sessions.QuietTo != 8*time.Hour {
		t.Errorf("time %v %+v", l.Location, l.Sessions)
	}
	if l.KeepOutMargin != 2 || l.DwellRadius != 2 {
		t.Errorf("margin %v radius %v", l.KeepOutMargin, l.DwellRadius)
	}
}

// TestFromConfigRoles: a role written on the axis wins; without one, the
// aim names decide.
func TestFromConfigRoles(t *testing.T) {
	yes, no := true, false
	f := &config.File{
		Hardware: config.Hardware{
			Axes: map[string]config.Axis{
				"a": {Min: -10, Max: 10, Speed: 90},
				"b": {Min: 0, Max: 30, Speed: 60},
				"w": {Role: "pan", Min: -5, Max: 5, Speed: 30},
			},
			Switches: map[string]config.Switch{"laser": {MaxOn: config.Duration(s)}, "beam": {Laser: &yes}, "treat": {Laser: &no}},
		},
		Safety: config.Safety{Aim: config.Aim{Pan: "w", Tilt: "b"}},
	}
	l, err := FromConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]string{}
	for _, a := range l.Axes {
		roles[a.Name] = a.Role
	}
	if roles["a"] != "" || roles["b"] != "tilt" || roles["w"] != "pan" {
		t.Errorf("roles %v", roles)
	}
	lasers := map[string]bool{}
	for _, s := range l.Switches {
		lasers[s.Name] = s.Laser
	}
	if !lasers["laser"] || !lasers["beam"] || lasers["treat"] {
		t.Errorf("lasers %v", lasers)
	}
	if l.DwellRadius != 1 || l.Location != time.Local || l.Tick != DefaultTick {
		t.Errorf("defaults %+v", l)
	}
	f.Safety.Aim.Pan = "a"
	if _, err := FromConfig(f); err == nil || !strings.HasPrefix(err.Error(), "monitor:") {
		t.Errorf("two pan axes: err %v", err)
	}
}

func TestFromConfigNil(t *testing.T) {
	if _, err := FromConfig(nil); err == nil || !strings.HasPrefix(err.Error(), "monitor:") {
		t.Errorf("err %v", err)
	}
}
