package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cattease/cattease/control/mqtt"
)

// The agent's file of the run side's stop and forbids goes by the rig's
// base topic and name, not by the laser's GPIO pin: the laser moved to
// another pin, or a laser added to or removed from the Pi's rules.yaml,
// finds the run's stop and forbid kept before. Before, they were keyed by
// the pins (or, with no laser, the path of rules.yaml) and silently left
// behind in a file nothing read.
func TestAgentRunFileKeptOverALaserMoved(t *testing.T) {
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	cfg := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(cfg, []byte("x"), 0o644)
	tp := mqtt.Topics{Base: "cattease", Rig: "cat"}
	log := slog.New(slog.DiscardHandler)
	var files []string
	for _, hw := range []haltPlan{
		{Driver: "pca9685", Switches: []haltSwitch{{Name: "laser", Pin: "GPIO17", Laser: true}}},
		{Driver: "pca9685", Switches: []haltSwitch{{Name: "laser", Pin: "GPIO27", Laser: true}}},
		{Driver: "pca9685", Switches: []haltSwitch{{Name: "laser", Pin: "GPIO27", Laser: true}, {Name: "dot", Pin: "GPIO22", Laser: true}}},
		{Driver: "pca9685"},
	} {
		file, err := agentRunFilePath(tp, cfg, hw, log)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	for _, f := range files[1:] {
		if f != files[0] {
			t.Errorf("the run holds file moves with the laser's pins: %q", files)
			break
		}
	}
	laser, _, err := hardwareLaserFiles(agentLaserFile, cfg, haltPlan{Driver: "pca9685", Switches: []haltSwitch{{Name: "laser", Pin: "GPIO17", Laser: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if files[0] == laser || !strings.HasPrefix(filepath.Base(files[0]), "cattease-agent-run-holds.") {
		t.Errorf("run holds %s beside the laser file %s", files[0], laser)
	}
	other, err := agentRunFilePath(mqtt.Topics{Base: "cattease", Rig: "kitten"}, cfg, haltPlan{Driver: "pca9685"}, log)
	if err != nil {
		t.Fatal(err)
	}
	if other == files[0] {
		t.Error("two rigs share one run holds file")
	}
}

// The file an older cattease kept under the laser pins' key is taken
// over under the rig's name, holds and all; and a start that finds no
// file of its own but another agent's says so.
func TestAgentRunFileTakenOverAndOthersNoted(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("STATE_DIRECTORY", dir)
	cfg := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(cfg, []byte("x"), 0o644)
	hw := haltPlan{Driver: "pca9685", Switches: []haltSwitch{{Name: "laser", Pin: "GPIO17", Laser: true}}}
	old, _, err := hardwareLaserFiles(agentRunFile, cfg, hw)
	if err != nil {
		t.Fatal(err)
	}
	const holds = `{"run_stop":true,"run_forbidden":["laser"]}`
	if err := os.WriteFile(old, []byte(holds), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	file, err := agentRunFilePath(mqtt.Topics{Base: "cattease", Rig: "cat"}, cfg, hw, log)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != holds {
		t.Errorf("the older file not taken over: %q %v", b, err)
	}
	if _, err := os.Lstat(old); !os.IsNotExist(err) {
		t.Errorf("the older file is still there: %v", err)
	}
	if strings.Contains(logs.String(), "another agent's file") {
		t.Errorf("noted another file with its own kept:\n%s", logs.String())
	}
	logs.Reset()
	if _, err := agentRunFilePath(mqtt.Topics{Base: "cattease", Rig: "renamed"}, cfg, hw, log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "another agent's file") || !strings.Contains(logs.String(), filepath.Base(file)) {
		t.Errorf("a rig renamed, its old file not noted:\n%s", logs.String())
	}
}
