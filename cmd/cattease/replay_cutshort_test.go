package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// brokenOut fails every write: a standard output whose reader went away
// before the replay wrote anything (`cattease replay … | head -c 0`).
type brokenOut struct{}

var errBrokenOut = errors.New("write /dev/stdout: broken pipe")

func (brokenOut) Write([]byte) (int, error) { return 0, errBrokenOut }

// A replay cut short counts only the restarts it replayed. The record
// holds three runs; the output fails at its first write, deep in the
// first run, and the replay stops there. It used to say "2 start line(s)
// after the first event … replayed as one run", counting the start lines
// its read-ahead had read, up to some 1,500 events past the last event
// decided, although neither restart was replayed.
func TestReplayCutShortCountsOnlyTheRestartsReplayed(t *testing.T) {
	var lines []string
	id := 0
	run := func(start time.Time, events int, every time.Duration) {
		lines = append(lines, `{"kind":"start","time":"`+start.Format(time.RFC3339Nano)+`"}`)
		for i := range events {
			at := start.Add(time.Duration(i+1) * every).Format(time.RFC3339Nano)
			text := "左3"
			if i%2 == 1 {
				text = "右3"
			}
			id++
			lines = append(lines, fmt.Sprintf(`{"platform":"bilibili","room":"1","kind":"chat","id":"%d","time":"%s","user":{"id":"u%d","name":"u%d","role":"viewer"},"text":"%s","received":"%s"}`,
				id, at, i%10, i%10, text, at))
		}
	}
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	// Some 12 trace lines an event: the first run's 1,000 events write
	// far more than the trace holds back before its first write (64 KiB)
	// and hands over ahead of it (a few thousand lines), and far fewer
	// than the replay reads ahead of the engine.
	run(t0, 1000, time.Second)
	run(t0.Add(time.Hour), 5, 3*time.Second)
	run(t0.Add(2*time.Hour), 5, 3*time.Second)
	path := writeRecord(t, lines...)
	var errs bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := cli(ctx, []string{"replay", "-c", "../../rules.yaml", path}, strings.NewReader(""), brokenOut{}, &errs)
	if code != 1 || !strings.HasSuffix(errs.String(), errBrokenOut.Error()+"\n") {
		t.Fatalf("exit %d, stderr:\n%s", code, errs.String())
	}
	if strings.Contains(errs.String(), "start line(s) after the first event") {
		t.Errorf("a replay stopped in the first run says restarts were replayed:\n%s", errs.String())
	}
}
