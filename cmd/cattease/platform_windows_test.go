package main

import (
	"strings"
	"testing"
)

// On Windows, the streamer's own computer, halt and the hardware are the
// Pi's: each says so plainly and opens nothing. Built and vetted for
// Windows by make vet; run under Windows (or wine) by hand.

func TestWindowsHaltSaysPiOnly(t *testing.T) {
	code, out, errs := runCLI(t, "", "halt", "-c", "../../rules.yaml")
	if code != 1 || out != "" || !strings.Contains(errs, "runs only there (Linux)") {
		t.Fatalf("halt: code %d\n%s%s", code, out, errs)
	}
}

func TestWindowsHardwareSaysPiOnly(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--stdin", "-c", "../../rules.yaml"},
		{"jog", "-c", "../../rules.yaml", "pan", "5"},
	} {
		code, out, errs := runCLI(t, "", args...)
		if code != 1 || !strings.Contains(errs, "these rules drive real hardware (driver pca9685), which only a Raspberry Pi (Linux) can: on Windows add --dry-run") {
			t.Errorf("%q: code %d\n%s%s", args, code, out, errs)
		}
	}
	// --dry-run drives the mock here as anywhere.
	code, out, errs := runCLI(t, "", "jog", "--dry-run", "-c", "../../rules.yaml", "pan", "5")
	if code != 0 || !strings.Contains(out, "dry run: a mock axis") {
		t.Errorf("jog --dry-run: code %d\n%s%s", code, out, errs)
	}
}

func TestWindowsDemo(t *testing.T) {
	t.Setenv("STATE_DIRECTORY", t.TempDir()) // C:\…: a ';' list here
	code, out, errs := runCLI(t, "左\n激光\n", "run", "--dry-run", "--stdin", "--listen", "127.0.0.1:0", "-c", "../../rules.zh.yaml")
	if code != 0 || !strings.Contains(out, "✔ viewer: 左") {
		t.Fatalf("demo: code %d\n%s%s", code, out, errs)
	}
}
