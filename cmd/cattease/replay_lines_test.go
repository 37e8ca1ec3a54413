package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeRecord writes lines, one a line, to a file of its own.
func writeRecord(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A record at a time the rig cannot count in nanoseconds since 1970
// (UnixNano) is a bad line naming its line, skipped or, under --strict,
// the error, and no panic: before, a moderator's 激光 in the year 2300
// panicked in the rig's dwell. A record at the very end of the range
// replays, its drain included.
func TestReplayRefusesTimesOutOfRange(t *testing.T) {
	laser := func(t string) string {
		return `{"kind":"chat","time":"` + t + `","user":{"id":"1","name":"m","role":"moderator"},"text":"激光"}`
	}
	for _, tc := range []struct{ time, msg string }{
		{"2300-01-01T00:00:00Z", "time 2300-01-01T00:00:00Z is outside the years 1970 to 2261"},
		{"1678-01-01T00:00:00Z", "time 1678-01-01T00:00:00Z is outside the years 1970 to 2261"},
	} {
		path := writeRecord(t, laser(tc.time))
		code, _, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", path)
		if code != 1 || !strings.HasPrefix(errs, "skipped: replay: line 1: bad event: "+tc.msg+"\n") ||
			!strings.Contains(errs, "no event to replay, only 1 bad line(s)") {
			t.Errorf("%s: exit %d\n%s", tc.time, code, errs)
		}
		path = writeRecord(t, laser("2026-01-01T00:00:00Z"), laser(tc.time))
		code, _, errs = runCLI(t, "", "replay", "--strict", "-c", "../../rules.yaml", path)
		if code != 1 || errs != "control: replay: replay: line 2: bad event: "+tc.msg+"\n" {
			t.Errorf("%s, --strict: exit %d\n%s", tc.time, code, errs)
		}
	}
	path := writeRecord(t, laser("2261-12-31T23:59:59.999Z"))
	code, out, errs := runCLI(t, "", "replay", "--verify", "-c", "../../rules.yaml", path)
	if code != 0 || !strings.Contains(out, `"time":"2262-01-01T00:00:`) {
		t.Fatalf("the end of the range: exit %d\n%s", code, errs)
	}
}
