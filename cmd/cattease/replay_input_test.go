package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu/replay"
)

// cappedWriter keeps the first max bytes written and then calls full
// once: a command that writes without end is stopped, not run out of
// memory.
type cappedWriter struct {
	mu   sync.Mutex
	b    bytes.Buffer
	max  int
	full func()
}

func (w *cappedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.b.Len() >= w.max {
		if w.full != nil {
			w.full()
			w.full = nil
		}
		return len(p), nil
	}
	return w.b.Write(p)
}

func (w *cappedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// runCapped runs the command line with stdout and stderr capped: past
// their cap, or after 20 s, the command is cancelled.
func runCapped(t *testing.T, args ...string) (code int, stdout, stderr string, stopped bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var once sync.Once
	stop := func() { once.Do(func() { stopped = true; cancel() }) }
	out := &cappedWriter{max: 64 << 20, full: stop}
	errw := &cappedWriter{max: 1 << 20, full: stop}
	code = cli(ctx, args, strings.NewReader(""), out, errw)
	return code, out.String(), errw.String(), stopped || ctx.Err() != nil
}

// recordedLines are the lines of the shipped replay example.
func recordedLines(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/replay/basic.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// A recording with a line over 1 MiB in it replays to its end, the long
// line skipped as one bad line; and however many bad lines there are,
// stderr names only the first hundred. Before, the replay never ended and
// printed "skipped:" without end.
func TestReplayOverlongLine(t *testing.T) {
	lines := recordedLines(t)
	var in strings.Builder
	in.WriteString(lines[0] + "\n")
	in.WriteString(strings.Repeat("x", 2*replay.MaxLine) + "\n")
	for range 500 {
		in.WriteString("not a recorded event\n")
	}
	for _, l := range lines[1:] {
		in.WriteString(l + "\n")
	}
	path := filepath.Join(t.TempDir(), "long.jsonl")
	if err := os.WriteFile(path, []byte(in.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs, stopped := runCapped(t, "replay", "-c", "../../rules.yaml", path)
	if stopped || code != 0 {
		t.Fatalf("exit %d (stopped: %v)\n%s", code, stopped, firstLines(errs, 5))
	}
	if n := strings.Count(errs, "skipped:"); n != maxShownBad {
		t.Errorf("%d skipped lines shown, want %d", n, maxShownBad)
	}
	if !strings.Contains(errs, "replay: line 2: bad event: longer than 1048576 bytes") ||
		!strings.Contains(errs, "501 bad line(s) skipped") {
		t.Errorf("stderr:\n%s", firstLines(errs, 3))
	}
	if n := strings.Count(out, `"kind":"decision"`); n < len(lines) {
		t.Errorf("%d decisions for %d events", n, len(lines))
	}
}
