package sysfspwm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/actuatortest"
	"github.com/cattease/cattease/actuators/servo"
)

const us = time.Microsecond

// pi5 is a Pi 5 on kernel 6.12: the fan's chip enumerates first.
func pi5(t *testing.T) *kernel {
	return newKernel(t,
		chipSpec{"pwmchip0", Pi5FanPWM, 4},
		chipSpec{"pwmchip1", Pi5PWM, 4},
	)
}

func angle(deg float64) actuators.Command {
	return actuators.Command{Action: actuators.ActionAngle, Value: deg}
}

var detach = actuators.Command{Action: actuators.ActionDetach}

func wantWrites(t *testing.T, k *kernel, step string, want ...string) {
	t.Helper()
	if got := k.take(); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: writes\n got %q\nwant %q", step, got, want)
	}
}

// TestWrites asserts the exact sysfs writes, in order, for start, move,
// detach, halt and close.
func TestWrites(t *testing.T) {
	k := pi5(t)
	s := k.mustOpen(2, "pan")
	wantWrites(t, k, "open",
		"pwmchip1/export=2",
		"pwmchip1/pwm2/period=20000000", // freshly exported, period 0: nothing else is writable yet
		"pwmchip1/pwm2/duty_cycle=0",
		"pwmchip1/pwm2/enable=0", // polarity already normal: not written
	)
	if got := k.state("pwmchip1", 2); got != "period=20000000 duty_cycle=0 enable=0" {
		t.Fatalf("after open: %s", got)
	}
	ctx := context.Background()
	must(t, s.Do(ctx, angle(0)))
	wantWrites(t, k, "first move", "pwmchip1/pwm2/duty_cycle=1500000", "pwmchip1/pwm2/enable=1")
	must(t, s.Do(ctx, angle(45)))
	wantWrites(t, k, "move", "pwmchip1/pwm2/duty_cycle=2000000")
	if on, d := s.Attached(); !on || d != 2000*us {
		t.Fatalf("Attached = %v %v", on, d)
	}
	if err := s.Do(ctx, angle(-91)); !errors.Is(err, actuators.ErrOutOfRange) {
		t.Fatal(err)
	}
	wantWrites(t, k, "refused move")
	must(t, s.Do(ctx, detach))
	wantWrites(t, k, "detach", "pwmchip1/pwm2/duty_cycle=0", "pwmchip1/pwm2/enable=0")
	must(t, s.SetPulse(ctx, 1000*us))
	wantWrites(t, k, "jog --pulse", "pwmchip1/pwm2/duty_cycle=1000000", "pwmchip1/pwm2/enable=1")
	must(t, s.Halt())
	wantWrites(t, k, "halt", "pwmchip1/pwm2/duty_cycle=0", "pwmchip1/pwm2/enable=0")
	must(t, s.Halt())
	wantWrites(t, k, "halt again", "pwmchip1/pwm2/duty_cycle=0", "pwmchip1/pwm2/enable=0")
	must(t, s.Do(ctx, angle(-90)))
	wantWrites(t, k, "re-attach after halt", "pwmchip1/pwm2/duty_cycle=500000", "pwmchip1/pwm2/enable=1")
	must(t, s.Close())
	wantWrites(t, k, "close", "pwmchip1/pwm2/duty_cycle=0", "pwmchip1/pwm2/enable=0", "pwmchip1/unexport=2")
	k.tick()
	if _, err := os.Stat(filepath.Join(k.root, "pwmchip1", "pwm2")); !os.IsNotExist(err) {
		t.Fatalf("pwm2 still exported: %v", err)
	}
	if s.String() != "sysfspwm:1f00098000.pwm/pwm2:pan" {
		t.Fatal(s.String())
	}
}

// TestStaleChannel: a channel a crashed run left exported, enabled,
// inverted and with another period is brought back without one invalid
// write, and is not unexported on Close (we did not export it).
func TestStaleChannel(t *testing.T) {
	k := pi5(t)
	k.exportChannel("pwmchip1", 0, "10000000", "9000000", "1", "inversed")
	s := k.mustOpen(0, "tilt")
	wantWrites(t, k, "open",
		"pwmchip1/pwm0/duty_cycle=0",
		"pwmchip1/pwm0/enable=0",
		"pwmchip1/pwm0/polarity=normal",
		"pwmchip1/pwm0/period=20000000",
	)
	must(t, s.Close())
	wantWrites(t, k, "close", "pwmchip1/pwm0/duty_cycle=0", "pwmchip1/pwm0/enable=0")
}

// TestPeriodZero: after a reboot an exported channel reads period 0
// (pwm-bcm2835 has no get_state; pwm-rp1 reads 0 while disabled), and the
// kernel refuses every duty_cycle, enable and polarity store until a
// period is set. Open sets the period first; Stop leaves such an idle
// channel alone instead of failing with EINVAL.
func TestPeriodZero(t *testing.T) {
	k := pi5(t)
	k.exportChannel("pwmchip1", 0, "0", "0", "0", "normal")
	k.exportChannel("pwmchip1", 1, "0", "0", "0", "inversed")
	must(t, k.opener().Stop(k.root, Pi5PWM, 0))
	must(t, k.opener().Stop(k.root, Pi5PWM, 1))
	wantWrites(t, k, "stop idle channels")
	pan := k.mustOpen(0, "pan")
	wantWrites(t, k, "open",
		"pwmchip1/pwm0/period=20000000",
		"pwmchip1/pwm0/duty_cycle=0",
		"pwmchip1/pwm0/enable=0",
	)
	tilt := k.mustOpen(1, "tilt")
	wantWrites(t, k, "open inverted",
		"pwmchip1/pwm1/period=20000000",
		"pwmchip1/pwm1/duty_cycle=0",
		"pwmchip1/pwm1/enable=0",
		"pwmchip1/pwm1/polarity=normal",
	)
	must(t, pan.Do(context.Background(), angle(0)))
	wantWrites(t, k, "move", "pwmchip1/pwm0/duty_cycle=1500000", "pwmchip1/pwm0/enable=1")
	must(t, k.opener().Stop(k.root, Pi5PWM, 0)) // period set now: Stop writes
	wantWrites(t, k, "stop", "pwmchip1/pwm0/duty_cycle=0", "pwmchip1/pwm0/enable=0")
	must(t, errors.Join(pan.Close(), tilt.Close()))
}

func TestFindChip(t *testing.T) {
	k := newKernel(t, chipSpec{"pwmchip0", Pi5FanPWM, 4}, chipSpec{"pwmchip2", Pi5PWM, 4}, chipSpec{"pwmchip3", "bogus", 1})
	for _, d := range []struct{ device, want string }{
		{Pi5PWM, "pwmchip2"}, {"pwmchip3", "pwmchip3"}, {"bogus", "pwmchip3"},
	} {
		got, err := FindChip(k.root, d.device)
		if err != nil || filepath.Base(got) != d.want {
			t.Fatalf("FindChip(%q) = %q, %v; want %s", d.device, got, err, d.want)
		}
	}
	_, err := FindChip(k.root, Pi4PWM)
	if err == nil || !strings.Contains(err.Error(), "pwmchip0 = 1f0009c000.pwm, pwmchip2 = 1f00098000.pwm") {
		t.Fatalf("unknown chip: %v", err)
	}
	empty := newKernel(t)
	if _, err := FindChip(empty.root, Pi5PWM); err == nil || !strings.Contains(err.Error(), "dtoverlay=pwm-2chan") {
		t.Fatalf("no chips: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	k := pi5(t)
	o := k.opener()
	for _, d := range []struct {
		chip    string
		ch      int
		cal     servo.Calibration
		wantErr string
	}{
		{Pi5FanPWM, 3, servo.Default, "cooling fan"},
		{"", 0, servo.Default, "no PWM chip configured"},
		{Pi5PWM, 4, servo.Default, "channels 0..3, not 4"},
		{Pi5PWM, -1, servo.Default, "not -1"},
		{Pi5PWM, 0, servo.Calibration{}, "pulse_min"},
		{Pi4PWM, 0, servo.Default, "no PWM chip"},
	} {
		_, err := o.Open(k.root, d.chip, d.ch, "pan", d.cal)
		if err == nil || !strings.Contains(err.Error(), d.wantErr) {
			t.Fatalf("Open(%q, %d) = %v; want %q", d.chip, d.ch, err, d.wantErr)
		}
	}
	wantWrites(t, k, "failed opens")
}

// TestWaitForUdev: the files appear a few polls after pwmN/ does.
func TestWaitForUdev(t *testing.T) {
	k := pi5(t)
	k.udevLag = 3
	attempts := 0
	o := k.opener()
	o.Wait = func(a int) error { attempts = a; return k.wait(a) }
	if _, err := o.Open(k.root, Pi5PWM, 1, "pan", servo.Default); err != nil {
		t.Fatal(err)
	}
	if attempts != 4 { // pwm1/ appears on poll 1, its files 3 polls later
		t.Fatalf("attempts = %d", attempts)
	}
	// Never ready: a clear error, no writes to missing files.
	k2 := pi5(t)
	k2.udevLag = 1000
	_, err := k2.opener().Open(k2.root, Pi5PWM, 1, "pan", servo.Default)
	if err == nil || !strings.Contains(err.Error(), "gpio group") {
		t.Fatalf("never ready: %v", err)
	}
	wantWrites(t, k2, "never ready", "pwmchip1/export=1")
}

// TestWaitForPermissions: files exist but are not writable until udev
// changes their mode. Root can write anything, so this needs a normal user.
func TestWaitForPermissions(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores file modes")
	}
	k := pi5(t)
	k.mode = 0o444
	dir := filepath.Join(k.root, "pwmchip1", "pwm3")
	o := k.opener()
	o.Wait = func(a int) error {
		if a == 2 {
			k.chmodAfter[dir] = 2
		}
		return k.wait(a)
	}
	if _, err := o.Open(k.root, Pi5PWM, 3, "pan", servo.Default); err != nil {
		t.Fatal(err)
	}
}

// TestExportRace: someone else exports between our check and our write;
// the kernel says EBUSY and we carry on (and leave unexport to them).
func TestExportRace(t *testing.T) {
	k := pi5(t)
	k.setFail("pwmchip1/export", syscall.EBUSY)
	o := k.opener()
	o.Wait = func(a int) error {
		if a == 1 {
			k.exportChannel("pwmchip1", 2, "0", "0", "0", "normal")
		}
		return k.wait(a)
	}
	s, err := o.Open(k.root, Pi5PWM, 2, "pan", servo.Default)
	if err != nil {
		t.Fatal(err)
	}
	k.take()
	must(t, s.Close())
	wantWrites(t, k, "close", "pwmchip1/pwm2/duty_cycle=0", "pwmchip1/pwm2/enable=0")
}

func TestWriteErrors(t *testing.T) {
	k := pi5(t)
	s := k.mustOpen(0, "pan")
	ctx := context.Background()
	must(t, s.Do(ctx, angle(10)))
	eio := syscall.EIO
	k.setFail("pwmchip1/pwm0/duty_cycle", eio)
	if err := s.Do(ctx, angle(20)); !errors.Is(err, eio) {
		t.Fatalf("Do = %v", err)
	}
	// Halt still disables even though duty_cycle fails, and reports it.
	k.take()
	if err := s.Halt(); !errors.Is(err, eio) {
		t.Fatalf("Halt = %v", err)
	}
	wantWrites(t, k, "halt with failing duty_cycle", "pwmchip1/pwm0/duty_cycle=0", "pwmchip1/pwm0/enable=0")
	if _, _, e := k.channel("pwmchip1", 0); e != 0 {
		t.Fatal("still enabled")
	}
	k.setFail("pwmchip1/pwm0/duty_cycle", nil)
	must(t, s.Halt())
}

// TestReadOnlySysfsNamesTheDropIn: under the service's sandbox /sys is
// read-only unless the unit has the sysfspwm drop-in; the error says so.
func TestReadOnlySysfsNamesTheDropIn(t *testing.T) {
	k := pi5(t)
	k.setFail("pwmchip1/export", syscall.EROFS)
	_, err := k.opener().Open(k.root, Pi5PWM, 0, "pan", servo.Default)
	if !errors.Is(err, syscall.EROFS) || !strings.Contains(err.Error(), "sysfspwm drop-in") {
		t.Fatalf("Open on a read-only /sys: %v", err)
	}
}

// TestStop: `cattease halt` from a fresh process.
func TestStop(t *testing.T) {
	k := pi5(t)
	k.exportChannel("pwmchip1", 1, "20000000", "1500000", "1", "normal")
	must(t, k.opener().Stop(k.root, Pi5PWM, 1))
	wantWrites(t, k, "stop", "pwmchip1/pwm1/duty_cycle=0", "pwmchip1/pwm1/enable=0")
	if got := k.state("pwmchip1", 1); got != "period=20000000 duty_cycle=0 enable=0" {
		t.Fatal(got)
	}
	// Not exported: nothing to stop, nothing exported.
	must(t, k.opener().Stop(k.root, Pi5PWM, 3))
	wantWrites(t, k, "stop unexported")
	must(t, Stop(k.root, Pi5PWM, 1))
	if _, err := os.Stat(filepath.Join(k.root, "pwmchip1", "pwm3")); !os.IsNotExist(err) {
		t.Fatal("Stop exported pwm3")
	}
	if err := Stop(k.root, Pi4PWM, 0); err == nil {
		t.Fatal("Stop on a missing chip succeeded")
	}
}

func TestConformance(t *testing.T) {
	k := pi5(t)
	ch := -1
	actuatortest.Run(t, actuators.KindAxis, func(t *testing.T) actuators.Actuator {
		ch = (ch + 1) % 4
		n := ch
		s, err := k.opener().Open(k.root, Pi5PWM, n, "pan", servo.Calibration{
			PulseMin: 600 * us, PulseMax: 2400 * us, AngleMin: -80, AngleMax: 80, Invert: true, Trim: -3,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close(); k.tick() })
		actuatortest.Observe(t, actuatortest.Probe{
			State: func() string { return k.state("pwmchip1", n) },
			Inert: func() bool {
				_, d, e := k.channel("pwmchip1", n)
				return d == 0 || e == 0
			},
		})
		return s
	})
}

// BenchmarkDo is one motion-loop step on one axis: one write of duty_cycle
// (here to a tmpfs/disk file; sysfs is cheaper).
func BenchmarkDo(b *testing.B) {
	tmp := b.TempDir()
	dir := filepath.Join(tmp, "pwmchip0", "pwm0")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	for _, f := range []string{"period", "duty_cycle", "enable", "polarity"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("0\n"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	s := &Servo{dir: dir, chip: "bench", name: "pan", cal: servo.Default}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := s.Do(ctx, angle(float64(i%120)-60)); err != nil {
			b.Fatal(err)
		}
	}
}
