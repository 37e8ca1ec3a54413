package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// capFile is a real file that may grow to cap bytes and no more, as under
// ulimit -f, systemd's LimitFSIZE= or on FAT32 at 4 GiB: a write past it
// writes what fits and fails with err.
type capFile struct {
	*os.File
	size *int64
	cap  int64
	err  error
}

func (f capFile) Write(p []byte) (int, error) {
	room := f.cap - *f.size
	if int64(len(p)) <= room {
		*f.size += int64(len(p))
		return f.File.Write(p)
	}
	n, _ := f.File.Write(p[:room])
	*f.size += int64(n)
	return n, f.err
}

func (f capFile) Truncate(size int64) error {
	if err := f.File.Truncate(size); err != nil {
		return err
	}
	*f.size = size
	return nil
}

// stuckFile is a capFile that cannot be truncated.
type stuckFile struct{ f capFile }

func (f stuckFile) Write(p []byte) (int, error) { return f.f.Write(p) }
func (f stuckFile) Sync() error                 { return f.f.Sync() }
func (f stuckFile) Close() error                { return f.f.Close() }

// capLog opens a logFile at path on capFiles of cap bytes failing with
// err (stuck: ones that cannot be truncated), rotating at maxSize.
func capLog(t *testing.T, path string, maxSize, cap int64, err error, stuck bool) *logFile {
	t.Helper()
	open := func(p string) (logSink, int64, error) {
		f, size, oerr := openAppend(p, 0o600)
		if oerr != nil {
			return nil, 0, oerr
		}
		s := size
		cf := capFile{f.(*os.File), &s, cap, err}
		if stuck {
			return stuckFile{cf}, size, nil
		}
		return cf, size, nil
	}
	now := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)
	lf, oerr := openLogFile(path, logFileOptions{MaxSize: maxSize, Keep: -1, open: open,
		now: func() time.Time { now = now.Add(time.Second); return now }})
	if oerr != nil {
		t.Fatal(oerr)
	}
	return lf
}

// numbered is line i, 40 bytes.
func numbered(i int) string { return fmt.Sprintf("%039d\n", i) }

// readLines reads the files of lf in order, rotated first, and returns
// their lines; whole, each file must end in a newline.
func readLines(t *testing.T, lf *logFile, whole bool) []string {
	t.Helper()
	var all string
	for _, name := range append(lf.rotated(), lf.path) {
		b := readFile(t, name)
		if whole && b != "" && !strings.HasSuffix(b, "\n") {
			t.Errorf("%s ends in a torn line: %q", filepath.Base(name), b)
		}
		all += b
	}
	lines := strings.SplitAfter(all, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// A per-file limit below --record-max: a line cut at the limit could
// never be finished in its file, b758f2e's rule held the rotation until
// it was, and the record stalled there for good, dropping every line
// after 8 MiB. The cut line is taken back (the file truncated to where it
// began) and written whole in the new file: every line is kept, whole, in
// order. The limit's EFBIG rotates at once; another error (the reviewer's
// "file too large") once the lines waiting make the rotation due.
func TestLogFileCutLineAtFileSizeLimitRotates(t *testing.T) {
	efbig := &os.PathError{Op: "write", Path: "chat.jsonl", Err: syscall.EFBIG}
	for _, c := range []struct {
		name    string
		maxSize int64
		err     error

		left int // lines the last file cannot take: another error is retried there
	}{
		{"EFBIG, record-max far above the limit", 1 << 40, efbig, 0},
		{"EFBIG, no record-max", 0, efbig, 0},
		{"other error, rotation due", 200, errors.New("write: file too large"), 2},
	} {
		path := filepath.Join(t.TempDir(), "chat.jsonl")
		lf := capLog(t, path, c.maxSize, 100, c.err, false)
		const n = 30
		for i := range n {
			lf.Write([]byte(numbered(i)))
			flushNow(lf)
		}
		for range 4 { // what waits: a flush a tick
			flushNow(lf)
		}
		if err := lf.Close(); (err != nil) != (c.left > 0) {
			t.Errorf("%s: %v", c.name, err)
		}
		st := lf.stats()
		if st.Rotations < 10 || st.DroppedLines != 0 || st.TornLines != 0 {
			t.Errorf("%s: %+v, want at least 10 rotations, nothing dropped or torn", c.name, st)
		}
		lines := readLines(t, lf, c.left == 0)
		if c.left > 0 { // the last line cut, where the rest of it waited
			if last := lines[len(lines)-1]; !strings.HasPrefix(numbered(n-c.left), last) {
				t.Errorf("%s: the last file ends in %q", c.name, last)
			}
			lines = lines[:len(lines)-1]
		}
		if len(lines) != n-c.left {
			t.Errorf("%s: the files hold %d lines, want %d:\n%q", c.name, len(lines), n-c.left, lines)
			continue
		}
		for i, l := range lines {
			if l != numbered(i) {
				t.Errorf("%s: line %d is %q, want %q", c.name, i+1, l, numbered(i))
			}
		}
	}
}

// A file at its limit that cannot be truncated keeps the cut line's head
// as a torn line of its own (counted), and the line is written whole in
// the new file: the record goes on, every line kept.
func TestLogFileCutLineUntruncatableRotates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chat.jsonl")
	efbig := &os.PathError{Op: "write", Path: path, Err: syscall.EFBIG}
	lf := capLog(t, path, 0, 100, efbig, true)
	const n = 12
	for i := range n {
		lf.Write([]byte(numbered(i)))
		flushNow(lf)
	}
	for range 4 {
		flushNow(lf)
	}
	if err := lf.Close(); err != nil {
		t.Error(err)
	}
	st := lf.stats()
	if st.Rotations == 0 || st.TornLines == 0 || st.TornLines != st.Rotations {
		t.Errorf("%+v, want rotations, each leaving one torn line", st)
	}
	var whole []string
	for _, l := range readLines(t, lf, false) {
		if len(l) == 40 {
			whole = append(whole, l)
		} else if l != "\n" && !strings.HasPrefix(numbered(len(whole)), strings.TrimSuffix(l, "\n")) {
			t.Errorf("%q is neither a whole line nor the head of the next one, %q", l, numbered(len(whole)))
		}
	}
	if len(whole) != n {
		t.Fatalf("%d whole lines, want %d: %q", len(whole), n, whole)
	}
	for i, l := range whole {
		if l != numbered(i) {
			t.Errorf("whole line %d is %q", i+1, l)
		}
	}
}

// A line longer than the file may grow, cut at the start of a file: no
// rotation can take it, it is dropped (counted) and the file cut back to
// empty, where it rotated for ever, an empty file at each flush.
func TestLogFileLineLongerThanTheLimitDropped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chat.jsonl")
	efbig := &os.PathError{Op: "write", Path: path, Err: syscall.EFBIG}
	lf := capLog(t, path, 0, 100, efbig, false)
	big := strings.Repeat("y", 149) + "\n"
	for _, l := range []string{numbered(0), big, numbered(1), numbered(2)} {
		lf.Write([]byte(l))
		flushNow(lf)
	}
	for range 6 {
		flushNow(lf)
	}
	if err := lf.Close(); err != nil {
		t.Error(err)
	}
	if st := lf.stats(); st.Rotations != 1 || st.DroppedLines != 1 {
		t.Errorf("%+v, want one rotation, one line dropped", st)
	}
	if got, want := strings.Join(readLines(t, lf, true), ""), numbered(0)+numbered(1)+numbered(2); got != want {
		t.Errorf("the files hold %q, want %q", got, want)
	}
}
