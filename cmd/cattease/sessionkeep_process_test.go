package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestARestartIsNoRest: the real binary on the hardware path (the mock
// driver without --dry-run, the state directory kept as on the Pi)
// plays 5 s of a 16 s session, is killed (SIGKILL: no clean exit) and
// started again a second later; chat asks on for 16 s. The session goes
// on across the restart (kept in the state directory): the second
// process plays, and stops 16 s after the first process's first move;
// `cattease verify`, reading every output of both processes, finds the
// session rule kept. Without the kept session the second process played
// a session of its own.
func TestARestartIsNoRest(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary twice")
	}
	bin := catteaseBinary(t)
	dir := t.TempDir()
	rules := crashRules(t, dir)
	b, err := os.ReadFile(rules)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for old, new := range map[string]string{"max_play: 10m": "max_play: 16s", "rest: 20m": "rest: 1m"} {
		if !strings.Contains(s, old) {
			t.Fatalf("rules.yaml has no %q", old)
		}
		s = strings.Replace(s, old, new, 1)
	}
	if err := os.WriteFile(rules, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	trace := filepath.Join(dir, "trace.jsonl")
	moves := func() int {
		n := 0
		for _, l := range readMoves(t, trace) {
			if l.Kind == "output" && l.Action == "move" {
				n++
			}
		}
		return n
	}
	play := func(d time.Duration) (stderr *bytes.Buffer, cmd *exec.Cmd) {
		cmd = rigCommand(bin, "run", "-q", "-c", rules, "--stdin", "--trace", trace)
		cmd.Env = append(os.Environ(), "STATE_DIRECTORY="+dir)
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stderr = &bytes.Buffer{}
		cmd.Stderr = stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if cmd.ProcessState == nil {
				cmd.Process.Kill()
				cmd.Wait()
			}
		})
		before := moves()
		for deadline := time.Now().Add(5 * time.Second); moves() == before; time.Sleep(20 * time.Millisecond) { // polling for the start
			io.WriteString(stdin, "@mod 猫: 左\n")
			if time.Now().After(deadline) {
				t.Fatalf("no move within 5 s of the start:\n%s", stderr)
			}
		}
		for i, end := 0, time.Now().Add(d); time.Now().Before(end); i++ {
			io.WriteString(stdin, []string{"@mod 猫: 右\n", "@mod 猫: 左\n"}[i%2])
			time.Sleep(200 * time.Millisecond) // chat's pace
		}
		return stderr, cmd
	}
	_, first := play(5 * time.Second)
	first.Process.Signal(syscall.SIGKILL)
	first.Wait()
	time.Sleep(time.Second) // down, far less than the rest
	log, next := play(16 * time.Second)
	next.Process.Signal(syscall.SIGTERM)
	if err := next.Wait(); err != nil {
		t.Errorf("the second run: %v\n%s", err, log)
	}

	// The session's span, from the first process's first move to the last
	// move of play (not the exit's park home, which is no play).
	var start, last time.Time
	restarts, after := 0, 0 // moves of play after the restart
	for _, l := range readMoves(t, trace) {
		if l.Kind == "restart" {
			restarts++
		}
		if l.Kind != "output" || l.Action != "move" || l.Exit {
			continue
		}
		if start.IsZero() && l.Value != 0 && l.Target == "pan" {
			start = l.Time
		}
		if restarts == 2 && l.Value != 0 && l.Target == "pan" {
			after++
		}
		last = l.Time
	}
	if span := last.Sub(start); start.IsZero() || span > 18*time.Second {
		t.Errorf("played %v from the first process's first move (max_play 16s, down 1 s between)", span)
	}
	if after == 0 {
		t.Errorf("the second process never played: the session should go on, %v were left", 10*time.Second)
	}
	out, err := exec.Command(bin, "verify", "-c", rules, trace).CombinedOutput()
	if err != nil {
		t.Fatalf("verify: %v\n%s", err, firstLines(string(out), 20))
	}
	if kept, err := os.ReadFile(filepath.Join(dir, "cattease-state.session.json")); err != nil || !bytes.Contains(kept, []byte(`"clean":true`)) {
		t.Errorf("the session kept at the clean exit: %s, %v", kept, err)
	}
}

type moveLine struct {
	Kind   string    `json:"kind"`
	Time   time.Time `json:"time"`
	Exit   bool      `json:"exit"`
	Target string    `json:"target"`
	Action string    `json:"action"`
	Value  float64   `json:"value"`
}

// readMoves reads the trace's lines; a torn one (a kill mid-write) is
// skipped.
func readMoves(t *testing.T, path string) []moveLine {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var lines []moveLine
	for _, raw := range bytes.Split(b, []byte("\n")) {
		var l moveLine
		if json.Unmarshal(raw, &l) == nil {
			lines = append(lines, l)
		}
	}
	return lines
}
