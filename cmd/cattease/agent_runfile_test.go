package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The agent's run-holds file goes by the key of its laser file, and is
// never that file: two writers on one file would ruin both.
func TestAgentRunFileBesideItsLaserFile(t *testing.T) {
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	cfg := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(cfg, []byte("x"), 0o644)
	hw := haltPlan{Driver: "pca9685", Switches: []haltSwitch{{Name: "laser", Pin: "GPIO17", Laser: true}}}
	laser, _, err := hardwareLaserFiles(agentLaserFile, cfg, hw)
	if err != nil {
		t.Fatal(err)
	}
	run, _, err := hardwareLaserFiles(agentRunFile, cfg, hw)
	if err != nil {
		t.Fatal(err)
	}
	if run == laser || strings.Replace(filepath.Base(laser), "laser-off", "run-holds", 1) != filepath.Base(run) {
		t.Errorf("run holds %s beside the laser file %s", run, laser)
	}
}
