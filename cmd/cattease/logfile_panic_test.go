package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// brokenSink is a file whose Write panics: a bug under the timer's
// write, on the timer's goroutine.
type brokenSink struct{ *os.File }

func (brokenSink) Write([]byte) (int, error) { panic("injected bug") }

func openBroken(t *testing.T) *logFile {
	t.Helper()
	open := func(p string) (logSink, int64, error) {
		f, size, err := openAppend(p, 0o600)
		if err != nil {
			return nil, 0, err
		}
		return brokenSink{f.(*os.File)}, size, nil
	}
	lf, err := openLogFile(filepath.Join(t.TempDir(), "rec.jsonl"), logFileOptions{Name: "record", open: open})
	if err != nil {
		t.Fatal(err)
	}
	return lf
}

// The timer writes on a goroutine of its own: a panic there used to end
// the process with the outputs as they were. It goes to the run's
// handler (the group's: every output halted, the run ended), once, and
// Close still closes the file without writing to it again.
func TestLogFileFlushPanicGoesToHandler(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lf := openBroken(t)
		var mu sync.Mutex
		var told []string
		lf.handPanics(func(what string, value any, stack []byte) {
			mu.Lock()
			defer mu.Unlock()
			told = append(told, fmt.Sprintf("%s: %v", what, value))
			if !strings.Contains(string(stack), "(*logFile).tick") {
				t.Errorf("the stack is not the timer's:\n%s", stack)
			}
		})
		lf.Write([]byte("1\n"))
		time.Sleep(time.Second)
		lf.Write([]byte("2\n")) // no timer again after a panic
		time.Sleep(time.Second)
		synctest.Wait()
		mu.Lock()
		if strings.Join(told, ",") != "the record writer: injected bug" {
			t.Errorf("the handler was told %q, want the panic once", told)
		}
		mu.Unlock()
		if err := lf.Close(); err == nil || !strings.Contains(err.Error(), "could not be written") {
			t.Errorf("Close: %v, want the lines left unwritten", err)
		}
	})
}

// Without a handler (a file the run's wiring does not reach) the panic is
// kept for the next Write, which raises it on its caller's goroutine,
// guarded on the chat path; Close returns it.
func TestLogFileFlushPanicWithoutHandlerGoesToWrite(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lf := openBroken(t)
		lf.Write([]byte("1\n"))
		time.Sleep(time.Second)
		synctest.Wait()
		var p any
		func() {
			defer func() { p = recover() }()
			lf.Write([]byte("2\n"))
		}()
		fp, ok := p.(*flushPanic)
		if !ok || fp.value != "injected bug" || !strings.Contains(fp.Error(), "cattease: record: panic writing: injected bug") {
			t.Fatalf("the next Write raised %v, want the timer's panic", p)
		}
		if err := lf.Close(); err == nil || !strings.Contains(err.Error(), "panic writing: injected bug") {
			t.Errorf("Close: %v, want the panic", err)
		}
	})
}

// The audit log's writer is the run's too: a panic on its timer's
// goroutine halts every output and ends the run with exit code 1 at once.
// It used to be kept for the audit log's next write, so a run whose chat
// had gone quiet played on without a record of its decisions.
func TestAuditLogFlushPanicHaltsRun(t *testing.T) {
	rigOf := captureRig(t)
	dir := t.TempDir()
	rules, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	audit := filepath.Join(dir, "audit.jsonl")
	rules = []byte(strings.Replace(string(rules), "\n  file: \"\"", "\n  file: "+audit, 1))
	if !strings.Contains(string(rules), audit) {
		t.Fatal("rules.yaml has no audit file to set")
	}
	cfg := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(cfg, rules, 0o600); err != nil {
		t.Fatal(err)
	}
	testHookAuditOpen = func(p string) (logSink, int64, error) {
		f, size, err := openAppend(p, 0o600)
		if err != nil {
			return nil, 0, err
		}
		return brokenSink{f.(*os.File)}, size, nil
	}
	defer func() { testHookAuditOpen = nil }()
	pr, pw := io.Pipe()
	defer pw.Close()
	lines, wait, logs := startLogged(t, context.Background(), pr, "run", "--listen", "off", "--dry-run", "--stdin", "-c", cfg)
	go func() {
		for range lines {
		}
	}()
	io.WriteString(pw, "激光\n") // one decision, then quiet chat
	if code := wait(); code != 1 {
		t.Errorf("exit code %d after a panic, want 1", code)
	}
	assertHalted(t, rigOf())
	if log := logs.String(); !strings.Contains(log, `in="the audit log writer" panic="injected bug"`) {
		t.Errorf("the log does not say the audit log's writer panicked:\n%s", log)
	}
}
