package mqtt

import (
	"log/slog"
	"strings"
	"testing"
)

// A chat or laser switch command that is neither ON nor OFF changes
// nothing, and is logged as refused, saying what it wants; before, it was
// logged as carried out.
func TestBridgeRefusesASwitchPayloadNotOnOrOff(t *testing.T) {
	for _, cmd := range []string{CmdChat, CmdLaser} {
		var logs syncBuffer
		rig := &fakeRig{}
		eng := &fakeEngine{rig: rig}
		b := &Bridge{Engine: eng, Rig: rig, Log: slog.New(slog.NewTextHandler(&logs, nil))}
		b.wake = make(chan struct{}, 1)
		b.command(cmd, "maybe")
		got := logs.String()
		if !strings.Contains(got, "level=WARN") || !strings.Contains(got, "command refused") || !strings.Contains(got, `want ON or OFF, got \"maybe\"`) {
			t.Errorf("%s maybe: logged\n%s", cmd, got)
		}
		if eng.paused || rig.disabled {
			t.Errorf("%s maybe: paused %v, laser forbidden %v", cmd, eng.paused, rig.disabled)
		}
	}
}
