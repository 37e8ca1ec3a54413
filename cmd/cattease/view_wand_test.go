package main

import (
	"strings"
	"testing"

	"github.com/cattease/cattease/actuators/safety"
)

func TestWandViewSaysWhereInWords(t *testing.T) {
	st := safety.State{PanAxis: "swing", TiltAxis: "lift",
		Axes: []safety.AxisState{
			{Name: "lift", Pos: 1, Target: 1, Min: 0, Max: 45, Home: 15},
			{Name: "swing", Pos: -40, Target: 10, Min: -60, Max: 60, Attached: true},
		},
		Switches: []safety.SwitchState{{Name: "treat"}}}
	got := formatState(st, false)
	if !strings.Contains(got, "wand: far left, on the floor, moving right |") {
		t.Errorf("view %q", got)
	}
	st.Axes[1] = safety.AxisState{Name: "swing", Pos: 0, Target: 0, Min: -60, Max: 60}
	st.Axes[0].Pos, st.Axes[0].Target = 40, 40
	if got := formatState(st, false); !strings.Contains(got, "wand: centre, high, let go |") {
		t.Errorf("view %q", got)
	}
	// A Chinese terminal reads the feather's place in Chinese too.
	if got := formatState(st, true); !strings.Contains(got, "逗猫棒：中间，高处，已松开 |") {
		t.Errorf("view %q", got)
	}
	st.Axes[0].Target, st.Axes[1].Pos, st.Axes[1].Resting = 0, -20, true
	if got := formatState(st, true); !strings.Contains(got, "逗猫棒：偏左，高处，向右移动，下降，已松开，舵机冷却中 |") {
		t.Errorf("view %q", got)
	}
	st.Switches = []safety.SwitchState{{Name: "laser", Laser: true}}
	if got := formatState(st, false); strings.Contains(got, "wand") {
		t.Errorf("a laser rig is not a wand: %q", got)
	}
}
