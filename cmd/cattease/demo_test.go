package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu/console"
	"github.com/cattease/cattease/danmu/replay"
)

// demoHints returns the chat lines `make demo` suggests, read from the
// Makefile so the test follows the hint as it is written.
func demoHints(t *testing.T) []string {
	t.Helper()
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatalf("Makefile: %v", err)
	}
	m := regexp.MustCompile(`Type chat lines \((.*?) …\)`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("no `Type chat lines (… …)` hint in ../../Makefile")
	}
	hints := strings.Split(string(m[1]), ", ")
	for _, want := range []string{"画圈", "@mod"} {
		if !strings.Contains(string(m[1]), want) {
			t.Fatalf("hints %q lack %s", hints, want)
		}
	}
	return hints
}

// TestDemoHints: every line `make demo` suggests, typed into the console at
// a human pace (3 s apart, longer than the shipped user cooldown), is
// accepted by the shipped rules.yaml. The console parses each line as it
// would from stdin; replay runs the events through the same engine and
// envelope as `run --dry-run`, on a virtual clock.
func TestDemoHints(t *testing.T) {
	hints := demoHints(t)
	t0 := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)
	var rec bytes.Buffer
	w := replay.NewWriter(&rec)
	for i, line := range hints {
		src := &console.Source{Now: func() time.Time { return t0.Add(time.Duration(i) * 3 * time.Second) }}
		ev, ok := src.Parse(line, i+1)
		if !ok {
			t.Fatalf("hint %q: the console reads no message", line)
		}
		if err := w.Write(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.jsonl")
	if err := os.WriteFile(path, rec.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, trace, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", path)
	if code != 0 {
		t.Fatalf("replay: code %d: %s", code, errs)
	}
	first := map[string]map[string]any{} // event id → its first decision
	for _, l := range strings.Split(strings.TrimSpace(trace), "\n") {
		var d map[string]any
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			t.Fatalf("trace line %q: %v", l, err)
		}
		if id, _ := d["event_id"].(string); d["kind"] == "decision" && first[id] == nil {
			first[id] = d
		}
	}
	for i, line := range hints {
		d := first["console-"+strconv.Itoa(i+1)]
		if d == nil || d["decision"] != "accepted" || d["rule"] == "" {
			t.Errorf("hint %q: %v, want accepted", line, d)
		}
	}
}

// The guard and medal hints through `run --dry-run --stdin` itself, as a
// user types them; without the tag (or below the level) they are refused.
// The run ends once both sequences have played (a few seconds).
func TestDemoGuardAndMedalFromStdin(t *testing.T) {
	code, out, errs := runCLI(t, "猫奴: 画圈\n@guard1 猫奴: 画圈\n@medal5 粉丝: 之字\n@medal4 路人: 之字\n",
		"run", "--listen", "off", "--dry-run", "--stdin", "-c", "../../rules.yaml")
	if code != 0 {
		t.Fatalf("code %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"猫奴: 画圈 → circle (permission)", "猫奴: 画圈 → circle (queued)", "粉丝: 之字 → zigzag (queued)", "路人: 之字 → zigzag (permission)"} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal view lacks %q:\n%s", want, out)
		}
	}
}
