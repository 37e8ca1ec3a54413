package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// fillPipe writes newlines into the FIFO at path (its read end held
// open, by the trace) until its pipe takes no more.
func fillPipe(t *testing.T, path string) {
	t.Helper()
	fd, err := syscall.Open(path, syscall.O_WRONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	for _, size := range []int{64 << 10, 1} {
		buf := bytes.Repeat([]byte{'\n'}, size)
		for {
			if _, err := syscall.Write(fd, buf); err != nil {
				break
			}
		}
	}
}

// traceOutputs gives tr n laser outputs, in the background; the channel
// is closed once all were taken.
func traceOutputs(tr outputTrace, n int) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		for range n {
			tr.output(safety.Output{Time: time.Now(), Target: "laser", Action: actuators.ActionSwitch, Value: 1})
		}
		close(done)
	}()
	return done
}

// waitDone fails t unless done is closed soon: a trace's writes that
// waited for a reader would never close it.
func waitDone(t *testing.T, done <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(20 * time.Second): // a guard, not a measure
		t.Fatalf("%s: the trace's writes wait for a reader (in a run, the motion loop under the envelope's lock)", what)
	}
}

// --trace on a FIFO whose reader is gone (or never came): its writes
// never wait, where they waited for good once the pipe was full (the
// trace holds its read end, so no EPIPE ended the wait), freezing the
// motion loop; the lines lost are counted, and a reader that comes finds
// a gap line before the next line written.
func TestTraceFIFONeverWaits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tr.fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip("no FIFO here:", err)
	}
	tr, closeTrace, err := openOutputTrace(path, false, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	fillPipe(t, path)
	waitDone(t, traceOutputs(tr, 100), "no reader")
	if lost := tr.t.Failed(); lost != 100 {
		t.Fatalf("%d lines counted lost, want 100", lost)
	}
	r, err := os.Open(path) // a reader comes, and makes room
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Read(make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	waitDone(t, traceOutputs(tr, 1), "a reader")
	got := make(chan []byte)
	go func() { b, _ := io.ReadAll(r); got <- b }()
	if lost := closeTrace(); lost != 100 {
		t.Errorf("closeTrace: %d lost, want 100", lost)
	}
	out := string(<-got)
	if !strings.HasPrefix(strings.TrimLeft(out, "\n"), `{"kind":"gap","time":`) || !strings.Contains(out, `"lost":100}`+"\n"+`{"kind":"output"`) {
		t.Errorf("no gap line of the 100 lines lost before the next line: %q", out)
	}
}

// --trace /dev/stdout into a pipe whose reader exited (| head): the same.
func TestTracePipeReaderGoneNeverWaits(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r.Close()
	tr, closeTrace, err := openOutputTrace(fmt.Sprintf("/proc/self/fd/%d", w.Fd()), false, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	waitDone(t, traceOutputs(tr, 5000), "pipe reader gone")
	if lost := closeTrace(); lost == 0 || lost > 5000 {
		t.Errorf("closeTrace: %d lines lost, want some of 5000", lost)
	}
}

// logWatch is a run's stderr, which a test waits on for a line.
type logWatch struct {
	mu   sync.Mutex
	b    strings.Builder
	more chan struct{}
}

func (w *logWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.b.Write(p)
	w.mu.Unlock()
	select {
	case w.more <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (w *logWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// wait returns once the log holds needle n times, or fails t when ctx ends.
func (w *logWatch) wait(ctx context.Context, t *testing.T, needle string, n int) {
	t.Helper()
	for strings.Count(w.String(), needle) < n {
		select {
		case <-w.more:
		case <-ctx.Done():
			t.Fatalf("the run never logged %q (its motion loop stuck on the trace?)\n%s", needle, w.String())
		}
	}
}

// A run with --trace on a FIFO whose reader goes away goes on, and ends
// at once when canceled: before, once the pipe was full, the motion loop
// waited in the trace's write for good, under the envelope's lock, and
// neither SIGTERM nor Ctrl-C could end the run (no park, no halt). The
// lines lost are counted (exit 1), and a reader that comes back finds a
// gap line where they went missing.
func TestRunTraceFIFOReaderGone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tr.fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip("no FIFO here:", err)
	}
	guard, stop := context.WithTimeout(context.Background(), 30*time.Second) // a guard, not a measure
	defer stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	inR, inW := io.Pipe()
	defer inW.Close()
	logs := &logWatch{more: make(chan struct{}, 1)}
	code := make(chan int, 1)
	go func() {
		code <- cli(ctx, []string{"run", "--listen", "off", "--dry-run", "--stdin", "-q", "-c", "../../rules.yaml", "--trace", path},
			inR, io.Discard, logs)
	}()
	chat := func(line string) {
		go func() { fmt.Fprintln(inW, line) }() // the chat side reads it when it can
	}
	logs.wait(guard, t, "dry run: mock outputs", 1) // the trace is open
	a, err := os.Open(path)                         // a reader, which goes away
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	fillPipe(t, path)
	chat("@mod m: 左30")
	logs.wait(guard, t, "--trace: write failed", 1)

	b, err := os.Open(path) // a reader comes back, and reads on
	if err != nil {
		t.Fatal(err)
	}
	read := make(chan []byte)
	go func() {
		got, _ := io.ReadAll(b)
		b.Close()
		read <- got
	}()
	for i := 0; !strings.Contains(logs.String(), "--trace: writing again"); i++ {
		chat([]string{"@mod m: 右30", "@mod m: 左30"}[i%2])
		select {
		case <-logs.more:
		case <-guard.Done():
			t.Fatalf("no line written after the reader came back\n%s", logs.String())
		}
	}
	cancel()
	select {
	case c := <-code:
		if c != 1 {
			t.Errorf("run: exit %d, want 1 (lines lost)\n%s", c, logs.String())
		}
	case <-guard.Done():
		t.Fatalf("the run did not end when canceled\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "lost_lines=") {
		t.Errorf("the lines lost are not logged\n%s", logs.String())
	}
	got := string(<-read)
	i := strings.Index(got, `{"kind":"gap","time":`)
	if i < 0 || !strings.Contains(got[i:], "}\n"+`{"kind":"output"`) {
		t.Errorf("the reader found no gap line before the lines after it:\n%s", strings.TrimLeft(got, "\n"))
	}
}
