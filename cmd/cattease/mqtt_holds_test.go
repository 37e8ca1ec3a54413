package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/mqtt"
)

// The run side keeps each rig's Home Assistant device's stop and laser
// forbid in its state directory, and restores them at start: a restart
// does not hand the device's stop to chat's 继续. A dry run keeps nothing
// there, as it keeps no emergency stop.
func TestRunRigKeepsItsDevicesHold(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("STATE_DIRECTORY", dir)
	f, err := config.Load("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The device can act (control: true): with control off its kept
	// stop is restored as the run's (TestRunRigWithoutControlKeeps…).
	f.MQTT.Control = true
	tp := mqtt.Topics{Base: "cattease", Rig: "cat"}
	kept := filepath.Join(dir, deviceFile(tp))
	if err := os.WriteFile(kept, []byte(`{"held":true,"forbidden":["laser"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	open := func(dryRun bool) *mqtt.Remote {
		t.Helper()
		g := newGroup(context.Background())
		t.Cleanup(g.cancel)
		fl := &runFlags{dryRun: dryRun, rigs: rigList{"mqtt://127.0.0.1:1/cat"}}
		rigs, err := openRemotes(g, fl, f, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		return rigs[0].remote
	}
	r := open(false)
	if r.StateFile != kept {
		t.Errorf("kept in %q, want %q", r.StateFile, kept)
	}
	if !slices.Equal(r.LaserNames(), []string{"laser"}) {
		t.Errorf("the rules' lasers: %v", r.LaserNames())
	}
	if !r.Snapshot().Stopped || r.RunStopped() {
		t.Errorf("the device's stop kept from before the restart: stopped %v, taken as the run's %v, want the device's", r.Snapshot().Stopped, r.RunStopped())
	}
	if err := r.Release(time.Now()); err == nil {
		t.Error("a device's Resume to an agent never heard from said nothing")
	}
	if r := open(true); r.StateFile != "" || r.Snapshot().Stopped {
		t.Errorf("a dry run: kept in %q, stopped %v", r.StateFile, r.Snapshot().Stopped)
	}
}

// The Pi's panel engine stops and resumes through the agent, which then
// says that a stop given on the Pi holds: a Home Assistant device's Resume
// on the run side does not end it.
func TestAgentPanelStopIsThePis(t *testing.T) {
	f, rules, err := loadRules("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := buildRig(f, rigMode{dryRun: true, rulesPath: "../../rules.yaml"}, time.Now(), slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.halt() })
	agent := &mqtt.Agent{Rig: r.play}
	eng, err := control.New(rules, agentPlay{Layer: r.play, agent: agent}, control.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng.Stop(time.Now()) // the Pi's panel, SIGUSR1, cattease halt
	if !r.env.Stopped() || !agent.LocalStop() {
		t.Errorf("the Pi's stop: envelope stopped %v, the agent's own %v", r.env.Stopped(), agent.LocalStop())
	}
	eng.Resume(time.Now())
	if r.env.Stopped() || agent.LocalStop() {
		t.Errorf("the Pi's resume: envelope stopped %v, the agent's own %v", r.env.Stopped(), agent.LocalStop())
	}
}

// Two --rig with the same base topic and rig name (on two brokers) would
// share one Home Assistant device and one kept file: one's Resume would
// wipe the other's kept stop. They are refused.
func TestRunRigsNeedTheirOwnNames(t *testing.T) {
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	f, err := config.Load("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g := newGroup(context.Background())
	t.Cleanup(g.cancel)
	fl := &runFlags{dryRun: true, rigs: rigList{"mqtt://127.0.0.1:1/cat", "mqtt://127.0.0.2:1/cat"}}
	if _, err := openRemotes(g, fl, f, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "same base topic and rig name") {
		t.Fatalf("two rigs named cat: %v", err)
	}
}

// Two --rig whose names differ only in case (cat, Cat) are two rigs on
// the broker, but on a file system that ignores case (macOS's, Windows')
// their kept files are one: one's Resume would wipe the other's kept
// stop. They are refused, on every system, saying why.
func TestRunRigsNeedNamesThatDifferInMoreThanCase(t *testing.T) {
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	f, err := config.Load("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, dryRun := range []bool{false, true} {
		g := newGroup(context.Background())
		t.Cleanup(g.cancel)
		fl := &runFlags{dryRun: dryRun, rigs: rigList{"mqtt://127.0.0.1:1/cat", "mqtt://127.0.0.1:1/Cat"}}
		if _, err := openRemotes(g, fl, f, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "differ only in case") {
			t.Errorf("dry run %v: rigs cat and Cat: %v", dryRun, err)
		}
	}
}
