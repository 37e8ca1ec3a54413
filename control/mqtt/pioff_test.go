package mqtt

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators/safety"
)

// A laser forbidden on the Pi's own panel stays forbidden when a device's
// Laser allowed goes ON, whether the forbid came before or just after the
// device's, when the run side could not know of it yet: the agent refuses
// the device's allow, and the error says where to allow it. The Pi's allow
// lifts it, and so does the run's (the panel's laser switch), as the
// run's resume ends the Pi's stop. Before, the device's ON lifted the
// Pi's forbid at any time.
func TestDeviceAllowLeavesThePisForbid(t *testing.T) {
	for _, order := range []string{"after", "just before"} {
		t.Run(order, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				s := newMemSplit(t, ctx)
				dev := &Bridge{Rig: s.remote}
				if err := dev.enableLasers(false); err != nil {
					t.Fatal(err)
				}
				if order == "after" {
					time.Sleep(time.Second)        // published: forbidden
					s.agent.Enable("laser", false) // the Pi's panel
				} else {
					s.agent.Enable("laser", false) // not published yet
				}
				err := dev.enableLasers(true)
				if err == nil || !strings.Contains(err.Error(), "the Pi's own panel forbids it") {
					t.Errorf("the device's allow: %v", err)
				}
				time.Sleep(time.Second)
				if _, allowed, _ := s.rig.is(); allowed || s.allowedHere() {
					t.Fatalf("the device's allow lifted the Pi's forbid: on the Pi %v, in Home Assistant %v", allowed, s.allowedHere())
				}
				if rep := s.lit(); !rep.Refused {
					t.Errorf("chat lit the laser the Pi forbade: %+v", rep)
				}
				s.agent.Enable("laser", true) // the Pi's panel
				time.Sleep(time.Second)
				if _, allowed, _ := s.rig.is(); !allowed || !s.allowedHere() {
					t.Errorf("after the Pi's allow: on the Pi %v, in Home Assistant %v", allowed, s.allowedHere())
				}

				s.agent.Enable("laser", false) // the Pi's panel again
				s.remote.Enable("laser", true) // the run's panel
				time.Sleep(time.Second)
				if _, allowed, _ := s.rig.is(); !allowed {
					t.Error("the run's allow did not lift the Pi's forbid")
				}
				if err := dev.enableLasers(true); err != nil {
					t.Errorf("the device's allow once nothing forbids: %v", err)
				}
			})
		})
	}
}

// An agent from before local_off cannot say whether the Pi's panel
// forbids a laser: a device's Laser allowed ON sends it no allow while it
// shows the laser forbidden (it would lift the Pi's forbid too), and says
// so; one it shows allowed is sent it (it lifts nothing).
func TestDeviceAllowOfAnOldAgent(t *testing.T) {
	r, a, _ := quickRemote()
	say := func(disabled bool) {
		local := false
		b, _ := json.Marshal(agentState{State: safety.State{Switches: []safety.SwitchState{{Name: "laser", Laser: true, Disabled: disabled}}},
			Link: true, LocalStop: &local}) // no local_off
		r.onState(Message{Payload: b})
	}
	say(true)
	err := r.Allow("laser", true)
	if err == nil || !strings.Contains(err.Error(), "older cattease") {
		t.Errorf("an old agent's device allow: %v", err)
	}
	if got := a.ops(); got != "" {
		t.Errorf("sent %q", got)
	}
	r.Enable("laser", true) // the panel's allow: a plain one
	if got := a.ops(); got != "enable" {
		t.Errorf("the panel's allow sent %q", got)
	}
	say(false)
	a.forget()
	if err := r.Allow("laser", true); err != nil {
		t.Errorf("an old agent's allowed laser: %v", err)
	}
	if got := a.ops(); got != "enable" {
		t.Errorf("sent %q", got)
	}
}
