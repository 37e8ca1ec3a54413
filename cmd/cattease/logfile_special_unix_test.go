//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// --record on a FIFO (or /dev/stdout into a pipe) writes its lines and
// closes without an error: a pipe has nothing to sync (EINVAL), which was
// counted a failed write and ended the run with exit 1; nor is a FIFO
// rotated aside at --record-max.
func TestLogFileOnAFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip("no FIFO here:", err)
	}
	got := make(chan string)
	go func() {
		f, err := os.Open(path)
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- string(b)
	}()
	lf, err := openLogFile(path, logFileOptions{MaxSize: 50, Keep: -1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		lf.Write([]byte(numbered(i)))
		flushNow(lf)
	}
	if err := lf.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if out := <-got; strings.Count(out, "\n") != 4 {
		t.Errorf("read %q, want 4 lines", out)
	}
	if st := lf.stats(); st.Failures != 0 || st.Rotations != 0 {
		t.Errorf("%+v, want no failure and no rotation", st)
	}
}

// A --record-max that is no number (nan) is refused, as any other.
func TestParseSizeRefusesNaN(t *testing.T) {
	for _, s := range []string{"nan", "NaN MB", "inf", "-1"} {
		if _, err := parseSize(s); err == nil {
			t.Errorf("parseSize(%q) accepted", s)
		}
	}
}

// The last lines of a show, waiting at Close when the file reaches its
// size limit (EFBIG), are written whole in the next file, not lost with a
// half line left at the end.
func TestLogFileCloseAtTheSizeLimit(t *testing.T) {
	efbig := &os.PathError{Op: "write", Path: "chat.jsonl", Err: syscall.EFBIG}
	path := filepath.Join(t.TempDir(), "chat.jsonl")
	lf := capLog(t, path, 1<<40, 100, efbig, false)
	lf.Write([]byte(numbered(0)))
	flushNow(lf)
	for i := 1; i < 4; i++ { // 40 bytes fit of 120 waiting
		lf.Write([]byte(numbered(i)))
	}
	if err := lf.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if lines := readLines(t, lf, true); len(lines) != 4 {
		t.Errorf("%d lines kept, want 4: %q", len(lines), lines)
	}
}
