package main

import (
	"log/slog"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/mqtt"
)

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
