package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A full file that cannot be renamed aside (a directory the service user
// may not write, a file of someone else's) grows on past MaxSize, the
// failure logged once, and the rotation is tried again a minute later:
// before, every flush tried the rename again and failed, the lines held
// back in memory, then dropped beyond MaxPending.
func TestLogFileRenameFailsWritesOn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chat.jsonl")
	now := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)
	refuse := true
	var logs bytes.Buffer
	lf, err := openLogFile(path, logFileOptions{MaxSize: 100, Keep: 5, MaxPending: 200,
		Log: slog.New(slog.NewTextHandler(&logs, nil)),
		now: func() time.Time { return now },
		rename: func(from, to string) error {
			if refuse {
				return &os.LinkError{Op: "rename", Old: from, New: to, Err: os.ErrPermission}
			}
			return os.Rename(from, to)
		}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		if _, err := lf.Write([]byte(numbered(i))); err != nil {
			t.Errorf("write %d: %v", i, err)
		}
		if err := flushNow(lf); err != nil {
			t.Errorf("flush %d: %v", i, err)
		}
	}
	if b, _ := os.ReadFile(path); strings.Count(string(b), "\n") != 12 {
		t.Errorf("the file holds %d lines of 12: the lines past the limit were held back", strings.Count(string(b), "\n"))
	}
	if n := strings.Count(logs.String(), "cannot be renamed aside"); n != 1 {
		t.Errorf("the failed rename logged %d times, want once:\n%s", n, logs.String())
	}
	refuse = false
	now = now.Add(59 * time.Second) // not yet tried again
	lf.Write([]byte(numbered(12)))
	flushNow(lf)
	if st := lf.stats(); st.Rotations != 0 {
		t.Errorf("rotated %d times before the minute was out", st.Rotations)
	}
	now = now.Add(time.Second)
	lf.Write([]byte(numbered(13)))
	flushNow(lf)
	if err := lf.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if st := lf.stats(); st.Rotations != 1 || st.DroppedLines != 0 {
		t.Errorf("%+v, want one rotation and no line dropped", st)
	}
	lines := readLines(t, lf, true)
	for i, l := range lines {
		if l != numbered(i) {
			t.Fatalf("line %d is %q", i, l)
		}
	}
	if len(lines) != 14 {
		t.Errorf("%d lines, want 14", len(lines))
	}
}
