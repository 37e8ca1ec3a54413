package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// flakyFile is a real file whose writes fail (as on a full disk) while
// full is set.
type flakyFile struct {
	*os.File
	full *bool
	mu   *sync.Mutex
}

func (f flakyFile) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if *f.full {
		return 0, errors.New("write: no space left on device")
	}
	return f.File.Write(p)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return string(b)
}

// A written line is in the file within the interval, without Close.
func TestLogFileWritesThrough(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "rec.jsonl")
		lf, err := openLogFile(path, logFileOptions{Interval: 500 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		lf.Write([]byte("{\"text\":\"左\"}\n"))
		time.Sleep(499 * time.Millisecond)
		synctest.Wait()
		if got := readFile(t, path); got != "" {
			t.Fatalf("written before the interval: %q", got)
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if got := readFile(t, path); got != "{\"text\":\"左\"}\n" {
			t.Fatalf("after 500 ms: %q", got)
		}
		// A burst is written together, within the interval of its first line.
		for i := range 100 {
			lf.Write([]byte(strings.Repeat("x", i) + "\n"))
			time.Sleep(time.Millisecond)
		}
		time.Sleep(400 * time.Millisecond)
		synctest.Wait()
		if n := strings.Count(readFile(t, path), "\n"); n != 101 {
			t.Fatalf("%d lines after the burst", n)
		}
		lf.Write([]byte("last\n"))
		if err := lf.Close(); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(readFile(t, path), "last\n") {
			t.Fatal("Close must write what waits")
		}
		if _, err := lf.Write([]byte("late\n")); err == nil {
			t.Fatal("a write after Close must fail")
		}
	})
}

// A full disk: the lines wait in memory, the failure is counted, and they
// reach the file in order once space is back.
func TestLogFileRecoversAfterDiskFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "audit.jsonl")
		full, mu := false, &sync.Mutex{}
		setFull := func(v bool) { mu.Lock(); full = v; mu.Unlock() }
		open := func(p string) (logSink, int64, error) {
			f, size, err := openAppend(p, 0o600)
			if err != nil {
				return nil, 0, err
			}
			return flakyFile{f.(*os.File), &full, mu}, size, nil
		}
		lf, err := openLogFile(path, logFileOptions{Interval: 500 * time.Millisecond, MaxPending: 64, open: open})
		if err != nil {
			t.Fatal(err)
		}
		lf.Write([]byte("1\n"))
		time.Sleep(time.Second)
		setFull(true)
		lf.Write([]byte("2\n"))
		lf.Write([]byte("3\n"))
		time.Sleep(2 * time.Second) // four retries
		synctest.Wait()
		if st := lf.stats(); st.Failures < 3 || readFile(t, path) != "1\n" {
			t.Fatalf("while full: %+v, file %q", st, readFile(t, path))
		}
		// Too much waiting: new lines are dropped and counted, not queued forever.
		if _, err := lf.Write(bytes.Repeat([]byte("x"), 70)); err == nil || lf.stats().DroppedLines != 1 {
			t.Fatalf("over MaxPending: %v, %+v", err, lf.stats())
		}
		setFull(false)
		lf.Write([]byte("4\n"))
		time.Sleep(500 * time.Millisecond)
		synctest.Wait()
		if got := readFile(t, path); got != "1\n2\n3\n4\n" {
			t.Fatalf("after recovery: %q", got)
		}
		if err := lf.Close(); err != nil {
			t.Fatal(err)
		}
	})
}

// Rotation keeps Keep old files and at most MaxTotal bytes, deleting the
// oldest; each file holds whole lines.
func TestLogFileRotates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "chat.jsonl")
	os.WriteFile(filepath.Join(dir, "chat-notes.jsonl"), []byte("mine\n"), 0o644) // not ours to delete
	now := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)
	lf, err := openLogFile(path, logFileOptions{MaxSize: 100, Keep: 3, MaxTotal: 350,
		now: func() time.Time { now = now.Add(time.Second); return now }})
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("x", 39) + "\n" // 40 bytes: two per file
	for range 20 {
		lf.Write([]byte(line))
		lf.ioMu.Lock()
		if err := lf.flushLocked(false); err != nil {
			t.Fatal(err)
		}
		lf.ioMu.Unlock()
	}
	if err := lf.Close(); err != nil {
		t.Fatal(err)
	}
	old := lf.rotated()
	if len(old) != 3 || lf.stats().Rotations != 9 {
		t.Fatalf("rotated %v, %+v", old, lf.stats())
	}
	total := 0
	for _, name := range append(old, path) {
		b := readFile(t, name)
		if len(b) == 0 || len(b) > 100 || strings.Count(b, "\n")*40 != len(b) {
			t.Errorf("%s: %d bytes", name, len(b))
		}
		total += len(b)
	}
	if total > 350 || !strings.HasSuffix(old[0], "chat-20261122T200007.000.jsonl") {
		t.Errorf("total %d, oldest %s", total, old[0])
	}
	if readFile(t, filepath.Join(dir, "chat-notes.jsonl")) != "mine\n" {
		t.Error("pruning deleted a file it did not write")
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "512": 512, "100MB": 100 << 20, "1.5GiB": 3 << 29, "64k": 64 << 10, "2 MB": 2 << 20} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("%q: %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "MB", "-1MB", "10 parsecs", "1e30GB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// A chat line typed into `run --stdin --record F` is in F while the run
// goes on, before stdin closes.
func TestRecordWritesThroughWhileRunning(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "rec.jsonl")
	pr, pw := io.Pipe()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- cli(ctx, []string{"run", "--listen", "off", "--dry-run", "--stdin", "-q", "-c", "../../rules.yaml", "--record", rec}, pr, &out, &errb)
	}()
	if _, err := pw.Write([]byte("猫奴: 左\n")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second) // bounded; the flush interval is 500 ms
	for !strings.Contains(readFile(t, rec), `"text":"左"`) {
		if time.Now().After(deadline) {
			t.Fatalf("the typed line is not in %s while the run goes on: %q", rec, readFile(t, rec))
		}
		select {
		case code := <-done:
			t.Fatalf("run ended early: %d\n%s", code, errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	pw.Close()
	if code := <-done; code != 0 {
		t.Fatalf("code %d\n%s", code, errb.String())
	}
}

// TestRecordIsPrivate: a --record file names every viewer (uid, name,
// what they typed), as the audit log does: only its owner may read it,
// whatever the umask, under systemd or not.
func TestRecordIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chat.jsonl")
	rec, err := openRecord(path, logFileOptions{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.close()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("record file: %v %v, want mode 0600", fi, err)
	}
}
