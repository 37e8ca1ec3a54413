package main

import (
	"strings"
	"testing"
)

// Asked for, help goes to stdout with exit 0 and names every command.
func TestHelpOnStdout(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"-help"}, {"help"}} {
		code, out, errs := runCLI(t, "", args...)
		if code != 0 || errs != "" {
			t.Errorf("%v: code %d, stderr %q", args, code, errs)
		}
		for _, c := range commandList {
			if !strings.Contains(out, "cattease "+c.name) {
				t.Errorf("%v: usage lacks %s:\n%s", args, c.name, out)
			}
		}
	}
	// Not asked for: usage on stderr, exit 2.
	for _, args := range [][]string{nil, {"dance"}, {"help", "dance"}} {
		code, out, errs := runCLI(t, "", args...)
		if code != 2 || out != "" || !strings.Contains(errs, "usage:") {
			t.Errorf("%v: code %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}

// Every `COMMAND -h`, `COMMAND --help` and `help COMMAND` exits 0 on stdout
// and lists the command's own flags.
func TestCommandHelpListsFlags(t *testing.T) {
	flags := map[string][]string{
		"run":     {"-c string", "-dry-run", "-stdin", "-bilibili string", "-douyu string", "-record string", "-trace string", "-listen string"},
		"check":   {"-c string", "-dry-run"},
		"replay":  {"-c string", "-strict", "-plot string", "-verify", "-state"},
		"verify":  {"-c string"},
		"halt":    {"-c string"},
		"jog":     {"-c string", "-dry-run", "-pulse string"},
		"schema":  nil,
		"agent":   {"-c string", "-dry-run", "-mqtt string", "-rig string", "-listen string"},
		"mqtt":    {"-c string", "-unpublish", "-mqtt string", "-rig string"},
		"version": nil,
	}
	if len(flags) != len(commands) {
		t.Fatalf("test covers %d commands, cattease has %d", len(flags), len(commands))
	}
	for name, want := range flags {
		for _, args := range [][]string{{name, "-h"}, {name, "--help"}, {"help", name}, {name, "-c", "x.yaml", "-help"}} {
			code, out, errs := runCLI(t, "", args...)
			if code != 0 || errs != "" || !strings.HasPrefix(out, "usage: cattease "+name) {
				t.Errorf("%v: code %d, stderr %q, stdout:\n%s", args, code, errs, out)
				continue
			}
			for _, w := range want {
				if !strings.Contains(out, "  "+w) {
					t.Errorf("%v: no flag %q in\n%s", args, w, out)
				}
			}
		}
	}
}

func TestVersionFlag(t *testing.T) {
	_, want, _ := runCLI(t, "", "version")
	for _, args := range [][]string{{"--version"}, {"-version"}} {
		code, out, errs := runCLI(t, "", args...)
		if code != 0 || errs != "" || out != want || !strings.HasPrefix(out, "cattease ") {
			t.Errorf("%v: code %d, %q, stderr %q; want %q", args, code, out, errs, want)
		}
	}
}

// No chat source at all: one line naming the flags, exit 2, before
// anything is opened.
func TestRunWithoutSource(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--listen", "off", "--dry-run", "-c", "../../rules.yaml"},
		{"run", "--listen", "off", "-c", "../../rules.yaml"}, // no hardware error first
	} {
		code, out, errs := runCLI(t, "", args...)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: code %d, stdout %q, stderr %q", args, code, out, errs)
		}
		for _, w := range []string{"no chat source", "--stdin", "--bilibili ROOM", "--douyu ROOM"} {
			if !strings.Contains(errs, w) {
				t.Errorf("%v: %q lacks %q", args, errs, w)
			}
		}
	}
}

// jog --dry-run moves a mock axis with the calibrated range, holds until
// Enter, and releases it; without --dry-run on a machine without the
// hardware the error suggests the flag.
func TestJogDryRun(t *testing.T) {
	code, out, errs := runCLI(t, "\n", "jog", "--dry-run", "-c", "../../rules.yaml", "pan", "-15")
	if code != 0 || !strings.Contains(out, "dry run") || !strings.Contains(out, "-15°") {
		t.Fatalf("code %d\n%s\n%s", code, out, errs)
	}
	// Out of the calibrated range: refused, as the hardware would.
	if code, _, errs := runCLI(t, "\n", "jog", "pan", "1000", "--dry-run", "-c", "../../rules.yaml"); code != 1 || errs == "" {
		t.Fatalf("out of range: code %d: %s", code, errs)
	}
	code, _, errs = runCLI(t, "\n", "jog", "-c", "../../rules.yaml", "pan", "-15")
	if code != 1 || !strings.Contains(errs, "--dry-run") {
		t.Fatalf("without hardware: code %d: %s", code, errs)
	}
}
