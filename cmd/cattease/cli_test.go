package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code = cli(ctx, args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheckShippedRules(t *testing.T) {
	t.Setenv("STATE_DIRECTORY", t.TempDir()) // a live check probes the state directory
	code, out, errs := runCLI(t, "", "check", "-c", "../../rules.yaml")
	if code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("code %d\n%s%s", code, out, errs)
	}
}

// TestReplayGolden replays a recorded chat file and compares the trace.
// Run with -update after an intended change, and read the diff.
func TestReplayGolden(t *testing.T) {
	code, out, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", "../../testdata/replay/basic.jsonl")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	golden := "../../testdata/replay/basic.trace.jsonl"
	if *update {
		os.WriteFile(golden, []byte(out), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if err := sameTrace(out, string(want)); err != nil {
		t.Fatalf("trace differs from %s (rerun with -update and read the diff): %v", golden, err)
	}
	checkTraceShape(t, out)
}

// sameTrace compares two traces line by line, every field exactly but the
// output values, which may differ in their last bits: arm64 fuses a
// multiply and an add into one instruction where amd64 rounds twice.
func sameTrace(got, want string) error {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	if len(g) != len(w) {
		return fmt.Errorf("%d lines, want %d", len(g), len(w))
	}
	for i := range g {
		if g[i] == w[i] {
			continue
		}
		var a, b map[string]any
		if json.Unmarshal([]byte(g[i]), &a) != nil || json.Unmarshal([]byte(w[i]), &b) != nil {
			return fmt.Errorf("line %d: %s, want %s", i+1, g[i], w[i])
		}
		av, aok := a["value"].(float64)
		bv, bok := b["value"].(float64)
		if !aok || !bok || math.Abs(av-bv) > 1e-9*(1+math.Abs(bv)) {
			return fmt.Errorf("line %d: %s, want %s", i+1, g[i], w[i])
		}
		delete(a, "value")
		delete(b, "value")
		if !reflect.DeepEqual(a, b) {
			return fmt.Errorf("line %d: %s, want %s", i+1, g[i], w[i])
		}
	}
	return nil
}

func TestReplayPlot(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "path.svg")
	code, _, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", "--plot", svg, "../../testdata/replay/basic.jsonl")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	b, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, new(struct{ XMLName xml.Name })); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	for _, want := range []string{"<svg", "window", "camera", "basic.jsonl"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("plot lacks %q", want)
		}
	}
}

func checkTraceShape(t *testing.T, trace string) {
	t.Helper()
	ids := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(trace), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("bad line %q: %v", line, err)
		}
		switch m["kind"] {
		case "decision":
			for _, k := range []string{"time", "event_id", "user_id", "text", "rule", "decision", "reason"} {
				if _, ok := m[k]; !ok {
					t.Fatalf("decision without %q: %s", k, line)
				}
			}
			ids[m["event_id"].(string)] = true
		case "output":
			for _, k := range []string{"time", "target", "action", "value"} {
				if _, ok := m[k]; !ok {
					t.Fatalf("output without %q: %s", k, line)
				}
			}
		case "stop", "resume": // a moderator's 停 and 继续
			if _, ok := m["time"]; !ok || len(m) != 2 {
				t.Fatalf("%s line not its kind and time: %s", m["kind"], line)
			}
		default:
			t.Fatalf("unknown kind in %s", line)
		}
	}
	if len(ids) != 17 {
		t.Fatalf("%d events have decisions, want all 17", len(ids))
	}
}

func TestRunDryRunFromStdin(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "rec.jsonl")
	src, _ := os.ReadFile("../../rules.yaml")
	cfg := filepath.Join(dir, "rules.yaml")
	os.WriteFile(cfg, []byte(strings.Replace(string(src), "audit:\n  file: \"\"", "audit:\n  file: \""+filepath.Join(dir, "audit.jsonl")+"\"", 1)), 0o644)
	code, out, errs := runCLI(t, "左\n猫奴: 右3\n@mod 房管: 停\n", "run", "--listen", "off", "--dry-run", "--stdin", "-c", cfg, "--record", rec)
	if code != 0 {
		t.Fatalf("code %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"viewer: 左 → left (queued)", "猫奴: 右3 → right ×3 (queued)", "房管: 停 → stop (immediate)"} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal view lacks %q:\n%s", want, out)
		}
	}
	recorded, _ := os.ReadFile(rec)
	if n := strings.Count(string(recorded), "\n") - strings.Count(string(recorded), `{"kind":"start",`); n != 3 {
		t.Errorf("recorded %d events, want 3", n)
	}
	audit, _ := os.ReadFile(filepath.Join(dir, "audit.jsonl"))
	if !strings.Contains(string(audit), `"reason":"immediate"`) {
		t.Errorf("audit log: %s", audit)
	}
	code, trace, _ := runCLI(t, "", "replay", "-c", cfg, rec)
	if code != 0 || !strings.Contains(trace, `"rule":"right"`) {
		t.Fatalf("a recording must replay: %d %s", code, trace)
	}
}

func TestUsage(t *testing.T) {
	if code, _, _ := runCLI(t, ""); code != 2 {
		t.Fatal("no args must be usage")
	}
	if code, _, _ := runCLI(t, "", "dance"); code != 2 {
		t.Fatal("unknown command must be usage")
	}
	if code, out, _ := runCLI(t, "", "version"); code != 0 || !strings.HasPrefix(out, "cattease") {
		t.Fatal("version")
	}
	if code, _, errs := runCLI(t, "", "run", "--listen", "off", "--dry-run", "-c", "../../rules.yaml"); code != 2 || !strings.Contains(errs, "no chat source") {
		t.Fatalf("run without sources: %d %s", code, errs)
	}
}

// TestRealDriversFailClearly: without a Pi, a run without --dry-run must
// say why it cannot open the hardware, and open nothing.
func TestRealDriversFailClearly(t *testing.T) {
	code, _, errs := runCLI(t, "左\n", "run", "--listen", "off", "--stdin", "-c", "../../rules.yaml")
	if code != 1 || !strings.Contains(errs, "switch \"laser\"") || !strings.Contains(errs, "--dry-run") {
		t.Fatalf("code %d: %s", code, errs)
	}
}
