package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cattease/cattease/control/config"
)

// A run's laser file follows its lasers' pins alone, as the GPIO driver
// reads them: a treat feeder added beside the laser, a pin written 17
// where it said GPIO17, or the laser's pin given to the feeder's switch
// name do not lose the streamer's forbid; the planFor of a real rules.yaml
// marks the laser, whose pin keys the file.
func TestLaserFileFollowsTheLasersPinsAlone(t *testing.T) {
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	cfg := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(cfg, []byte("x"), 0o644)
	key := func(sws ...haltSwitch) string {
		file, _, err := hardwareLaserFiles(laserFile, cfg, haltPlan{Driver: "pca9685", Switches: sws})
		if err != nil {
			t.Fatal(err)
		}
		return file
	}
	laser := haltSwitch{Name: "laser", Pin: "GPIO17", Laser: true}
	want := key(laser)
	for name, sws := range map[string][]haltSwitch{
		"a treat feeder added":   {laser, {Name: "treat", Pin: "GPIO27"}},
		"the pin written 17":     {{Name: "laser", Pin: "17", Laser: true}},
		"the pin in lower case":  {{Name: "laser", Pin: " gpio17", Laser: true}},
		"the laser renamed, fan": {{Name: "pointer", Pin: "GPIO17", Laser: true}, {Name: "fan", Pin: "GPIO22", ActiveLow: true}},
	} {
		if got := key(sws...); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	if got := key(haltSwitch{Name: "laser", Pin: "GPIO22", Laser: true}); got == want {
		t.Error("a laser on another pin shares the file")
	}
	path, _ := rulesEdited(t, "  switches:\n", "  switches:\n    treat:\n      laser: false\n      pin: GPIO27\n")
	f, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	plan := planFor(f, false)
	lasers := 0
	for _, sw := range plan.Switches {
		if sw.Laser {
			lasers++
		}
		if sw.Name == "treat" && sw.Laser {
			t.Error("the treat feeder is marked a laser")
		}
	}
	if lasers == 0 {
		t.Errorf("planFor marks no laser: %+v", plan.Switches)
	}
}
