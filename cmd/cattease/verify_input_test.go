package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// litTrace lights the laser for five minutes, once the hold after the
// homing is over: over the shipped rules' light budget.
const litTrace = `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":false}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"tilt","action":"move","value":20}
{"kind":"output","time":"2026-11-22T10:00:01.16Z","target":"laser","action":"switch","value":1}
{"kind":"output","time":"2026-11-22T10:05:00Z","target":"laser","action":"switch","value":0}
`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// verify against rules that name the outputs otherwise than the trace
// fails and names the output: before, the outputs to the unknown switch
// were ignored and verify said "ok".
func TestVerifyOutputTheRulesDoNotName(t *testing.T) {
	dir := t.TempDir()
	trace := writeFile(t, dir, "lit.trace", litTrace)
	code, _, errs := runCLI(t, "", "verify", "-c", "../../rules.yaml", trace)
	if code != 1 || !strings.Contains(errs, "light_budget laser") {
		t.Fatalf("the shipped rules: exit %d\n%s", code, errs)
	}
	shipped, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	beam := strings.Replace(string(shipped), "\n    laser:\n", "\n    beam:\n", 1)
	beam = strings.ReplaceAll(beam, "switch: laser", "switch: beam")
	rules := writeFile(t, dir, "beam.yaml", beam)
	code, out, errs := runCLI(t, "", "verify", "-c", rules, trace)
	if code != 1 || strings.Contains(out, "ok") || !strings.Contains(errs, `trace line 4: no switch of that name in the rules: "laser"`) {
		t.Fatalf("the switch renamed beam: exit %d\n%s%s", code, out, errs)
	}
}

// A trace torn by a power cut (a partial line, or NUL bytes, then the next
// run's restart line) is verified: the torn line ends its run's part of
// the trace, with a warning naming it, and the runs after it are checked.
// Before, verify refused the whole trace. Nothing readable still fails.
func TestVerifyTornTrace(t *testing.T) {
	dir := t.TempDir()
	run := `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":true}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"tilt","action":"move","value":20}
{"kind":"output","time":"2026-11-22T10:00:01.16Z","target":"laser","action":"switch","value":1}
`
	second := strings.ReplaceAll(run, "T10:", "T11:")
	cut := `{"kind":"output","time":"2026-11-22T10:00:02Z","target":"la` + "\n"
	for _, c := range []struct {
		name, trace string
	}{
		{"partial line", run + cut + second},
		{"NUL bytes", run + strings.Repeat("\x00", 8192) + "\n" + second},
		{"the restart glued on", run + strings.TrimSuffix(cut, "\n") + second},
	} {
		trace := writeFile(t, dir, "torn.trace", c.trace)
		code, out, errs := runCLI(t, "", "verify", "-c", "../../rules.yaml", trace)
		if code != 0 || !strings.Contains(out, "ok") || !strings.Contains(errs, "torn.trace: monitor: trace line 5 cannot be read") {
			t.Errorf("%s: exit %d\n%s%s", c.name, code, out, errs)
		}
	}
	// The second run lights the laser five minutes: found.
	lit := second + `{"kind":"output","time":"2026-11-22T11:05:00Z","target":"laser","action":"switch","value":0}` + "\n"
	trace := writeFile(t, dir, "torn.trace", run+cut+lit)
	if code, _, errs := runCLI(t, "", "verify", "-c", "../../rules.yaml", trace); code != 1 || !strings.Contains(errs, "light_budget laser") {
		t.Errorf("the run after the torn line: exit %d\n%s", code, errs)
	}
	trace = writeFile(t, dir, "garbage.trace", "\x00\x00\x00\n"+cut)
	if code, out, errs := runCLI(t, "", "verify", "-c", "../../rules.yaml", trace); code != 1 || strings.Contains(out, "ok") ||
		!strings.Contains(errs, "garbage.trace: monitor: trace line 1: invalid character") {
		t.Errorf("nothing readable: exit %d\n%s%s", code, out, errs)
	}
}

// A --trace file whose last run was cut off mid-line gets the next run's
// restart line on a line of its own.
func TestOutputTraceAfterATornLine(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, before string }{
		{"new", ""},
		{"whole lines", `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":true}` + "\n"},
		{"torn", `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":true}` + "\n" + `{"kind":"out`},
		{"NUL bytes", `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":true}` + "\n\x00\x00\x00\x00"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".trace")
		if c.before != "" {
			writeFile(t, dir, filepath.Base(path), c.before)
		}
		_, closeTrace, err := openOutputTrace(path, true, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		closeTrace()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		last := lines[len(lines)-1]
		if !strings.HasPrefix(last, `{"kind":"restart","time":"`) || !strings.HasPrefix(string(b), strings.TrimSuffix(c.before, "\n")) {
			t.Errorf("%s: %q", c.name, b)
		}
		if want := strings.Count(c.before, "\n") + 1 + btoi(c.before != "" && !strings.HasSuffix(c.before, "\n")); len(lines) != want {
			t.Errorf("%s: %d lines, want %d: %q", c.name, len(lines), want, b)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
