//go:build unix

package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"

	"github.com/cattease/cattease/actuators/actuatortest"
	"github.com/cattease/cattease/control/config"
)

// busyPins opens every pin as one whose line another process holds:
// periph's character-device driver fails Out with the kernel's EBUSY, as
// text.
func busyPins(name string) (gpio.PinIO, error) {
	p := &actuatortest.Pin{N: name}
	p.Fail(errors.New("GPIOLine.Out(): line_request ioctl: device or resource busy"))
	return p, nil
}

// laserRules writes the shipped rules (a laser switch on GPIO17) with
// their servos on the kernel PWM under root.
func laserRules(t *testing.T, root string) string {
	t.Helper()
	src, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src = regexp.MustCompile(`(?m)^(\s*driver:\s*)pca9685.*$`).ReplaceAll(src, []byte("${1}sysfspwm"))
	src = regexp.MustCompile(`(?m)^(\s*root:\s*)/sys/class/pwm.*$`).ReplaceAll(src, []byte("${1}"+root))
	src = regexp.MustCompile(`(?m)^(\s*chip:\s*)1f00098000\.pwm.*$`).ReplaceAll(src, []byte("${1}pwmchip0"))
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// fakeInstance is a `cattease run` with the rules at path, played by this
// process: it holds the pid file in state (naming the rules' hardware),
// and a fake /proc says this pid runs cattease. halt's SIGUSR1 arrives on
// usr1.
type fakeInstance struct {
	in    *instance
	proc  string
	state string
}

func startFakeInstance(t *testing.T, state, rules string) *fakeInstance {
	t.Helper()
	f, err := config.Load(rules)
	if err != nil {
		t.Fatal(err)
	}
	in, err := lockInstance(state, rules, planFor(f, false))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(in.release)
	proc := t.TempDir()
	dir := filepath.Join(proc, strconv.Itoa(os.Getpid()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cmdline"), []byte("cattease\x00run\x00-c\x00"+rules+"\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	return &fakeInstance{in: in, proc: proc, state: state}
}

// signalled waits for halt's SIGUSR1 (real signals: a failsafe, not a
// clock).
func (fi *fakeInstance) signalled() error {
	select {
	case <-fi.in.usr1:
		return nil
	case <-time.After(20 * time.Second):
		return errors.New("no SIGUSR1")
	}
}

// stop records the emergency stop as the instance's envelope does.
func (fi *fakeInstance) stop() error {
	return os.WriteFile(filepath.Join(fi.state, estopFile), []byte(`{"stopped":"2025-01-01T20:00:00Z"}`), 0o600)
}

// TestHaltLineHeldByTheInstance: a person's halt sends the running
// instance the emergency stop, then finds the laser's GPIO line busy:
// the instance holds it, and the kernel grants a line to one process.
// That used to print the EBUSY as a failure and exit 1 although the stop
// worked. Now: once the instance has recorded its stop, halt says who
// holds the line and that it has stopped it, and exits 0; if it does
// not, halt says the line is held by the instance and exits 3. A busy
// line the instance does not drive is another program's (exit 1), and
// so is any busy line with no instance running (systemd's ExecStopPost).
func TestHaltLineHeldByTheInstance(t *testing.T) {
	t.Setenv("SERVICE_RESULT", "")
	run := func(t *testing.T, rules string, d haltDeps) (int, string, string) {
		t.Helper()
		var out, errw strings.Builder
		code := haltWith(rules, stdio{out: &out, err: &errw}, d)
		return code, out.String(), errw.String()
	}

	t.Run("confirmed", func(t *testing.T) {
		t.Setenv("STATE_DIRECTORY", t.TempDir())
		root := fakePWM(t)
		rules := laserRules(t, root)
		fi := startFakeInstance(t, os.Getenv("STATE_DIRECTORY"), rules)
		waits := 0
		d := haltDeps{procRoot: fi.proc, pin: busyPins, wait: func(attempt int) error {
			waits = attempt
			if attempt == 1 { // the instance takes the signal and records the stop
				return errors.Join(fi.signalled(), fi.stop())
			}
			return errors.New("gave up")
		}}
		code, out, errw := run(t, rules, d)
		want := fmt.Sprintf("switch laser (GPIO17) is held by the running cattease (pid %d), which has stopped it", os.Getpid())
		if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, "halted 1 switch(es) and 2 axis/axes") || errw != "" {
			t.Fatalf("exit %d, want 0 with %q\nstdout:\n%s\nstderr:\n%s", code, want, out, errw)
		}
		if waits != 1 {
			t.Errorf("waited %d times for the stop", waits)
		}
		if pulsing(root, "pwm0") || pulsing(root, "pwm1") {
			t.Error("the servos are still pulsing")
		}
		// Already stopped (the record is there): confirmed without a wait.
		waits = 0
		if code, out, errw := run(t, rules, d); code != 0 || !strings.Contains(out, want) || waits != 0 {
			t.Fatalf("already stopped: exit %d after %d waits\n%s%s", code, waits, out, errw)
		}
	})

	t.Run("unconfirmed", func(t *testing.T) {
		t.Setenv("STATE_DIRECTORY", t.TempDir())
		root := fakePWM(t)
		rules := laserRules(t, root)
		fi := startFakeInstance(t, os.Getenv("STATE_DIRECTORY"), rules)
		d := haltDeps{procRoot: fi.proc, pin: busyPins, wait: func(attempt int) error {
			if attempt == 1 {
				return fi.signalled() // and records nothing: stuck, say
			}
			if attempt > 5 {
				return errors.New("gave up")
			}
			return nil
		}}
		code, out, errw := run(t, rules, d)
		want := fmt.Sprintf("cattease: switch laser (GPIO17) is held by the running cattease (pid %d), so halt could not drive it itself, and that instance has not recorded an emergency stop", os.Getpid())
		if code != exitHeld || !strings.Contains(errw, want) || strings.Contains(out, "halted") || strings.Contains(errw, "device or resource busy") {
			t.Fatalf("exit %d, want %d with %q\nstdout:\n%s\nstderr:\n%s", code, exitHeld, want, out, errw)
		}
		if pulsing(root, "pwm0") || pulsing(root, "pwm1") {
			t.Error("the servos are still pulsing")
		}
	})

	t.Run("another program's line", func(t *testing.T) {
		t.Setenv("STATE_DIRECTORY", t.TempDir())
		rules := laserRules(t, fakePWM(t))
		fi := startFakeInstance(t, os.Getenv("STATE_DIRECTORY"), rules)
		// The instance was started before the laser was moved to GPIO27:
		// its pid file names GPIO17, so it does not hold GPIO27.
		src, _ := os.ReadFile(rules)
		if err := os.WriteFile(rules, []byte(strings.Replace(string(src), "pin: GPIO17", "pin: GPIO27", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		pin := func(name string) (gpio.PinIO, error) {
			if name == "GPIO27" {
				return busyPins(name)
			}
			return &actuatortest.Pin{N: name}, nil
		}
		d := haltDeps{procRoot: fi.proc, pin: pin, wait: func(int) error { return errors.Join(fi.signalled(), fi.stop()) }}
		code, out, errw := run(t, rules, d)
		if code != 1 || !strings.Contains(errw, "device or resource busy") {
			t.Fatalf("exit %d, want 1 with the EBUSY\nstdout:\n%s\nstderr:\n%s", code, out, errw)
		}
		if strings.Contains(out+errw, "held by the running cattease") {
			t.Fatalf("GPIO27 blamed on the instance:\n%s%s", out, errw)
		}
	})

	t.Run("no instance", func(t *testing.T) {
		t.Setenv("STATE_DIRECTORY", t.TempDir())
		t.Setenv("SERVICE_RESULT", "signal") // ExecStopPost: the service has ended
		rules := laserRules(t, fakePWM(t))
		d := haltDeps{procRoot: t.TempDir(), pin: busyPins, wait: func(int) error {
			t.Error("waited for an instance although none was signalled")
			return errors.New("no")
		}}
		code, out, errw := run(t, rules, d)
		if code != 1 || !strings.Contains(errw, "GPIOLine.Out(): line_request ioctl: device or resource busy") || strings.Contains(out+errw, "held by") {
			t.Fatalf("exit %d, want 1 with the EBUSY\nstdout:\n%s\nstderr:\n%s", code, out, errw)
		}
	})
}

// TestEstopFileIsTheRigs: halt looks for the record a rig's envelope
// keeps its emergency stop in.
func TestEstopFileIsTheRigs(t *testing.T) {
	state := t.TempDir()
	t.Setenv("STATE_DIRECTORY", state)
	f, err := config.Load("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := envelopeConfig(f, rigMode{ledger: true}, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.StopFile != filepath.Join(state, estopFile) {
		t.Fatalf("the rig keeps its emergency stop in %q; halt looks in %q", c.StopFile, filepath.Join(state, estopFile))
	}
}
