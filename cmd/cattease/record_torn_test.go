package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A --record whose last line was torn (a power cut, or a disk full to the
// end of the run) and a second run: its start line begins a line of its
// own, and replay reads it. A line torn just before its newline is whole
// again: replay counts the restart, and --strict replays it all. One torn
// in the middle is one bad line, skipped (the replay then starts at the
// second run's start line, before the first event left), or where
// --strict stops, named.
// Before, the start line was glued to the torn line: replay skipped both
// as one bad line and did not count the restart, and --strict stopped
// there even when the torn line lacked only its newline.
func TestRunRecordAfterATornLine(t *testing.T) {
	for _, cut := range []int{1, 20} {
		rec := filepath.Join(t.TempDir(), "rec.jsonl")
		for i, text := range []string{"左\n", "右\n"} {
			if code, _, errs := runCLI(t, text, "run", "--listen", "off", "--dry-run", "--stdin", "-q", "-c", "../../rules.yaml", "--record", rec); code != 0 {
				t.Fatalf("cut %d, run %d: exit %d\n%s", cut, i+1, code, errs)
			}
			if i == 0 {
				fi, err := os.Stat(rec)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.Truncate(rec, fi.Size()-int64(cut)); err != nil {
					t.Fatal(err)
				}
			}
		}
		b, err := os.ReadFile(rec)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		if len(lines) != 4 || !strings.HasPrefix(lines[2], `{"kind":"start","time":`) || !strings.HasSuffix(lines[2], `}`) {
			t.Fatalf("cut %d: the second run's start line is not a line of its own:\n%s", cut, b)
		}
		restarted := "cattease: " + rec + ": 1 start line(s) after the first event, where the live run restarted"
		code, out, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", rec)
		if skipped := strings.Count(errs, "skipped:"); code != 0 || strings.Contains(errs, restarted) != (cut == 1) || skipped != min(cut-1, 1) {
			t.Fatalf("cut %d: replay: exit %d, %d line(s) skipped, want the restart counted:\n%s", cut, code, skipped, errs)
		}
		// The first event left is the second run's: the rig starts at its
		// start line, not at the first run's.
		var start, first struct {
			Time time.Time `json:"time"`
		}
		if err := json.Unmarshal([]byte(lines[2]), &start); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(firstLines(out, 1)), &first); err != nil {
			t.Fatal(err)
		}
		if want := start.Time; cut > 1 && !first.Time.Equal(want) {
			t.Fatalf("cut %d: the replay starts at %v, not at the second run's start line, %v", cut, first.Time, want)
		}
		code, _, errs = runCLI(t, "", "replay", "--strict", "-c", "../../rules.yaml", rec)
		if cut == 1 && (code != 0 || !strings.Contains(errs, restarted)) || cut > 1 && (code != 1 || !strings.Contains(errs, "replay: line 2: ")) {
			t.Fatalf("cut %d: replay --strict: exit %d:\n%s", cut, code, errs)
		}
	}
}

// The record and the audit log (logFile) append to a file that ends in a
// torn line after a newline; a file they rotate before the first write
// gets none, the torn line ending with that newline in the file renamed
// (TestLogFileRotatesATornLineWhole).
func TestLogFileAfterATornLine(t *testing.T) {
	for _, rotate := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "audit.jsonl")
		if err := os.WriteFile(path, []byte("{\"kind\":\"decision\",\"ti"), 0o600); err != nil {
			t.Fatal(err)
		}
		opt := logFileOptions{Name: "audit log"}
		if rotate {
			opt.MaxSize, opt.Keep = 30, 1
		}
		lf, err := openLogFile(path, opt)
		if err != nil {
			t.Fatal(err)
		}
		lf.Write([]byte("{\"kind\":\"decision\"}\n"))
		if err := lf.Close(); err != nil {
			t.Fatal(err)
		}
		want := "{\"kind\":\"decision\",\"ti\n{\"kind\":\"decision\"}\n"
		if rotate {
			want = "{\"kind\":\"decision\"}\n"
		}
		if got := readFile(t, path); got != want {
			t.Errorf("rotate %v: the file holds %q, want %q", rotate, got, want)
		}
	}
}
