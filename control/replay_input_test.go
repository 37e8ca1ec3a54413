package control

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/cattease/cattease/danmu/replay"
)

const chatLine = `{"platform":"bilibili","room":"1","kind":"chat","id":"1","time":"2026-11-22T10:00:00Z","user":{"id":"1","name":"a","role":"viewer","guard":0,"medal":0,"level":0,"masked":false},"text":"左","gift":{"name":"","count":0,"value_cents":0}}`

// A line over replay.MaxLine in a recording is one skipped bad line, and
// the replay reads on to its end: before, the decoder's error came back on
// every call and the replay never ended, telling OnBadEvent forever.
func TestReplayOverlongLineEnds(t *testing.T) {
	env := benchRig(t)
	decided := 0
	eng, err := New(rules200(t), env, Options{OnDecision: func(Decision) { decided++ }})
	if err != nil {
		t.Fatal(err)
	}
	second := strings.Replace(chatLine, `"id":"1"`, `"id":"2"`, 1)
	in := chatLine + "\n" + strings.Repeat("x", 3*replay.MaxLine) + "\n" + second + "\n"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var bad []error
	_, err = ReplayUntil(ctx, replay.NewDecoder(strings.NewReader(in)), eng, env, ReplayOptions{
		OnBadEvent: func(err error) {
			if bad = append(bad, err); len(bad) > 100 {
				cancel()
			}
		},
	})
	if err != nil || len(bad) != 1 || !errors.Is(bad[0], replay.ErrBadEvent) {
		t.Fatalf("replay: %v; bad lines %d: %v", err, len(bad), bad[:min(len(bad), 3)])
	}
	if decided < 2 {
		t.Fatalf("%d decisions: the line after the long one was not replayed", decided)
	}
}

// A read error ends the replay with that error, skipping or not.
func TestReplayReadErrorEnds(t *testing.T) {
	env := benchRig(t)
	eng, err := New(rules200(t), env, Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := io.MultiReader(strings.NewReader(chatLine+"\n"), iotest.ErrReader(errors.New("input/output error")))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	skipped := 0
	_, err = ReplayUntil(ctx, replay.NewDecoder(in), eng, env, ReplayOptions{OnBadEvent: func(error) { skipped++ }})
	if err == nil || !strings.Contains(err.Error(), "input/output error") || skipped != 0 {
		t.Fatalf("replay: %v, %d skipped", err, skipped)
	}
}
