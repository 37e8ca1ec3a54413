package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// litTrace lights the laser for five minutes: over the shipped rules'
// light budget.
const litTrace = `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":false}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"tilt","action":"move","value":20}
{"kind":"output","time":"2026-11-22T10:00:00.02Z","target":"laser","action":"switch","value":1}
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
