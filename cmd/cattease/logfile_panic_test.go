package main

import (
	"fmt"
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
