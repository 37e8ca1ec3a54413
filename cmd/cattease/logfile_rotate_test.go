package main

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// shortFile is a real file with room for so many bytes more: a write
// past them writes what fits and fails, as on a disk that fills.
type shortFile struct {
	*os.File
	room *int
	mu   *sync.Mutex
}

func (f shortFile) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if *f.room >= len(p) {
		*f.room -= len(p)
		return f.File.Write(p)
	}
	n, _ := f.File.Write(p[:*f.room])
	*f.room = 0
	return n, errors.New("write: no space left on device")
}

// shortLog opens a logFile at path on shortFiles sharing room, rotating
// at maxSize, with a clock of its own.
func shortLog(t *testing.T, path string, maxSize int64, keep int, room *int, mu *sync.Mutex) *logFile {
	t.Helper()
	open := func(p string) (logSink, int64, error) {
		f, size, err := openAppend(p, 0o600)
		if err != nil {
			return nil, 0, err
		}
		return shortFile{f.(*os.File), room, mu}, size, nil
	}
	now := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)
	lf, err := openLogFile(path, logFileOptions{MaxSize: maxSize, Keep: keep, open: open,
		now: func() time.Time { now = now.Add(time.Second); return now }})
	if err != nil {
		t.Fatal(err)
	}
	return lf
}

func flushNow(lf *logFile) error {
	lf.ioMu.Lock()
	defer lf.ioMu.Unlock()
	return lf.flushLocked(false)
}

// A write the disk cut short mid-line, then a retry that rotates: the
// rest of the line went to the new file, and the file renamed ended in
// half of it, the new one beginning with the other half (replay skips
// both, and the files read in order glue them into one line only if
// nothing came between). The rotation now waits for the line's end.
func TestLogFileRotatesBetweenLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chat.jsonl")
	room, mu := 1<<20, &sync.Mutex{}
	lf := shortLog(t, path, 200, 5, &room, mu)
	setRoom := func(n int) { mu.Lock(); room = n; mu.Unlock() }
	line := strings.Repeat("x", 39) + "\n"
	lf.Write([]byte(line))
	if err := flushNow(lf); err != nil {
		t.Fatal(err)
	}
	setRoom(20)
	lf.Write([]byte(line))
	if err := flushNow(lf); err == nil {
		t.Fatal("the write past the room did not fail")
	}
	setRoom(1 << 20)
	for range 4 {
		lf.Write([]byte(line))
	}
	if err := flushNow(lf); err != nil { // 20 + 160 bytes more: the retry rotates
		t.Fatal(err)
	}
	if err := lf.Close(); err != nil {
		t.Fatal(err)
	}
	if n := lf.stats().Rotations; n != 1 {
		t.Fatalf("%d rotations, want 1", n)
	}
	var all string
	for _, name := range append(lf.rotated(), path) {
		b := readFile(t, name)
		all += b
		for i, l := range strings.SplitAfter(b, "\n") {
			if l != "" && l != line {
				t.Errorf("%s line %d: %q is not a whole line", filepath.Base(name), i+1, l)
			}
		}
	}
	if all != strings.Repeat(line, 6) {
		t.Errorf("the files hold %q, want six lines", all)
	}
}

// A file that ends in a torn line (the power cut of a run before) and a
// first write that rotates it: the torn line stayed unterminated at the
// end of the file renamed, and the files read in order glued the new
// file's first line (the next run's start line) onto it. The file renamed
// now ends in a newline; if the disk has no room for it, the new file
// begins with it instead.
func TestLogFileRotatesATornLineWhole(t *testing.T) {
	const torn, line = `{"kind":"decision","ti`, `{"kind":"decision"}` + "\n"
	for _, full := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "audit.jsonl")
		if err := os.WriteFile(path, []byte(torn), 0o600); err != nil {
			t.Fatal(err)
		}
		room, mu := 1<<20, &sync.Mutex{}
		lf := shortLog(t, path, 30, 1, &room, mu)
		lf.Write([]byte(line))
		if full {
			mu.Lock()
			room = 0
			mu.Unlock()
			if err := flushNow(lf); err == nil {
				t.Fatal("a write on a full disk did not fail")
			}
			mu.Lock()
			room = 1 << 20
			mu.Unlock()
		}
		if err := lf.Close(); err != nil {
			t.Fatal(err)
		}
		old := lf.rotated()
		if len(old) != 1 {
			t.Fatalf("full %v: rotated %v", full, old)
		}
		wantOld, wantNew := torn+"\n", line
		if full {
			wantOld, wantNew = torn, "\n"+line
		}
		if got := readFile(t, old[0]); got != wantOld {
			t.Errorf("full %v: the file renamed holds %q, want %q", full, got, wantOld)
		}
		if got := readFile(t, path); got != wantNew {
			t.Errorf("full %v: the new file holds %q, want %q", full, got, wantNew)
		}
	}
}

// --record-keep 0 kept every rotated file (0 was "no limit"), where help
// and README say it is how many old files are kept: a streamer asking for
// none got a disk that fills. 0 now keeps none; below 0 is refused.
func TestRecordKeepZeroKeepsNone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chat.jsonl")
	now := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)
	opt := recordOptions(100, 0)
	opt.now = func() time.Time { now = now.Add(time.Second); return now }
	lf, err := openLogFile(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("x", 39) + "\n"
	for range 10 {
		lf.Write([]byte(line))
		if err := flushNow(lf); err != nil {
			t.Fatal(err)
		}
	}
	if err := lf.Close(); err != nil {
		t.Fatal(err)
	}
	if old, n := lf.rotated(), lf.stats().Rotations; len(old) != 0 || n != 4 {
		t.Errorf("%d rotations left %v, want none kept", n, old)
	}
	if got := readFile(t, path); got != line+line {
		t.Errorf("the file holds %q", got)
	}

	fl := &runFlags{record: path, recordMax: "100MB", recordKeep: -1}
	if _, err := openRecordFlags(fl, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "--record-keep -1") {
		t.Errorf("--record-keep -1: %v", err)
	}
}

// --record, --trace and audit.file naming one file (by its path, through
// a symbolic link, or audit.file relative to the state directory) ran on,
// both outputs ruined: run now refuses to start, exit 2, naming both.
func TestRunRefusesOneFileForTwoOutputs(t *testing.T) {
	state := t.TempDir()
	t.Setenv("STATE_DIRECTORY", state)
	dir := t.TempDir()
	same := filepath.Join(dir, "same.jsonl")
	link := filepath.Join(dir, "link.jsonl")
	if err := os.WriteFile(same, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(same, link); err != nil {
		t.Fatal(err)
	}
	audited, _ := rulesEdited(t, "audit:\n  file: \"\"", "audit:\n  file: audit.jsonl")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--record", same, "--trace", same}, "--record and --trace are the same file"},
		{[]string{"--record", link, "--trace", same}, "--record and --trace are the same file"},
		{[]string{"--record", filepath.Join(dir, "new.jsonl"), "--trace", filepath.Join(dir, ".", "new.jsonl")}, "--record and --trace are the same file"},
		{[]string{"-c", audited, "--trace", filepath.Join(state, "audit.jsonl")}, "--trace and audit.file are the same file"},
		{[]string{"-c", audited, "--record", filepath.Join(state, "audit.jsonl")}, "--record and audit.file are the same file"},
	} {
		args := append([]string{"run", "--listen", "off", "--dry-run", "--stdin", "-q", "-c", "../../rules.yaml"}, c.args...)
		code, _, errs := runCLI(t, "", args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, want 2 and %q:\n%s", c.args, code, c.want, errs)
		}
	}
	if b := readFile(t, same); b != "" {
		t.Errorf("a refused run wrote %q", b)
	}
	// Three files: the run goes on.
	code, _, errs := runCLI(t, "", "run", "--listen", "off", "--dry-run", "--stdin", "-q", "-c", audited,
		"--record", filepath.Join(dir, "rec.jsonl"), "--trace", filepath.Join(dir, "trace.jsonl"))
	if code != 0 {
		t.Fatalf("three files: exit %d\n%s", code, errs)
	}
}
