package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The --trace file says when each emergency stop was taken and lifted, so
// that `cattease verify` holds the outputs in between to the stop's rule.

// traceKinds lists the kinds of the trace's lines, an output as its
// target and value ("laser=1"), a restart with its keep_state.
func traceKinds(t *testing.T, trace string) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(trace), "\n") {
		var l struct {
			Kind, Target string
			Value        float64
			KeepState    bool `json:"keep_state"`
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		switch l.Kind {
		case "output":
			if l.Target == "laser" && l.Value == 1 {
				out = append(out, "laser=1")
			} else {
				out = append(out, "output")
			}
		case "restart":
			if l.KeepState {
				out = append(out, "restart keep")
			} else {
				out = append(out, "restart")
			}
		default:
			out = append(out, l.Kind)
		}
	}
	return out
}

// A dry run's chat 停 and 继续 are in its trace, and verify checks the
// outputs between them. A dry run keeps no stop: its restart line says so.
func TestDryRunTraceHasTheStops(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "trace.jsonl")
	code, out, errs := runCLI(t, "激光\n左5\n右5\n@mod 房管: 停\n右5\n@mod 房管: 继续\n激光\n",
		"run", "--listen", "off", "--dry-run", "--stdin", "-q", "-c", "../../rules.yaml", "--trace", trace)
	if code != 0 {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, errs)
	}
	b, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	kinds := strings.Join(traceKinds(t, string(b)), " ")
	if !strings.HasPrefix(kinds, "restart ") || strings.Count(kinds, "stop") != 1 || strings.Count(kinds, "resume") != 1 ||
		strings.Index(kinds, "stop") > strings.Index(kinds, "resume") {
		t.Fatalf("the trace's lines: %s", kinds)
	}
	if code, out, errs := runCLI(t, "", "verify", "-c", "../../rules.yaml", trace); code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
}

// On the hardware path (the mock driver without --dry-run) the trace has
// the stop `cattease halt` sent, and after a kill the next process's
// restart line keeps the state, its first line after that is the stop
// kept in the state directory, before any output, then the panel's
// resume and the laser lit again; verify finds the whole trace keeps the
// stop's rule.
func TestRunTraceKeepsTheStopAcrossAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	state := t.TempDir()
	env := append(os.Environ(), "STATE_DIRECTORY="+state)
	cfg := mockRules(t)
	trace := filepath.Join(state, "trace.jsonl")
	args := []string{"run", "--stdin", "-v", "-q", "--listen", "127.0.0.1:0", "-c", cfg, "--trace", trace}

	first := startBinary(t, env, args...)
	io.WriteString(first.stdin, "甲: 激光\n甲: 左5\n")
	first.wait(t, `mock output" output=laser action=switch value=1`)
	halt := exec.Command(catteaseBinary(t), "halt", "-c", cfg)
	halt.Env = env
	if out, err := halt.CombinedOutput(); err != nil || !strings.Contains(string(out), "emergency stop sent") {
		t.Fatalf("halt: %v\n%s", err, out)
	}
	first.stopped(t, true)
	waitFile(t, filepath.Join(state, "cattease-estop"), true)
	// The stop darkens the laser at the next tick: a kill before it leaves
	// the laser lit, which verify rightly flags (the hardware's off came
	// from the next process). The test kills a stopped, dark rig.
	waitTraceAfterStop(t, trace, `"target":"laser","action":"switch","value":0`)
	first.cmd.Process.Kill()
	first.cmd.Wait()

	next := startBinary(t, env, args...)
	next.stopped(t, true)
	token, err := os.ReadFile(filepath.Join(state, "cattease-token"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", next.url+"/api/control/resume", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("resume: %v %v", resp, err)
	}
	resp.Body.Close()
	next.stopped(t, false)
	io.WriteString(next.stdin, "甲: 激光\n")
	next.wait(t, `mock output" output=laser action=switch value=1`)
	next.stop(t)

	b, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	kinds := traceKinds(t, string(b))
	all := " " + strings.Join(kinds, " ") + " "
	lit, stop, again := strings.Index(all, " laser=1 "), strings.Index(all, " stop "), strings.Index(all, " restart keep stop ")
	resume, relit := strings.Index(all, " resume "), strings.LastIndex(all, " laser=1 ")
	if kinds[0] != "restart keep" || lit < 0 || stop < lit || again < stop || resume < again || relit < resume {
		t.Fatalf("the trace's lines: %s", all)
	}
	if code, out, errs := runCLI(t, "", "verify", "-c", cfg, trace); code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
}

// waitTraceAfterStop polls the trace file until a line holding needle
// follows its last stop line.
func waitTraceAfterStop(t *testing.T, trace, needle string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) { // polling for an outcome
		b, _ := os.ReadFile(trace)
		s := string(b)
		if i := strings.LastIndex(s, `{"kind":"stop"`); i >= 0 && strings.Contains(s[i:], needle) {
			return
		}
	}
	t.Fatalf("%s: no %s after the stop line", trace, needle)
}
