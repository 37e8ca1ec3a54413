//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"periph.io/x/conn/v3/gpio"

	"github.com/cattease/cattease/actuators/actuatortest"
)

// symlinkedRules writes two versions of the laser rules, the second with
// the laser moved to GPIO27 and the servos to another kernel PWM, and
// rules.yaml a symlink to the first. It returns the link and the two
// PWM roots.
func symlinkedRules(t *testing.T) (link, root1, root2 string) {
	t.Helper()
	root1, root2 = fakePWM(t), fakePWM(t)
	v1 := laserRules(t, root1)
	src, err := os.ReadFile(laserRules(t, root2))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	v2 := filepath.Join(dir, "rules-v2.yaml")
	if err := os.WriteFile(v2, []byte(strings.Replace(string(src), "pin: GPIO17", "pin: GPIO27", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	link = filepath.Join(dir, "rules.yaml")
	if err := os.Symlink(v1, link); err != nil {
		t.Skip(err)
	}
	return link, root1, root2
}

// swapLink points link at rules-v2.yaml beside it, as ln -sfn does.
func swapLink(t *testing.T, link string) {
	t.Helper()
	tmp := link + ".new"
	if err := os.Symlink(filepath.Join(filepath.Dir(link), "rules-v2.yaml"), tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, link); err != nil {
		t.Fatal(err)
	}
}

// pinsDriven opens GPIO17 as the running instance's (busy) when busy17,
// every other pin as a free one, and records each pin halt drove.
func pinsDriven(busy17 bool, driven *[]string) func(string) (gpio.PinIO, error) {
	return func(name string) (gpio.PinIO, error) {
		if busy17 && name == "GPIO17" {
			return busyPins(name)
		}
		*driven = append(*driven, name)
		return &actuatortest.Pin{N: name}, nil
	}
}

// TestHaltAfterTheRulesSymlinkIsSwapped: the service runs rules.yaml, a
// symlink to rules-v1.yaml (the laser on GPIO17), when it is pointed at
// rules-v2.yaml (the laser moved to GPIO27, the servos to another PWM:
// ln -sfn, GNU stow, a NixOS rebuild). The pid file is named by the
// resolved path, v1's: halt -c rules.yaml used to find none, send no
// stop, find GPIO17 busy and exit 1 while the run played; a second run
// on the link took its own lock; and after a SIGKILL, ExecStopPost's
// halt never read the stale v1 pid file and left GPIO17 on. Now halt
// and the lock know the run by the -c path it was started with.
func TestHaltAfterTheRulesSymlinkIsSwapped(t *testing.T) {
	t.Setenv("SERVICE_RESULT", "")
	state := t.TempDir()
	t.Setenv("STATE_DIRECTORY", state)
	link, root1, root2 := symlinkedRules(t)
	fi := startFakeInstance(t, state, link)
	swapLink(t, link)

	var driven []string
	d := haltDeps{procRoot: fi.proc, pin: pinsDriven(true, &driven), wait: func(attempt int) error {
		if attempt == 1 {
			return errors.Join(fi.signalled(), fi.stop())
		}
		return errors.New("gave up")
	}}
	var out, errw strings.Builder
	code := haltWith(link, stdio{out: &out, err: &errw}, d)
	held := fmt.Sprintf("switch laser (GPIO17) is held by the running cattease (pid %d), which has stopped it", os.Getpid())
	if code != 0 || !strings.Contains(out.String(), fmt.Sprintf("emergency stop sent to cattease pid %d", os.Getpid())) || !strings.Contains(out.String(), held) {
		t.Fatalf("halt after the swap: exit %d, want 0 with the stop sent and %q\nstdout:\n%s\nstderr:\n%s", code, held, &out, &errw)
	}
	if !slices.Contains(driven, "GPIO27") {
		t.Errorf("the laser's new pin was not switched off: drove %v", driven)
	}
	for _, root := range []string{root1, root2} {
		if pulsing(root, "pwm0") || pulsing(root, "pwm1") {
			t.Errorf("servos under %s still pulsing", root)
		}
	}

	// A second run on the swapped link is refused: the first still plays.
	if in, err := lockInstance(state, link, haltPlan{}); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("another cattease (pid %d) is already running", os.Getpid())) {
		in.release()
		t.Fatalf("a second run on the swapped link: %v", err)
	}

	// SIGKILL: the v1 pid file stays, held by nobody. systemd's
	// ExecStopPost halt switches GPIO17 off too.
	t.Setenv("SERVICE_RESULT", "signal")
	fi.in.f.Close()
	driven = nil
	d = haltDeps{procRoot: fi.proc, pin: pinsDriven(false, &driven)}
	out.Reset()
	errw.Reset()
	if code := haltWith(link, stdio{out: &out, err: &errw}, d); code != 0 || !slices.Contains(driven, "GPIO17") || !slices.Contains(driven, "GPIO27") {
		t.Fatalf("ExecStopPost after a SIGKILL: exit %d, drove %v\nstdout:\n%s\nstderr:\n%s", code, driven, &out, &errw)
	}
}
