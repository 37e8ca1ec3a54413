package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay"
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

// The events that went back in time are named by line, as bad lines are:
// the first five, counting blank and bad lines, the first line and the
// peeked first event included, with or without --strict.
func TestReplayNamesLinesBackInTime(t *testing.T) {
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	event := func(i int, d time.Duration) string {
		b, err := replay.AppendEvent(nil, danmu.Event{Platform: "bilibili", Room: "1", Kind: danmu.KindChat,
			ID: fmt.Sprint(i), Time: at.Add(d), Text: "左", User: danmu.User{ID: fmt.Sprint(i), Role: danmu.RoleViewer}})
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(b))
	}
	ms := time.Millisecond
	path := writeRecord(t,
		event(1, 2*time.Second), // line 1, the peeked one
		event(2, 1*time.Second), // 2: back by 1s
		"",
		event(3, 3*time.Second),
		event(4, 2983*ms), // 5: back by 17ms
		event(5, 4*time.Second),
		event(6, 3900*ms), // 7
		event(7, 3950*ms), // 8
		event(8, 4100*ms),
		event(9, 4050*ms),  // 10
		event(10, 4000*ms), // 11
		event(11, 5*time.Second),
	)
	want := noStartNote(path, shippedLead) + "6 event(s) went back in time, by up to 1s, on line(s) 2, 5, 7, 8, 10, …: each was decided at the latest time before it\n"
	for _, strict := range []bool{false, true} {
		args := []string{"replay", "-c", "../../rules.yaml", path}
		if strict {
			args = []string{"replay", "--strict", "-c", "../../rules.yaml", path}
		}
		code, out, errs := runCLI(t, "", args...)
		if code != 0 || strings.Count(out, `"kind":"decision"`) < 11 {
			t.Fatalf("strict %v: exit %d\n%s", strict, code, errs)
		}
		if errs != want {
			t.Fatalf("strict %v: stderr %q, want %q", strict, errs, want)
		}
	}

	// A bad line counts as a line, and the event after it is named by its own.
	path = writeRecord(t, event(1, time.Second), "not json", event(2, 0))
	code, _, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", path)
	if code != 0 || !strings.Contains(errs, "skipped: replay: line 2: bad event") ||
		!strings.Contains(errs, "1 event(s) went back in time, by up to 1s, on line(s) 3: ") {
		t.Fatalf("exit %d\n%s", code, errs)
	}
}

// A record at a time the rig cannot count in nanoseconds since 1970
// (UnixNano) is a bad line naming its line, skipped or, under --strict,
// the error, and no panic: before, a moderator's 激光 in the year 2300
// panicked in the rig's dwell. A record at the very end of the range
// replays, its trace ending before 2262 (TestReplayEndOfRangeTraceVerifies).
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
		// (2 s into the day: the rig, started a settle before it, starts the same day)
		path = writeRecord(t, laser("2026-01-01T00:00:02Z"), laser(tc.time))
		code, _, errs = runCLI(t, "", "replay", "--strict", "-c", "../../rules.yaml", path)
		if code != 1 || errs != noStartNote(path, shippedLead)+"control: replay: replay: line 2: bad event: "+tc.msg+"\n" {
			t.Errorf("%s, --strict: exit %d\n%s", tc.time, code, errs)
		}
	}
	path := writeRecord(t, laser("2261-12-31T23:59:59.999Z"))
	code, out, errs := runCLI(t, "", "replay", "--verify", "-c", "../../rules.yaml", path)
	if code != 0 || !strings.Contains(out, `"time":"2261-12-31T23:59:00Z"`) || strings.Contains(out, `"time":"2262-`) {
		t.Fatalf("the end of the range: exit %d\n%s", code, errs)
	}
}
