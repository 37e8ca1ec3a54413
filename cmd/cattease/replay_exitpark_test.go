package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A replay without --state ends as the Pi's clean exit does: the exit's
// park, the axes home, marked as the exit's. Before, only --state parked,
// and a plain replay's trace ended with the dot wherever the last command
// left it. (Servos that go limp at rest stay where they are at the exit,
// live too: the rules here keep pan driven past the replay's end.)
func TestReplayEndsWithTheExitsPark(t *testing.T) {
	b, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rules := strings.Replace(string(b), "detach_after: 2s    # stop pulses", "detach_after: 10m   # stop pulses", 1)
	if rules == string(b) {
		t.Fatal("no detach_after in rules.yaml to change")
	}
	cfg := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(cfg, []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	path := writeRecord(t,
		`{"kind":"start","time":"2026-11-22T10:00:00Z"}`,
		`{"kind":"chat","id":"1","time":"2026-11-22T10:00:05Z","user":{"id":"1","name":"m","role":"moderator"},"text":"左","received":"2026-11-22T10:00:05Z"}`,
	)
	code, out, errs := runCLI(t, "", "replay", "--verify", "-c", cfg, path)
	if code != 0 {
		t.Fatalf("replay: exit %d\n%s\n%s", code, errs, out)
	}
	var last string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, `"target":"pan"`) && strings.Contains(l, `"action":"move"`) {
			last = l
		}
	}
	if !strings.Contains(last, `"exit":true`) || !strings.Contains(last, `"value":0}`) {
		t.Fatalf("the trace's last pan angle is not the exit's park home: %s\n%s", last, out[max(0, len(out)-1500):])
	}
}
