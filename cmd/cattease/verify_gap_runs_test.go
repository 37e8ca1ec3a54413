package main

import (
	"strings"
	"testing"
)

// A gap line in a trace that --trace appended more runs to no longer
// leaves those runs unchecked: verify reads on from the next restart line,
// shows the violation of a later run (the laser lit while the rig homes),
// then the gap, and fails. Before, it printed the gap alone.
func TestVerifyChecksTheRunsAfterAGap(t *testing.T) {
	run1 := strings.Join(strings.SplitAfter(litTrace, "\n")[:4], "") +
		`{"kind":"output","time":"2026-11-22T10:00:05Z","target":"laser","action":"switch","value":0}` + "\n"
	gap := `{"kind":"gap","time":"2026-11-22T10:00:05.02Z","lost":3}` + "\n" +
		`{"kind":"output","time":"2026-11-22T10:00:30Z","target":"pan","action":"move","value":10}` + "\n"
	run2 := `{"kind":"restart","time":"2026-11-22T12:00:00Z","keep_state":true}
{"kind":"output","time":"2026-11-22T12:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T12:00:00Z","target":"tilt","action":"move","value":20}
{"kind":"output","time":"2026-11-22T12:00:00.1Z","target":"laser","action":"switch","value":1}
{"kind":"output","time":"2026-11-22T12:00:02Z","target":"laser","action":"switch","value":0}
`
	trace := writeFile(t, t.TempDir(), "runs.trace", run1+gap+run2)
	code, out, errs := runCLI(t, "", "verify", "-c", "../../rules.yaml", trace)
	v := strings.Index(errs, "violation: "+trace+":11: 2026-11-22T12:00:00.1Z hold laser: laser lit ")
	g := strings.Index(errs, "runs.trace: monitor: trace line 6: 3 line(s) lost from 2026-11-22T10:00:05.02Z on")
	if code != 1 || strings.Contains(out, "ok") || v < 0 || g < v || strings.Count(errs, "violation: ") != 1 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
}
