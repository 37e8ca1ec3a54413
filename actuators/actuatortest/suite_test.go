package actuatortest_test

import (
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/actuatortest"
)

// broken is a switch with one configurable defect.
type broken struct {
	defect string
	mu     sync.Mutex
	on     bool
	halts  int
}

func (b *broken) Do(ctx context.Context, c actuators.Command) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := ctx.Err(); err != nil && b.defect != "ignores-context" {
		return err
	}
	if c.Action != actuators.ActionSwitch {
		if b.defect == "accepts-unsupported" {
			return nil
		}
		return actuators.ErrUnsupported
	}
	if c.Value != 0 && c.Value != 1 {
		if b.defect == "accepts-nan" && math.IsNaN(c.Value) {
			b.on = true
			return nil
		}
		if b.defect == "changes-on-refusal" {
			b.on = !b.on
		}
		return actuators.ErrOutOfRange
	}
	b.on = c.Value == 1
	return nil
}

func (b *broken) Halt() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.halts++
	if b.defect == "halt-not-idempotent" && b.halts > 1 {
		return errors.New("already halted")
	}
	if b.defect != "halt-leaves-on" {
		b.on = false
	}
	return nil
}

func (b *broken) String() string {
	if b.defect == "empty-string" {
		return ""
	}
	return "broken:" + b.defect
}

// TestBrokenHelper is run as a subprocess by TestSuiteCatchesDefects.
func TestBrokenHelper(t *testing.T) {
	defect := os.Getenv("ACTUATORTEST_DEFECT")
	if defect == "" {
		t.Skip("helper for TestSuiteCatchesDefects")
	}
	actuatortest.Run(t, actuators.KindSwitch, func(t *testing.T) actuators.Actuator {
		b := &broken{defect: defect}
		actuatortest.Observe(t, actuatortest.Probe{
			State: func() string {
				b.mu.Lock()
				defer b.mu.Unlock()
				return map[bool]string{true: "on", false: "off"}[b.on]
			},
			Inert: func() bool { b.mu.Lock(); defer b.mu.Unlock(); return !b.on },
		})
		return b
	})
}

// TestSuiteCatchesDefects checks the suite fails each kind of broken driver
// (and passes the healthy one), by running it in a subprocess.
func TestSuiteCatchesDefects(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the test binary once per defect")
	}
	for _, d := range []struct{ defect, subtest string }{
		{"none", ""},
		{"ignores-context", "CancelledContext"},
		{"accepts-unsupported", "Unsupported"},
		{"accepts-nan", "OutOfRange"},
		{"changes-on-refusal", "OutOfRange"},
		{"halt-not-idempotent", "HaltFresh"},
		{"halt-leaves-on", "HaltFresh"},
		{"empty-string", "String"},
	} {
		t.Run(d.defect, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenHelper$", "-test.v")
			cmd.Env = append(os.Environ(), "ACTUATORTEST_DEFECT="+d.defect)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if err != nil && !errors.As(err, &ee) {
				t.Skipf("cannot re-run the test binary here (under qemu-user?): %v", err)
			}
			if d.subtest == "" {
				if err != nil {
					t.Fatalf("suite failed a healthy actuator:\n%s", out)
				}
				return
			}
			if err == nil {
				t.Fatalf("suite passed a driver with defect %s:\n%s", d.defect, out)
			}
			if want := "--- FAIL: TestBrokenHelper/" + d.subtest; !strings.Contains(string(out), want) {
				t.Fatalf("want %q in:\n%s", want, out)
			}
		})
	}
}
