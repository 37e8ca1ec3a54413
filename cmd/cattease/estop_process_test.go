package main

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEmergencyStopSurvivesAKill: the binary on the hardware path (the
// mock driver without --dry-run: the state directory is kept as on the
// Pi) is stopped by `cattease halt`, then killed (SIGKILL: no clean
// exit). The next start is stopped, refuses 激光, and lights it only
// after the panel's resume, which clears the stop for good.
func TestEmergencyStopSurvivesAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	state := t.TempDir()
	env := append(os.Environ(), "STATE_DIRECTORY="+state)
	cfg := mockRules(t)
	args := []string{"run", "--stdin", "-v", "-q", "--listen", "127.0.0.1:0", "-c", cfg}
	stopFile := filepath.Join(state, "cattease-estop")

	first := startBinary(t, env, args...)
	halt := exec.Command(catteaseBinary(t), "halt", "-c", cfg)
	halt.Env = env
	if out, err := halt.CombinedOutput(); err != nil || !strings.Contains(string(out), "emergency stop sent") {
		t.Fatalf("halt: %v\n%s", err, out)
	}
	first.stopped(t, true)
	waitFile(t, stopFile, true)
	first.cmd.Process.Kill()
	first.cmd.Wait()

	next := startBinary(t, env, args...)
	next.wait(t, "the emergency stop from before this start still holds")
	next.stopped(t, true)
	io.WriteString(next.stdin, "甲: 激光\n")
	waitStatus(t, next, `"reason":"stopped"`)

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
	waitFile(t, stopFile, false)
	io.WriteString(next.stdin, "甲: 激光\n")
	next.wait(t, `mock output" output=laser action=switch value=1`)
	if lit := strings.Count(strings.Join(next.seen, "\n"), "output=laser action=switch value=1"); lit != 1 {
		t.Fatalf("the laser lit %d times; once, after the resume, expected", lit)
	}
	next.stop(t)
}

// waitFile polls until path exists (or not).
func waitFile(t *testing.T, path string, exists bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) { // polling for an outcome
		if _, err := os.Stat(path); (err == nil) == exists {
			return
		}
	}
	t.Fatalf("%s: never exists=%v", path, exists)
}

// waitStatus polls /api/status until its body holds needle.
func waitStatus(t *testing.T, p *proc, needle string) {
	t.Helper()
	var body []byte
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) { // polling for an outcome
		resp, err := http.Get(p.url + "/api/status")
		if err == nil {
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), needle) {
				return
			}
		}
	}
	t.Fatalf("/api/status never had %s: %s", needle, body)
}
