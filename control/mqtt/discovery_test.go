package mqtt

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

func TestDiscoveryConfigs(t *testing.T) {
	tp := Topics{Base: "cattease", Rig: "cat"}
	cs := Discovery(tp, Device{Prefix: "homeassistant", Version: "v1", Model: "laser", Policies: []string{"queue", "latest"}, AgentAvailability: true})
	seen := map[string]int{}
	ids := map[string]bool{}
	for _, c := range cs {
		seen[c.Component]++
		b, err := c.JSON()
		if err != nil {
			t.Fatal(err)
		}
		var p map[string]any
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(c.Topic, "homeassistant/"+c.Component+"/cattease_cat/") || !strings.HasSuffix(c.Topic, "/config") {
			t.Errorf("topic %q", c.Topic)
		}
		req, ok := Required[c.Component]
		if !ok {
			t.Errorf("component %q has no schema", c.Component)
		}
		for _, k := range append(req, "unique_id", "name", "device", "availability") {
			if _, ok := p[k]; !ok {
				t.Errorf("%s: no %q", c.Topic, k)
			}
		}
		id := p["unique_id"].(string)
		if ids[id] {
			t.Errorf("unique_id %q twice", id)
		}
		ids[id] = true
		dev := p["device"].(map[string]any)
		for _, k := range []string{"identifiers", "model", "sw_version", "name"} {
			if _, ok := dev[k]; !ok {
				t.Errorf("%s: device has no %q", c.Topic, k)
			}
		}
		if av := p["availability"].([]any); len(av) != 2 {
			t.Errorf("%s: availability %v, want the bridge's and the agent's", c.Topic, av)
		}
	}
	want := map[string]int{"button": 2, "switch": 2, "select": 1, "binary_sensor": 4, "sensor": 5}
	for k, n := range want {
		if seen[k] != n {
			t.Errorf("%d %s entities, want %d", seen[k], k, n)
		}
	}
}

func TestMakeState(t *testing.T) {
	now := time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)
	st := control.Status{Policy: "queue", QueueLen: 2, Paused: true,
		Recent: []control.Decision{{Rule: "left", UserName: "猫奴", Outcome: control.Accepted, Reason: control.ReasonQueued}}}
	rig := safety.State{Axes: []safety.AxisState{{Name: "pan", Pos: -5.04}},
		Switches: []safety.SwitchState{{Name: "laser", Laser: true, On: true}, {Name: "treat"}},
		Session:  safety.Session{Phase: "play", Until: now.Add(90*time.Second + time.Millisecond), LaserToday: 12340 * time.Millisecond}}
	s := MakeState(now, st, rig)
	if s.Position["pan"] != -5 || !s.LaserOn || !s.LaserAllowed || s.Chat || !s.Paused || s.QueueLen != 2 {
		t.Errorf("state %+v", s)
	}
	if s.SessionLeft != 91 || s.LaserToday != 12.3 || s.LastCommand != "left" || s.LastUser != "猫奴" {
		t.Errorf("state %+v", s)
	}
}
