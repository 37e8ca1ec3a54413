package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The clock set back (a Pi without a real-time clock boots at the time
// fake-hwclock saved, or in 1970): the file rotated then was named by
// the earlier time, sorted oldest, and prune deleted it at once, keeping
// older ones; cat chat-*.jsonl read it first. Its name now sorts after
// the newest rotated file's.
func TestLogFileClockBackKeepsTheNewest(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "chat.jsonl")
	now := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)
	lf, err := openLogFile(path, logFileOptions{MaxSize: 50, Keep: 2, now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 { // 3 rotations
		now = now.Add(time.Minute)
		lf.Write([]byte(numbered(i)))
		flushNow(lf)
	}
	now = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC) // a reboot, the clock back
	lf.Write([]byte(numbered(4)))                       // rotates line 3 aside
	flushNow(lf)
	if err := lf.Close(); err != nil {
		t.Fatal(err)
	}
	if lines := readLines(t, lf, true); strings.Join(lines, "") != numbered(2)+numbered(3)+numbered(4) {
		t.Errorf("kept, in order: %q; want lines 2, 3 and 4", lines)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "chat-*.jsonl")) // as cat chat-*.jsonl reads them
	var all string
	for _, n := range append(names, path) {
		b, _ := os.ReadFile(n)
		all += string(b)
	}
	if all != numbered(2)+numbered(3)+numbered(4) {
		t.Errorf("chat-*.jsonl chat.jsonl read %q", all)
	}
}

// Rotations within one millisecond: NAME-STAMP-1.EXT sorted before
// NAME-STAMP.EXT ('-' before '.'), and -10 before -2, so prune deleted
// the newer file first. Each name now sorts after the one before.
func TestLogFileSameMillisecondKeepsTheNewest(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "chat.jsonl")
	now := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)
	lf, err := openLogFile(path, logFileOptions{MaxSize: 50, Keep: 11, now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 13 { // 12 rotations in one millisecond
		lf.Write([]byte(numbered(i)))
		flushNow(lf)
	}
	if err := lf.Close(); err != nil {
		t.Fatal(err)
	}
	var want string
	for i := 1; i < 13; i++ {
		want += numbered(i)
	}
	if lines := readLines(t, lf, true); strings.Join(lines, "") != want {
		t.Errorf("kept, in order: %q; want lines 1 to 12", lines)
	}
}

// Files rotated by an older cattease within one millisecond, named
// -1, -2, … -10, are listed in the order they were rotated.
func TestLogFileOldSuffixesSortInOrder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "chat.jsonl")
	stamp := "chat-20261201T200000.000"
	names := []string{stamp + ".jsonl"}
	for _, n := range []string{"1", "2", "10"} {
		names = append(names, stamp+"-"+n+".jsonl")
	}
	for _, n := range append(names, "chat-20261201T200000.001.jsonl") {
		os.WriteFile(filepath.Join(dir, n), nil, 0o600)
	}
	lf, err := openLogFile(path, logFileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	var got []string
	for _, n := range lf.rotated() {
		got = append(got, filepath.Base(n))
	}
	want := append(names, "chat-20261201T200000.001.jsonl")
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("rotated() = %v, want %v", got, want)
	}
}
