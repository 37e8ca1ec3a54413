package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/danmu"
)

// A panic on the chat path (deciding a message, or on a source's own
// goroutine) switches every output off at once, as a panic anywhere else
// in the run does: before the group is cancelled (the motion loop sees
// the outputs halted when it is told to stop), and the log says so. It
// used to only cancel the group, leaving the outputs to the motion
// loop's next tick and its parking.
func TestChatPanicHaltsAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		src      danmu.Source
		decide   func(time.Time, []danmu.Event)
	}{
		{"deciding", "deciding a chat message", batchSource{{{ID: "boom"}}}, func(time.Time, []danmu.Event) { panic("injected bug") }},
		{"source", "chat source console", funcSource(func(context.Context, func([]danmu.Event) error) error { panic("injected bug") }),
			func(time.Time, []danmu.Event) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var halts atomic.Int32
			logs := &lockedBuffer{}
			g := newGroup(context.Background())
			g.halt = func() error { halts.Add(1); return nil }
			g.log = slog.New(slog.NewTextHandler(logs, nil))
			sawHalted := make(chan bool, 1)
			g.Go("motion", false, func(ctx context.Context) error {
				<-ctx.Done()
				sawHalted <- halts.Load() > 0
				return ctx.Err()
			})
			g.Go("sources", false, func(ctx context.Context) error {
				return runSources(ctx, []namedSource{{"console", tc.src, &danmu.Counters{}}}, tc.decide, g.stopFor,
					&recorder{}, func(danmu.Event) {}, slog.New(slog.DiscardHandler))
			})
			err := g.Wait()
			if !<-sawHalted {
				t.Error("the group was cancelled before the outputs were halted")
			}
			if err == nil || !strings.Contains(err.Error(), "injected bug") || !strings.Contains(err.Error(), "goroutine ") {
				t.Errorf("Wait: %v, want the panic with its stack", err)
			}
			if log := logs.String(); !strings.Contains(log, `msg="panic; outputs halted" in="`+tc.in+`" panic="injected bug"`) {
				t.Errorf("the log does not say the outputs were halted:\n%s", log)
			}
		})
	}
}

// The same through `cattease run`: a panic in what a chat message's
// decision is handed to, with the laser lit, halts every output at once
// and ends the run with exit code 1.
func TestPanicDecidingChatHalts(t *testing.T) {
	rigOf := captureRig(t)
	testHookDecision = func(d control.Decision) {
		if d.Text == "左" {
			panic("injected bug")
		}
	}
	defer func() { testHookDecision = nil }()
	pr, pw := io.Pipe()
	defer pw.Close()
	lines, wait, logs := startLogged(t, context.Background(), pr, "run", "--listen", "off", "--dry-run", "--stdin", "-c", "../../rules.yaml")
	io.WriteString(pw, "激光\n")
	waitLine(t, lines, "laser ON")
	go func() {
		for range lines {
		}
	}()
	io.WriteString(pw, "左\n")
	if code := wait(); code != 1 {
		t.Errorf("exit code %d after a panic, want 1", code)
	}
	assertHalted(t, rigOf())
	log := logs.String()
	for _, want := range []string{"panic; outputs halted", "deciding a chat message", "panic deciding a chat message: injected bug", "goroutine "} {
		if !strings.Contains(log, want) {
			t.Errorf("the log has no %q:\n%s", want, log)
		}
	}
}
