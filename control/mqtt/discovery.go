package mqtt

import (
	"encoding/json"
	"fmt"
)

// DefaultPrefix is Home Assistant's discovery prefix unless configured
// otherwise.
const DefaultPrefix = "homeassistant"

// Device is the Home Assistant device a rig appears as.
type Device struct {
	Prefix  string // discovery prefix, e.g. "homeassistant"; "" or "off": none
	Version string // cattease's version (sw_version)
	Model   string // "laser" or "wand" rig
	// Policies are the select's options.
	Policies []string
	// AgentAvailability adds the agent's availability (split topology):
	// the entities are available only while both sides are online.
	AgentAvailability bool
	// NoLaser leaves out the entities of the laser (a feather wand's rig):
	// their configs are cleared, as those of entities not shown.
	NoLaser bool
}

// Config is one discovery message: its topic and its retained payload.
type Config struct {
	Component string // button, switch, select, binary_sensor, sensor
	Topic     string
	Payload   map[string]any
	When      When // whether the bridge shows it with control or without
}

// When says whether the bridge shows an entity with control (Bridge.Control:
// it acts on the command topics), without, or always.
type When uint8

const (
	Always         When = iota // the entity only shows state
	WithControl                // the entity sends commands: useless without control
	WithoutControl             // a read-only stand-in for one that sends commands
	Never                      // not on this rig (a laser's, on a rig without one)
)

// Shown reports whether the bridge publishes c when its control is as
// given; it clears the config otherwise.
func (c Config) Shown(control bool) bool {
	switch c.When {
	case WithControl:
		return control
	case WithoutControl:
		return !control
	case Never:
		return false
	}
	return true
}

// entity is one Home Assistant entity before the shared keys are added.
type entity struct {
	component, object, name string
	keys                    map[string]any
	when                    When
}

// Discovery returns the discovery configs of the rig: buttons for e-stop
// and resume, switches for chat control and the laser permission and a
// select for the policy, which send commands (with control); a binary
// sensor for each switch and a sensor for the policy, which show the same
// state read-only (without control); and always binary sensors for the
// lit laser and the stop, and sensors for the day's laser time, the queue,
// the session and the last command. A rig without a laser (NoLaser) has
// none of the laser's: they are there, never shown, for the bridge to
// clear what an earlier run published.
func Discovery(t Topics, d Device) []Config {
	state := t.State()
	tpl := func(expr string) string { return "{{ " + expr + " }}" }
	onOff := func(field string) string { return tpl("'ON' if value_json." + field + " else 'OFF'") }
	es := []entity{
		{"button", "estop", "Emergency stop", map[string]any{"command_topic": t.Set(CmdEStop), "payload_press": "PRESS", "icon": "mdi:stop-circle"}, WithControl},
		{"button", "resume", "Resume", map[string]any{"command_topic": t.Set(CmdResume), "payload_press": "PRESS", "icon": "mdi:play-circle"}, WithControl},
		{"switch", "chat", "Chat control", map[string]any{"command_topic": t.Set(CmdChat), "state_topic": state, "value_template": onOff("chat"), "icon": "mdi:chat"}, WithControl},
		{"switch", "laser", "Laser allowed", map[string]any{"command_topic": t.Set(CmdLaser), "state_topic": state, "value_template": onOff("laser_allowed"), "icon": "mdi:laser-pointer"}, WithControl},
		{"select", "policy", "Play policy", map[string]any{"command_topic": t.Set(CmdPolicy), "state_topic": state, "value_template": tpl("value_json.policy"), "options": d.Policies}, WithControl},
		{"binary_sensor", "chat_on", "Chat control", map[string]any{"state_topic": state, "value_template": onOff("chat"), "icon": "mdi:chat"}, WithoutControl},
		{"binary_sensor", "laser_allowed", "Laser allowed", map[string]any{"state_topic": state, "value_template": onOff("laser_allowed"), "icon": "mdi:laser-pointer"}, WithoutControl},
		{"sensor", "policy_now", "Play policy", map[string]any{"state_topic": state, "value_template": tpl("value_json.policy"), "icon": "mdi:format-list-numbered"}, WithoutControl},
		{"binary_sensor", "laser_on", "Laser lit", map[string]any{"state_topic": state, "value_template": onOff("laser_on"), "device_class": "light"}, Always},
		{"binary_sensor", "stopped", "Stopped", map[string]any{"state_topic": state, "value_template": onOff("stopped"), "device_class": "problem"}, Always},
		{"sensor", "laser_today", "Laser today", map[string]any{"state_topic": state, "value_template": tpl("value_json.laser_today_s"), "unit_of_measurement": "s", "device_class": "duration", "state_class": "total_increasing"}, Always},
		{"sensor", "queue", "Queue", map[string]any{"state_topic": state, "value_template": tpl("value_json.queue_len"), "state_class": "measurement", "icon": "mdi:tray-full"}, Always},
		{"sensor", "session_left", "Session time left", map[string]any{"state_topic": state, "value_template": tpl("value_json.session_left_s"), "unit_of_measurement": "s", "device_class": "duration"}, Always},
		{"sensor", "last_command", "Last command", map[string]any{"state_topic": state, "value_template": tpl("value_json.last_command ~ ' (' ~ value_json.last_user ~ ')'"), "icon": "mdi:message-text"}, Always},
	}
	avail := []map[string]string{{"topic": t.Availability()}}
	if d.AgentAvailability {
		avail = append(avail, map[string]string{"topic": t.AgentAvailability()})
	}
	dev := map[string]any{"identifiers": []string{deviceID(t)}, "name": "cattease " + t.Rig,
		"manufacturer": "cattease", "model": "cattease " + d.Model + " rig", "sw_version": d.Version}
	laser := map[string]bool{"laser": true, "laser_allowed": true, "laser_on": true, "laser_today": true}
	out := make([]Config, 0, len(es))
	for _, e := range es {
		if d.NoLaser && laser[e.object] {
			e.when = Never
		}
		p := e.keys
		p["name"], p["unique_id"] = e.name, deviceID(t)+"_"+e.object
		p["availability"], p["availability_mode"], p["device"] = avail, "all", dev
		p["origin"] = map[string]string{"name": "cattease", "sw_version": d.Version}
		out = append(out, Config{Component: e.component, Topic: fmt.Sprintf("%s/%s/%s/%s/config", d.Prefix, e.component, deviceID(t), e.object), Payload: p, When: e.when})
	}
	return out
}

func deviceID(t Topics) string { return t.Base + "_" + t.Rig }

// JSON is the config's payload as published.
func (c Config) JSON() ([]byte, error) {
	b, err := json.Marshal(c.Payload)
	if err != nil {
		return nil, fmt.Errorf("mqtt: discovery payload: %w", err)
	}
	return b, nil
}

// Required lists the keys Home Assistant's MQTT schema requires of each
// component cattease publishes (with the keys every one of ours carries).
var Required = map[string][]string{
	"button":        {"command_topic"},
	"switch":        {"command_topic"},
	"select":        {"command_topic", "options"},
	"binary_sensor": {"state_topic"},
	"sensor":        {"state_topic"},
}
