package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestHaltHelpHaltsNothing: `cattease help halt` and `cattease halt -h`
// print the flags and exit statuses; they used to halt the hardware (and
// send the running instance the emergency stop) while at it.
func TestHaltHelpHaltsNothing(t *testing.T) {
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	root := fakePWM(t)
	dir := t.TempDir()
	wandRules(t, filepath.Join(dir, "rules.yaml"), root)
	t.Chdir(dir) // the default -c rules.yaml is the wand's
	for _, args := range [][]string{{"help", "halt"}, {"halt", "-h"}, {"halt", "--help"}} {
		code, out, errs := runCLI(t, "", args...)
		if code != 0 || errs != "" || !strings.Contains(out, "exit status: 0 every output is off") {
			t.Errorf("%v: exit %d\nstdout:\n%s\nstderr:\n%s", args, code, out, errs)
		}
		if !pulsing(root, "pwm0") {
			t.Errorf("%v halted the servos:\n%s", args, out)
		}
	}
}
