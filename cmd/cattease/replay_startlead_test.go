package main

import (
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/config"
)

// A record without a start line starts the rig where a live rig left
// alone is by its first event: homed, past its hold, and on a laser rig
// limp (rule limp then holds its first move as it held the live one). The
// lead is the longer of the hold and detach_after, in whole ticks; a
// restart on a clock set back still begins the hold after the time
// before it (RestartLead). A wand holds nothing and moves at once from
// limp: it starts at its first event.
func TestReplayStartLead(t *testing.T) {
	const tick = safety.DefaultTick
	shipped := func(t *testing.T, path string) *config.File {
		f, _, err := loadRules(path)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	detach := func(f *config.File, d time.Duration) *config.File {
		for name, a := range f.Hardware.Axes {
			a.DetachAfter = config.Duration(d)
			f.Hardware.Axes[name] = a
		}
		return f
	}
	for _, tc := range []struct {
		name string
		f    *config.File
		want replayLead
	}{
		{"shipped", shipped(t, "../../rules.yaml"), replayLead{hold: 1160 * time.Millisecond, start: 2 * time.Second, limp: true}},
		{"detach within the hold", detach(shipped(t, "../../rules.yaml"), 500*time.Millisecond), replayLead{hold: 1160 * time.Millisecond, start: 1160 * time.Millisecond, limp: true}},
		{"detach between ticks", detach(shipped(t, "../../rules.yaml"), 2501*time.Millisecond), replayLead{hold: 1160 * time.Millisecond, start: 2520 * time.Millisecond, limp: true}},
		{"never detached", detach(shipped(t, "../../rules.yaml"), -time.Second), replayLead{hold: 1160 * time.Millisecond, start: 1160 * time.Millisecond}},
		{"wand", shipped(t, "../../rules.wand.yaml"), replayLead{}},
	} {
		if got := startLead(tc.f, tick); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
