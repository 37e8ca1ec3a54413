package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

func TestParseJog(t *testing.T) {
	cases := []struct {
		args string
		want jogArgs
		bad  bool
	}{
		{"pan -15", jogArgs{config: "rules.yaml", axis: "pan", deg: -15}, false},
		{"-c x.yaml tilt +10°", jogArgs{config: "x.yaml", axis: "tilt", deg: 10}, false},
		{"pan --pulse 1500", jogArgs{config: "rules.yaml", axis: "pan", pulse: 1500 * time.Microsecond}, false},
		{"--pulse 600us pan -c y.yaml", jogArgs{config: "y.yaml", axis: "pan", pulse: 600 * time.Microsecond}, false},
		{"pan", jogArgs{}, true},
		{"pan ten", jogArgs{}, true},
		{"pan 10 --pulse 1500", jogArgs{}, true},
		{"pan --pulse -3", jogArgs{}, true},
		{"pan --pulse", jogArgs{}, true},
		{"--dry-run pan -7.5", jogArgs{config: "rules.yaml", axis: "pan", deg: -7.5, dryRun: true}, false},
		{"pan -15deg --dry-run -c=z.yaml", jogArgs{config: "z.yaml", axis: "pan", deg: -15, dryRun: true}, false},
		{"pan -15 --dance", jogArgs{}, true},
		{"-- pan -15", jogArgs{config: "rules.yaml", axis: "pan", deg: -15}, false},
	}
	for _, h := range []string{"-h", "--help", "-help"} {
		if _, err := parseJog([]string{"pan", h}); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%s: %v, want flag.ErrHelp", h, err)
		}
	}
	for _, c := range cases {
		got, err := parseJog(strings.Fields(c.args))
		if (err != nil) != c.bad || (!c.bad && got != c.want) {
			t.Errorf("%q: got %+v, %v", c.args, got, err)
		}
	}
}

func TestJogHoldsThenHalts(t *testing.T) {
	m := mock.New("pan", actuators.KindAxis, mock.Limits{Min: -90, Max: 90}, nil)
	var out strings.Builder
	err := jog(context.Background(), m, jogArgs{axis: "pan", deg: -15}, stdio{in: strings.NewReader("\n"), out: &out, err: &out})
	if err != nil {
		t.Fatal(err)
	}
	if st := m.State(); st.Angle != -15 || st.Attached || st.Halts != 1 {
		t.Fatalf("state %+v", st)
	}
	if err := jog(context.Background(), m, jogArgs{axis: "pan", pulse: time.Millisecond}, stdio{in: strings.NewReader("\n"), out: &out}); err == nil {
		t.Fatal("the mock cannot output raw pulses; jog must say so")
	}
}

// TestJogWaitsForTheRunningInstance: jogging the hardware while a run or
// an agent drives it with the same rules is refused before anything is
// opened: it would re-initialise the servo board beneath the running
// motion loop.
func TestJogWaitsForTheRunningInstance(t *testing.T) {
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	rules := mockRules(t)
	inst, err := startInstance(rules, haltPlan{}) // the running instance
	if err != nil {
		t.Fatal(err)
	}
	defer inst.release()
	code, _, errs := runCLI(t, "", "jog", "-c", rules, "pan", "10")
	if code != 1 || !strings.Contains(errs, "is already running") {
		t.Fatalf("jog under a running instance: code %d\n%s", code, errs)
	}
	code, _, errs = runCLI(t, "\n", "jog", "-c", rules, "--dry-run", "pan", "10")
	if code != 0 {
		t.Fatalf("a dry-run jog touches no hardware and may run beside it: code %d\n%s", code, errs)
	}
}

// TestJogDryRunPulse: `jog --dry-run AXIS --pulse US`, as jog -h offers
// it, drives the mock like the servo the rules calibrate: a pulse inside
// the calibration's jog range is output and held, one outside is refused
// as the real drivers refuse it, and a calibration wider than 500–2500 µs
// widens it as on the hardware.
func TestJogDryRunPulse(t *testing.T) {
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	code, out, errs := runCLI(t, "\n", "jog", "--dry-run", "-c", "../../rules.yaml", "pan", "--pulse", "1500")
	if code != 0 || !strings.Contains(out, "mock:pan: pulse 1.5ms") {
		t.Fatalf("jog --dry-run pan --pulse 1500: code %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "\n", "jog", "--dry-run", "-c", "../../rules.yaml", "pan", "--pulse", "2600")
	if code != 1 || !strings.Contains(errs, "raw pulse 2.6ms outside 500µs..2.5ms") {
		t.Fatalf("jog --dry-run pan --pulse 2600 (past the jog range): code %d\n%s%s", code, out, errs)
	}
	src, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	wide := filepath.Join(t.TempDir(), "rules.yaml")
	src = bytes.Replace(src, []byte("pulse_min: 500µs  #"), []byte("pulse_min: 400µs  #"), 1)
	if err := os.WriteFile(wide, src, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, "\n", "jog", "--dry-run", "-c", wide, "pan", "--pulse", "450")
	if code != 0 || !strings.Contains(out, "mock:pan: pulse 450µs") {
		t.Fatalf("jog --dry-run pan --pulse 450 with pulse_min 400µs: code %d\n%s%s", code, out, errs)
	}
}
