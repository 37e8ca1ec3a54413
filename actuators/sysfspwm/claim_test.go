package sysfspwm

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/cattease/cattease/actuators/servo"
)

// TestChannelClaimedOnce: two axes configured on one kernel channel (a
// copy-paste slip in rules.yaml) must not both open: the pan servo would
// then follow tilt's angles, past the ceiling. The second Open is refused
// before it writes anything, whichever way the chip is named.
func TestChannelClaimedOnce(t *testing.T) {
	k := pi5(t)
	pan := k.mustOpen(0, "pan")
	k.take()
	// /sys/class/pwm/pwmchipN are symlinks into /sys/devices: another
	// path to the same chip is the same channel.
	alias := filepath.Join(t.TempDir(), "pwm")
	must(t, os.Symlink(k.root, alias))
	for _, d := range []struct{ root, chip string }{{k.root, Pi5PWM}, {k.root, "pwmchip1"}, {alias, Pi5PWM}} {
		tilt, err := k.opener().Open(d.root, d.chip, 0, "tilt", servo.Default)
		if err == nil {
			_ = tilt.Close()
			t.Fatalf("channel 0 of %s under %s opened as both pan and tilt", d.chip, d.root)
		}
		if !strings.Contains(err.Error(), `already drives "pan"`) || !strings.HasPrefix(err.Error(), "sysfspwm: tilt: ") {
			t.Fatalf("second open of channel 0 of %s under %s: %v", d.chip, d.root, err)
		}
	}
	wantWrites(t, k, "refused opens")
	// Another channel is free; the claim is per channel.
	tilt := k.mustOpen(1, "tilt")
	must(t, tilt.Close())
	// Closing pan hands channel 0 back: an axis may open it again.
	must(t, pan.Close())
	k.tick()
	again := k.mustOpen(0, "tilt")
	must(t, again.Close())
}

// TestFailedOpenReleasesClaim: an Open that fails half way leaves the
// channel free for the next attempt.
func TestFailedOpenReleasesClaim(t *testing.T) {
	k := pi5(t)
	k.setFail("pwmchip1/pwm2/period", syscall.EIO)
	if _, err := k.opener().Open(k.root, Pi5PWM, 2, "pan", servo.Default); err == nil {
		t.Fatal("Open with a failing period write succeeded")
	}
	k.setFail("pwmchip1/pwm2/period", nil)
	s := k.mustOpen(2, "pan")
	must(t, s.Close())
}

// TestClosedServoRefuses: once closed, a Servo no longer owns its channel
// (another axis may have opened it), so it drives nothing.
func TestClosedServoRefuses(t *testing.T) {
	k := pi5(t)
	s := k.mustOpen(3, "pan")
	must(t, s.Close())
	must(t, s.Close()) // idempotent
	k.take()
	ctx := context.Background()
	if err := s.Do(ctx, angle(10)); err == nil {
		t.Fatal("Do after Close succeeded")
	}
	if err := s.SetPulse(ctx, 1500*us); err == nil {
		t.Fatal("SetPulse after Close succeeded")
	}
	must(t, s.Halt()) // nothing left to halt: it was stopped by Close
	wantWrites(t, k, "use after close")
}
