package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckReportsEveryProblem: one run of check lists every mistake of a
// file, of every kind, with its position, sorted by line.
func TestCheckReportsEveryProblem(t *testing.T) {
	const file = "../../control/config/testdata/many_mistakes.yaml"
	code, out, errs := runCLI(t, "", "check", "--dry-run", "-c", file)
	if code != 1 || out != "" {
		t.Fatalf("code %d, stdout %q", code, out)
	}
	want := []string{
		`:7:43: hardware.axes.pan: unknown key "colour"`,
		`:10:34: hardware.switches.laser.max_on: bad duration "20"`,
		`:11:12: hardware.switches.treat: say whether "treat" is a laser`,
		`:14:12: safety.ceiling: ceiling 95° at or above the horizon`,
		`:15:21: safety.autoplay.after: autoplay.after 1m0s must be shorter than dead_man 1m0s`,
		`:18:32: commands[1].aliases[1]: command "right": alias "l" (normalized "l") is also alias "l" of command "left"`,
		`:19:12: commands[2].name: command name "left" is used twice (#0 and #2)`,
		`:20:47: commands[3].do.switch: unknown switch "lazer"`,
		`:21:49: commands[4].do.sequence: unknown sequence "circle"`,
		`:22:25: commands[5].aliases: expected a list, found "上"`,
		`:26:14: sequences.wave[0].move: unknown axis "tiltt"`,
		`:27:14: sequences.wave[1].wait: bad duration "300"`,
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if len(lines) != len(want)+1 || lines[len(want)] != "12 problem(s)" {
		t.Errorf("want %d problems and a count:\n%s", len(want), errs)
	}
	for i, w := range want {
		if i >= len(lines) || !strings.HasPrefix(lines[i], file+w) {
			t.Errorf("line %d: want %q…\n%s", i, file+w, errs)
		}
	}
}

// TestCheckAndRunShareTheValidation: the state directory check refuses
// check and run alike; --dry-run skips it for both.
func TestCheckAndRunShareTheValidation(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	os.WriteFile(notDir, nil, 0o600)
	t.Setenv("STATE_DIRECTORY", filepath.Join(notDir, "state"))
	want := "safety.state_file: cannot keep the daily laser account at " + filepath.Join(notDir, "state", "cattease-state.json")

	code, _, errs := runCLI(t, "", "check", "-c", "../../rules.yaml")
	if code != 1 || !strings.Contains(errs, "../../rules.yaml:") || !strings.Contains(errs, want) {
		t.Fatalf("check: code %d\n%s", code, errs)
	}
	for _, hint := range []string{"--dry-run", "STATE_DIRECTORY", "absolute path"} {
		if !strings.Contains(errs, hint) {
			t.Errorf("check does not suggest %s:\n%s", hint, errs)
		}
	}
	if code, out, errs := runCLI(t, "", "check", "--dry-run", "-c", "../../rules.yaml"); code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("check --dry-run: code %d\n%s", code, errs)
	}
	code, _, errs = runCLI(t, "", "run", "--listen", "off", "--stdin", "-c", "../../rules.yaml")
	if code != 1 || !strings.Contains(errs, want) {
		t.Fatalf("run: code %d\n%s", code, errs)
	}
}

// TestCheckRefusesWhatRunRefuses: home within CeilingMargin of the ceiling
// used to pass check and fail at run; now check refuses it.
func TestCheckRefusesWhatRunRefuses(t *testing.T) {
	src, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), "ceiling: 42°", "ceiling: 20.005°", 1)
	path := filepath.Join(t.TempDir(), "r.yaml")
	os.WriteFile(path, []byte(bad), 0o644)
	code, _, errs := runCLI(t, "", "check", "--dry-run", "-c", path)
	if code != 1 || !strings.Contains(errs, "safety.ceiling: ceiling 20.005° leaves tilt home 20° above the usable tilt max 19.995°") {
		t.Fatalf("code %d\n%s", code, errs)
	}
}

// TestCheckDriver: --driver prints the servo driver alone, for the
// installer, which puts in the sysfspwm drop-in by it (however the rules
// spell it); nothing on a broken file.
func TestCheckDriver(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"pca9685": "pca9685", `"sysfspwm"`: "sysfspwm", "'mock'  # no hardware": "mock"} {
		src := strings.Replace(string(b), "\n  driver: pca9685\n", "\n  driver: "+name+"\n", 1)
		path := filepath.Join(dir, "rules.yaml")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs := runCLI(t, "", "check", "--dry-run", "--driver", "-c", path)
		if code != 0 || out != want+"\n" {
			t.Errorf("driver %s: code %d, out %q\n%s", name, code, out, errs)
		}
	}
	code, out, _ := runCLI(t, "", "check", "--dry-run", "--driver", "-c", "../../control/config/testdata/many_mistakes.yaml")
	if code != 1 || out != "" {
		t.Errorf("a broken file: code %d, out %q", code, out)
	}
}

// TestCheckSources: rules that name no chat source pass check, which
// says the service (which passes no --bilibili or --douyu) would stop at
// once; --sources lists what they name, for the installer.
func TestCheckSources(t *testing.T) {
	code, out, errs := runCLI(t, "", "check", "--dry-run", "--sources", "-c", "../../rules.yaml")
	if code != 0 || out != "" {
		t.Errorf("shipped rules: code %d, out %q\n%s", code, out, errs)
	}
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	if code, out, errs := runCLI(t, "", "check", "-c", "../../rules.yaml"); code != 0 || !strings.Contains(out, "the rules name no chat source") {
		t.Errorf("shipped rules: code %d, out %q\n%s", code, out, errs)
	}
	b, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(b), "  douyu:\n    room: \"\"", "  douyu:\n    room: \"9999\"", 1)
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(t, "", "check", "--sources", "-c", path); code != 0 || out != "douyu\n" {
		t.Errorf("a Douyu room: code %d, out %q\n%s", code, out, errs)
	}
	if code, out, errs := runCLI(t, "", "check", "-c", path); code != 0 || strings.Contains(out, "no chat source") {
		t.Errorf("a Douyu room: code %d, out %q\n%s", code, out, errs)
	}
}
