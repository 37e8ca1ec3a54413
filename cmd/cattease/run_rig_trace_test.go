package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run --rig drives the agents' envelopes, whose outputs this side never
// sees: --trace with it is refused, in both languages, and no file made.
func TestRunRigRefusesTrace(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "trace.jsonl")
	for _, tc := range []struct{ lang, want string }{
		{"en", "cattease: run: --trace does not go with --rig: the trace is written where the safety envelope runs, on the agent, and cattease agent has no --trace yet\n"},
		{"zh", "run：--trace 不能和 --rig 一起用"},
	} {
		code, _, errs := runCLI(t, "左\n", "--lang", tc.lang, "run", "--listen", "off", "--stdin", "-q", "-c", "../../rules.yaml",
			"--rig", "mqtt://127.0.0.1:1/cat", "--trace", trace)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%s: exit %d, stderr %q, want %q", tc.lang, code, errs, tc.want)
		}
		if _, err := os.Stat(trace); err == nil {
			t.Fatal("the refused run made the trace file")
		}
	}
}

// run --rig keeps --record and the audit log apart as a local run does:
// one file named for both is refused before anything is written.
func TestRunRigRefusesOneFileForTwoOutputs(t *testing.T) {
	state := t.TempDir()
	t.Setenv("STATE_DIRECTORY", state)
	audited, _ := rulesEdited(t, "audit:\n  file: \"\"", "audit:\n  file: audit.jsonl")
	code, _, errs := runCLI(t, "左\n", "run", "--listen", "off", "--stdin", "-q", "-c", audited,
		"--rig", "mqtt://127.0.0.1:1/cat", "--record", filepath.Join(state, "audit.jsonl"))
	if code != 2 || !strings.Contains(errs, "--record and audit.file are the same file") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}
