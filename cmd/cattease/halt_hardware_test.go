//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHaltFindsTheRunOnItsHardware: a run started with other rules (a
// copy elsewhere, or a cattease from before the -c path was kept) that
// drives the laser these rules name is the one halt stops; a run on
// other hardware with other rules is not, nor is a pid file whose holder
// is no cattease.
func TestHaltFindsTheRunOnItsHardware(t *testing.T) {
	state := t.TempDir()
	rules := laserRules(t, fakePWM(t))
	elsewhere := laserRules(t, fakePWM(t)) // GPIO17 too, servos on another PWM
	fi := startFakeInstance(t, state, elsewhere)
	found := instancesIn(state, rules, mustPlan(t, rules), fi.proc, new(strings.Builder), new(strings.Builder))
	if len(found) != 1 || found[0].pid != os.Getpid() || found[0].dir != state {
		t.Fatalf("the run on GPIO17 with other rules: found %+v", found)
	}

	// Another rig's run in the same state directory: other rules, other
	// pins, other servos.
	other := t.TempDir()
	src, _ := os.ReadFile(laserRules(t, fakePWM(t)))
	otherRules := filepath.Join(other, "rules.yaml")
	os.WriteFile(otherRules, []byte(strings.Replace(string(src), "pin: GPIO17", "pin: GPIO22", 1)), 0o644)
	state2 := t.TempDir()
	startFakeInstance(t, state2, otherRules)
	var out, errw strings.Builder
	if found := instancesIn(state2, rules, mustPlan(t, rules), fi.proc, &out, &errw); len(found) != 0 {
		t.Fatalf("a run on other hardware with other rules: found %+v\n%s%s", found, &out, &errw)
	}

	// Held, on GPIO17, but the pid runs no cattease: not signalled.
	if found := instancesIn(state, rules, mustPlan(t, rules), t.TempDir(), &out, &errw); len(found) != 0 || !strings.Contains(errw.String(), "is not a cattease run") {
		t.Fatalf("a holder that is no cattease: found %+v\n%s", found, &errw)
	}
}

func mustPlan(t *testing.T, rules string) haltPlan {
	t.Helper()
	p, _, _, err := rulesHardware(rules)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
