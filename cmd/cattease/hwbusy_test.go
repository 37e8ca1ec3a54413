package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestHardwareHolder: a jog or a run typed in a shell finds the service
// (or any run or agent without --dry-run) whatever its state directory
// and rules; dry runs, other commands and itself do not count.
func TestHardwareHolder(t *testing.T) {
	procs := map[int]string{
		201: "/usr/local/bin/cattease\x00run\x00-c\x00/home/pi/rules.yaml\x00--dry-run\x00",
		202: "cattease\x00jog\x00-c\x00rules.yaml\x00pan\x000\x00",
		203: "./cattease\x00agent\x00-dry-run=true\x00",
		204: "/usr/bin/sleep\x00run\x00",
		300: "/usr/local/bin/cattease\x00run\x00-q\x00-c\x00/etc/cattease/rules.yaml\x00", // the service
	}
	root := fakeProc(t, procs)
	if pid, cmd := hardwareHolder(root, 0); pid != 300 || cmd != "/usr/local/bin/cattease run -q -c /etc/cattease/rules.yaml" {
		t.Fatalf("the service: pid %d (%q)", pid, cmd)
	}
	if pid, _ := hardwareHolder(root, 300); pid != 0 {
		t.Fatalf("an instance counted itself: pid %d", pid)
	}
	delete(procs, 300)
	procs[301] = "/usr/local/bin/cattease\x00run\x00--dry-run=false\x00-c\x00r.yaml\x00"
	if pid, _ := hardwareHolder(fakeProc(t, procs), 0); pid != 301 {
		t.Fatalf("--dry-run=false drives hardware: pid %d", pid)
	}
	delete(procs, 301)
	if pid, cmd := hardwareHolder(fakeProc(t, procs), 0); pid != 0 {
		t.Fatalf("only dry runs and other commands: pid %d (%q)", pid, cmd)
	}
}

func TestDryRunArgs(t *testing.T) {
	for args, want := range map[string]bool{
		"--dry-run":                 true,
		"-dry-run":                  true,
		"-c\x00r.yaml\x00--dry-run": true,
		"--dry-run=true":            true,
		"--dry-run=1":               true,
		"--dry-run=false":           false,
		"--dry-run\x00--dry-run=0":  false,
		"-c\x00r.yaml":              false,
		"--\x00--dry-run":           false,
		"--dry-runner":              false,
	} {
		if got := dryRunArgs(strings.Split(args, "\x00")); got != want {
			t.Errorf("%q: %v, want %v", args, got, want)
		}
	}
}

// fakeProc lays out a /proc-like tree of cmdlines.
func fakeProc(t *testing.T, procs map[int]string) string {
	t.Helper()
	root := t.TempDir()
	for pid, cmdline := range procs {
		dir := filepath.Join(root, strconv.Itoa(pid))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "cmdline"), []byte(cmdline), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}
