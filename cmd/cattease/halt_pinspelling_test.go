//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// The rules spell the laser's pin 17, the running instance's pid file
// GPIO17 (or the other way round): the same pin to the driver
// (config.PinKey). halt compared the spellings: it said the instance
// "drove other hardware … halting both", and took the busy line for
// another program's, exit 1, though the instance held it and had
// stopped.
func TestHaltPinSpelling(t *testing.T) {
	a := haltPlan{Driver: "pca9685", Switches: []haltSwitch{{Name: "laser", Pin: "17", Laser: true}}}
	b := haltPlan{Driver: "pca9685", Switches: []haltSwitch{{Name: "laser", Pin: "GPIO17"}}}
	if !a.equal(b) || !b.equal(a) {
		t.Error("17 and GPIO17 taken for other hardware")
	}
	if !(runningInstance{plan: b}).holds("17") || !(runningInstance{plan: a}).holds("gpio17") {
		t.Error("an instance on GPIO17 does not hold 17")
	}

	t.Setenv("SERVICE_RESULT", "")
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	rules := laserRules(t, fakePWM(t))
	fi := startFakeInstance(t, os.Getenv("STATE_DIRECTORY"), rules)
	src, _ := os.ReadFile(rules)
	if err := os.WriteFile(rules, []byte(strings.Replace(string(src), "pin: GPIO17", "pin: 17", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	d := haltDeps{procRoot: fi.proc, pin: busyPins, wait: func(attempt int) error {
		if attempt == 1 {
			return errors.Join(fi.signalled(), fi.stop())
		}
		return errors.New("gave up")
	}}
	var out, errw strings.Builder
	code := haltWith(rules, stdio{out: &out, err: &errw}, d)
	want := fmt.Sprintf("switch laser (17) is held by the running cattease (pid %d), which has stopped it", os.Getpid())
	if code != 0 || !strings.Contains(out.String(), want) || strings.Contains(errw.String(), "halting both") || !strings.Contains(out.String(), "halted 1 switch(es)") {
		t.Fatalf("exit %d, want 0 with %q\nstdout:\n%s\nstderr:\n%s", code, want, &out, &errw)
	}
}
