package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/mqtt"
	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// piSide is an agent with its panel engine (agentPanel) on a mock rig,
// connected to a broker, its panel's laser forbid kept in a file.
type piSide struct {
	agent *mqtt.Agent
	eng   *control.Engine
	r     *rig
	stop  func()
}

var laserKeepTopics = mqtt.Topics{Base: "cattease", Rig: "cat"}

// startPi starts the Pi's side as runAgent does: the agent attached, its
// panel engine built on it (restoring the forbid kept in file), then the
// connection and the agent's loop.
func startPi(t *testing.T, url, file, id string) *piSide {
	t.Helper()
	f, rules, err := loadRules("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := buildRig(f, rigMode{dryRun: true, rulesPath: "../../rules.yaml"}, time.Now(), slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.halt() })
	agent := &mqtt.Agent{Topics: laserKeepTopics, Rig: r.play}
	c := mqtt.NewConn(mqtt.Options{URL: url, ClientID: id})
	agent.Attach(c)
	eng, _, err := agentPanel(rules, r.play, agent, control.Options{LaserFile: file})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { c.Run(ctx, nil) })
	wg.Go(func() { agent.Run(ctx) })
	p := &piSide{agent: agent, eng: eng, r: r}
	var once sync.Once
	p.stop = func() { once.Do(func() { cancel(); wg.Wait() }) }
	t.Cleanup(p.stop)
	return p
}

// startRunSide starts the run side's Remote, connected.
func startRunSide(t *testing.T, url string) (*mqtt.Remote, func()) {
	t.Helper()
	remote := &mqtt.Remote{Topics: laserKeepTopics}
	c := mqtt.NewConn(mqtt.Options{URL: url, ClientID: "test-run"})
	remote.Attach(c)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { c.Run(ctx, nil) })
	wg.Go(func() { remote.Run(ctx) })
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); wg.Wait() }) }
	t.Cleanup(stop)
	return remote, stop
}

// laserDisabled reports whether the rig holds its laser forbidden.
func (p *piSide) laserDisabled() bool {
	for _, sw := range p.r.play.Snapshot().Switches {
		if sw.Laser {
			return sw.Disabled
		}
	}
	return false
}

// keptLasers reads the agent's laser file; nil when there is none.
func keptLasers(t *testing.T, file string) *control.KeptLasers {
	t.Helper()
	b, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return nil
	}
	var k control.KeptLasers
	if err == nil {
		err = json.Unmarshal(b, &k)
	}
	if err != nil {
		t.Fatal(err)
	}
	return &k
}

// The laser forbid given on the Pi's own panel survives a restart of the
// agent: the new panel engine restores it from the agent's file, before
// the connection runs, through the agent, which holds it as the Pi's
// (local_off, which the run side reads) and keeps it over the link's
// return. A device's allow (keep_local) leaves it and the file as they
// are; the run side's panel's laser switch (a plain allow) lifts it, and
// the file no longer names the laser. Before, a restarted agent allowed
// the laser the streamer had switched off on the Pi.
func TestAgentPanelLaserForbidSurvivesARestart(t *testing.T) {
	b := mqtttest.Start(t)
	file := filepath.Join(t.TempDir(), agentLaserFile)
	w := watch(t, b.URL, "cattease/#")
	localOff := func() []string {
		var st struct {
			Link     bool      `json:"link"`
			LocalOff *[]string `json:"local_off"`
		}
		if json.Unmarshal(w.get(laserKeepTopics.AgentState()), &st) != nil || !st.Link || st.LocalOff == nil {
			return nil
		}
		return *st.LocalOff
	}
	remote, _ := startRunSide(t, b.URL)
	first := startPi(t, b.URL, file, "test-pi-1")
	poll(t, 10*time.Second, "link up", func() bool { return first.agent.Link() && remote.Online() })
	first.eng.SetLaser("laser", false) // the Pi's panel
	if k := keptLasers(t, file); k == nil || !slices.Equal(k.Panel, []string{"laser"}) {
		t.Fatalf("the Pi's forbid kept as %+v", k)
	}
	first.stop()

	w.forget()
	second := startPi(t, b.URL, file, "test-pi-2")
	if !second.agent.LocalForbids("laser") || !second.laserDisabled() {
		t.Fatalf("before the link: the Pi's forbid %v, the laser disabled %v", second.agent.LocalForbids("laser"), second.laserDisabled())
	}
	poll(t, 10*time.Second, "the run side told of the Pi's forbid (local_off)", func() bool {
		return slices.Equal(localOff(), []string{"laser"})
	})
	if !second.laserDisabled() {
		t.Fatal("the link's return allowed the laser the Pi's panel forbade")
	}
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Allow("laser", true); err == nil {
		t.Error("a device's allow lifted the Pi's forbid")
	}
	if after, err := os.ReadFile(file); err != nil || !bytes.Equal(after, before) || !second.laserDisabled() {
		t.Fatalf("after a device's allow: the file %s (%v), was %s; disabled %v", after, err, before, second.laserDisabled())
	}
	remote.Enable("laser", true) // the run side's panel
	poll(t, 5*time.Second, "the Pi's forbid lifted, and forgotten on disk", func() bool {
		return keptLasers(t, file) == nil && !second.agent.LocalForbids("laser") && !second.laserDisabled()
	})
	poll(t, 5*time.Second, "local_off empty", func() bool { return localOff() != nil && len(localOff()) == 0 })
	second.eng.SetLaser("laser", false) // the Pi's panel forbids again, and its allow lifts it
	second.eng.SetLaser("laser", true)
	if keptLasers(t, file) != nil || second.laserDisabled() {
		t.Error("the Pi's panel's allow did not lift its own forbid")
	}
}

// The lasers the agent forbids itself while the link is lost (before the
// run side is there, after it said goodbye) are never written as the Pi
// panel's forbid: they are not the streamer's, and a restart must not
// keep them. A forbid the Pi's panel gives during the outage is.
func TestAgentOutageForbidIsNotKept(t *testing.T) {
	b := mqtttest.Start(t)
	file := filepath.Join(t.TempDir(), agentLaserFile)
	pi := startPi(t, b.URL, file, "test-pi-1")
	poll(t, 5*time.Second, "the laser forbidden until a run side is there", pi.laserDisabled)
	remote, stopRun := startRunSide(t, b.URL)
	poll(t, 10*time.Second, "link up", func() bool { return pi.agent.Link() && remote.Online() && !pi.laserDisabled() })
	stopRun() // its goodbye: the link is lost at once
	poll(t, 5*time.Second, "the laser forbidden for the outage", func() bool { return !pi.agent.Link() && pi.laserDisabled() })
	if k := keptLasers(t, file); k != nil || pi.agent.LocalForbids("laser") {
		t.Fatalf("the outage's forbid kept as the Pi's: file %+v, local %v", k, pi.agent.LocalForbids("laser"))
	}
	pi.eng.SetLaser("laser", false) // the Pi's panel, during the outage
	if k := keptLasers(t, file); k == nil || !slices.Equal(k.Panel, []string{"laser"}) {
		t.Fatalf("the Pi's forbid during the outage kept as %+v", k)
	}
	pi.stop()
	again := startPi(t, b.URL, file, "test-pi-2")
	if !again.agent.LocalForbids("laser") {
		t.Error("the Pi's forbid given during the outage was not restored")
	}
}

// The Pi's panel engine follows the run side's allow (LocalAllowed)
// without allowing anything on the agent, and a forbid given on the Pi
// between that allow and the engine's following it holds, on the rig and
// in the file: here the Pi's panel forbids the laser, then the agent
// tells of an allow that came before it.
func TestAgentPanelFollowingTheRunsAllowKeepsALaterForbid(t *testing.T) {
	b := mqtttest.Start(t)
	file := filepath.Join(t.TempDir(), agentLaserFile)
	pi := startPi(t, b.URL, file, "test-pi")
	pi.eng.SetLaser("laser", false) // the Pi's panel
	pi.agent.LocalAllowed("laser")  // the run's allow, told late
	if k := keptLasers(t, file); k == nil || !slices.Equal(k.Panel, []string{"laser"}) {
		t.Errorf("the Pi's forbid kept as %+v", k)
	}
	if !pi.agent.LocalForbids("laser") || !pi.laserDisabled() {
		t.Errorf("the Pi's forbid holds %v, the laser disabled %v", pi.agent.LocalForbids("laser"), pi.laserDisabled())
	}
}
