package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A record at the very end of the years it may hold (2261) replays into
// a trace that cattease verify reads: no line of it reaches 2262, where
// the monitor's nanoseconds since 1970 end their range, as replay's own
// --verify passes it. Before, the drain ran a week past the last event and
// wrote lines from 2262-01-01 on, which verify refused.
func TestReplayEndOfRangeTraceVerifies(t *testing.T) {
	laser := func(id, at, received string) string {
		return `{"kind":"chat","id":"` + id + `","time":"` + at + `","user":{"id":"1","name":"m","role":"moderator"},"text":"激光","received":"` + received + `"}`
	}
	path := writeRecord(t,
		`{"kind":"start","time":"2261-12-31T23:58:00Z"}`,
		laser("1", "2261-12-31T23:58:30Z", "2261-12-31T23:58:30Z"),
		laser("2", "2261-12-31T23:59:50Z", "2261-12-31T23:59:59.999999999Z"), // received late on the last day
	)
	code, out, errs := runCLI(t, "", "replay", "--verify", "-c", "../../rules.yaml", path)
	if code != 0 || strings.Count(out, `"reason":"ran"`) != 2 {
		t.Fatalf("replay: exit %d\n%s\n%s", code, errs, out)
	}
	if strings.Contains(out, `"time":"2262-`) {
		t.Errorf("the trace reaches 2262:\n%s", out[strings.Index(out, `"time":"2262-`)-100:])
	}
	trace := filepath.Join(t.TempDir(), "trace.jsonl")
	if err := os.WriteFile(trace, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, vout, verrs := runCLI(t, "", "verify", "-c", "../../rules.yaml", trace); code != 0 {
		t.Fatalf("verify of the replay's trace: exit %d\n%s%s", code, vout, verrs)
	}
}
