package sysfspwm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/cattease/cattease/actuators/servo"
)

// TestCloseKeepsARunningChannelExported: the kernel does not stop a PWM
// on unexport, so a Close whose stop writes fail must not unexport: the
// pulses would run on with no sysfs files left, and `cattease halt` (Stop)
// would find nothing to stop and report success. The channel stays
// exported and claimed, Close says so, and a later Stop or Close reaches
// it.
func TestCloseKeepsARunningChannelExported(t *testing.T) {
	for _, failing := range [][]string{{"enable", "duty_cycle"}, {"enable"}, {"duty_cycle"}} {
		t.Run(strings.Join(failing, "+"), func(t *testing.T) {
			k := pi5(t)
			s := k.mustOpen(0, "pan")
			must(t, s.Do(context.Background(), angle(10)))
			for _, f := range failing {
				k.setFail("pwmchip1/pwm0/"+f, syscall.EIO)
			}
			k.take()
			if err := s.Close(); !errors.Is(err, syscall.EIO) {
				t.Fatalf("Close with failing stop writes = %v", err)
			}
			wantWrites(t, k, "close", "pwmchip1/pwm0/duty_cycle=0", "pwmchip1/pwm0/enable=0") // no unexport
			k.tick()
			if _, err := os.Stat(filepath.Join(k.root, "pwmchip1", "pwm0", "enable")); err != nil {
				t.Fatalf("channel unexported after a failed stop: %v", err)
			}
			if _, err := k.opener().Open(k.root, Pi5PWM, 0, "tilt", servo.Default); err == nil {
				t.Fatal("a channel Close could not stop was given to another axis")
			}
			// The write errors pass (or systemd's ExecStopPost runs halt).
			for _, f := range failing {
				k.setFail("pwmchip1/pwm0/"+f, nil)
			}
			must(t, k.opener().Stop(k.root, Pi5PWM, 0))
			wantWrites(t, k, "halt's Stop", "pwmchip1/pwm0/duty_cycle=0", "pwmchip1/pwm0/enable=0")
			if got := k.state("pwmchip1", 0); got != "period=20000000 duty_cycle=0 enable=0" {
				t.Fatalf("after Stop: %s", got)
			}
			// Close again finishes the job it could not do the first time.
			must(t, s.Close())
			wantWrites(t, k, "second close", "pwmchip1/pwm0/duty_cycle=0", "pwmchip1/pwm0/enable=0", "pwmchip1/unexport=0")
			k.tick()
			tilt := k.mustOpen(0, "tilt")
			must(t, tilt.Close())
		})
	}
}

// TestCloseUnexportFails: the pulses stopped but unexport failed; the
// channel is stopped and harmless, so Close reports the error and gives it
// up all the same.
func TestCloseUnexportFails(t *testing.T) {
	k := pi5(t)
	s := k.mustOpen(1, "pan")
	must(t, s.Do(context.Background(), angle(10)))
	k.setFail("pwmchip1/unexport", syscall.EIO)
	if err := s.Close(); !errors.Is(err, syscall.EIO) {
		t.Fatalf("Close with failing unexport = %v", err)
	}
	if got := k.state("pwmchip1", 1); got != "period=20000000 duty_cycle=0 enable=0" {
		t.Fatalf("after Close: %s", got)
	}
	must(t, s.Close())
}
