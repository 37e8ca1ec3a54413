//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// failAfter takes n bytes, then fails every write: a standard output
// whose reader went away (`cattease replay … | head -1`).
type failAfter struct {
	n   int
	got bytes.Buffer
}

var errOutClosed = errors.New("write /dev/stdout: broken pipe")

func (w *failAfter) Write(p []byte) (int, error) {
	if w.got.Len()+len(p) > w.n {
		k := w.n - w.got.Len()
		w.got.Write(p[:k])
		return k, errOutClosed
	}
	return w.got.Write(p)
}

// A replay whose trace can no longer be written stops there, with the
// write's error, and reads no further: before, it replayed its whole
// input to the end for nothing (a sparse record of days took a minute of
// CPU) and said so only then. Its input is a pipe, as in
// `replay <(zcat chat.jsonl.gz)`, fed far more than the replay reads
// ahead: a replay that stops closes it, and the feeder's write fails; a
// replay that read it all leaves the feeder done.
func TestReplayStopsWhenItsOutputFails(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipe here:", err)
	}
	const events = 30000 // some 6 MB
	fed := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			fed <- err
			return
		}
		defer f.Close()
		w := bufio.NewWriter(f)
		t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
		fmt.Fprintf(w, `{"kind":"start","time":"%s"}`+"\n", t0.Format(time.RFC3339Nano))
		for i := range events {
			at := t0.Add(time.Duration(i+1) * 100 * time.Millisecond).Format(time.RFC3339Nano)
			fmt.Fprintf(w, `{"platform":"bilibili","room":"1","kind":"chat","id":"%d","time":"%s","user":{"id":"u%d","name":"u%d","role":"viewer"},"text":"左","received":"%s"}`+"\n",
				i, at, i%10, i%10, at)
		}
		fed <- w.Flush()
	}()

	out := &failAfter{n: 1000}
	var errs bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := cli(ctx, []string{"replay", "-c", "../../rules.yaml", fifo}, strings.NewReader(""), out, &errs)
	// A feeder still waiting for its reader (the replay never opened the
	// pipe) is let go: its writes then fail too, but the exit says why.
	if r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
		r.Close()
	}
	ferr := <-fed
	if code != 1 || !strings.HasSuffix(errs.String(), errOutClosed.Error()+"\n") {
		t.Fatalf("exit %d, stderr:\n%s", code, errs.String())
	}
	if !errors.Is(ferr, syscall.EPIPE) {
		t.Fatalf("the replay read its whole input after its output failed (the feeder: %v)", ferr)
	}
}
