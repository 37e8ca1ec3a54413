package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/cattease/cattease/actuators/safety"
)

// stoppedRig is a laser rig held by the emergency stop, its laser asked
// for and held dark.
func stoppedRig() safety.State {
	return safety.State{Stopped: true,
		Axes: []safety.AxisState{{Name: "pan", Pos: 10, Target: 10, Min: -60, Max: 60}},
		Switches: []safety.SwitchState{
			{Name: "laser", Laser: true, Requested: true, Reason: "resting"},
			{Name: "fan", On: true},
			{Name: "treat"},
		}}
}

// The live view writes the rig's line below the translating writer (the
// catalogue's "[EMERGENCY STOP]" never sees it): in Chinese its words are
// its own, the stop above all.
func TestViewStateLineInChinese(t *testing.T) {
	got := formatState(stoppedRig(), true)
	for _, want := range []string{"[急停]", "laser 暗（激光休息中）", "fan 开", "treat 关", "pan +10.0°"} {
		if !strings.Contains(got, want) {
			t.Errorf("Chinese view line %q lacks %q", got, want)
		}
	}
	for _, en := range []string{"EMERGENCY", "STOP", "dark", "ON", "off", "resting"} {
		if strings.Contains(got, en) {
			t.Errorf("Chinese view line %q says %q", got, en)
		}
	}
	en := formatState(stoppedRig(), false)
	for _, want := range []string{"[EMERGENCY STOP]", "laser dark (resting)", "fan ON", "treat off"} {
		if !strings.Contains(en, want) {
			t.Errorf("English view line %q lacks %q", en, want)
		}
	}
}

// The view's count of the decisions a slow terminal lost is a message of
// the catalogue: it reaches a Chinese terminal in Chinese, though the
// view writes below the translation.
func TestViewDroppedCountInChinese(t *testing.T) {
	var out bytes.Buffer
	v := newView(&out, true)
	v.zh = true
	v.dropped.Store(3)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := v.run(ctx, fixedRig{stoppedRig()}); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "（终端太慢，有 3 条判定没显示）") || !strings.Contains(got, "[急停]") ||
		strings.Contains(got, "terminal too slow") {
		t.Errorf("Chinese view at its end:\n%s", got)
	}
}

type fixedRig struct{ st safety.State }

func (r fixedRig) Snapshot() safety.State { return r.st }
