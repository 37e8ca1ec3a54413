package main

import (
	"testing"

	"github.com/cattease/cattease/control/config"
)

// A feather wand's rig (no laser) is published without the laser's
// entities; a laser rig with them.
func TestMQTTDeviceOfARigWithoutALaser(t *testing.T) {
	for file, noLaser := range map[string]bool{"../../rules.yaml": false, "../../rules.wand.yaml": true} {
		f, err := config.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, agent := range []bool{false, true} {
			if got := (mqttLink{}).device(f, agent).NoLaser; got != noLaser {
				t.Errorf("%s: NoLaser %v, want %v", file, got, noLaser)
			}
		}
	}
}
