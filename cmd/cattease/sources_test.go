package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay"
)

// batchSource hands on its batches in turn, then ends.
type batchSource [][]danmu.Event

func (b batchSource) Stream(ctx context.Context, emit func([]danmu.Event) error) error {
	for _, evs := range b {
		if err := emit(evs); err != nil {
			return err
		}
	}
	return nil
}

// TestRunSourcesBatches: two sources at once; every batch is decided
// whole, in one call, each source's in its order, and the record holds the
// events in the order they are decided.
func TestRunSourcesBatches(t *testing.T) {
	srcs := map[string]batchSource{}
	for _, name := range []string{"a", "b"} {
		var b batchSource
		for i := range 200 {
			evs := make([]danmu.Event, 1+i%3)
			for k := range evs {
				evs[k] = danmu.Event{Platform: "test", Kind: danmu.KindChat, ID: name + strconv.Itoa(i) + "." + strconv.Itoa(k),
					Time: time.Unix(1764000000, 0).UTC()}
			}
			b = append(b, evs)
		}
		srcs[name] = b
	}
	path := filepath.Join(t.TempDir(), "record.jsonl")
	rec, err := openRecord(path, recordOptions(0, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	var decided [][]danmu.Event // runSources decides one batch at a time
	seen := 0
	ns := []namedSource{{"a", srcs["a"], &danmu.Counters{}}, {"b", srcs["b"], &danmu.Counters{}}}
	decide := func(_ time.Time, evs []danmu.Event) { decided = append(decided, evs) }
	if err := runSources(t.Context(), ns, decide, noAbort, rec, func(danmu.Event) { seen++ }, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if err := rec.close(); err != nil {
		t.Fatal(err)
	}

	next := map[string]int{}
	var order []string
	for _, evs := range decided {
		name := evs[0].ID[:1]
		want := srcs[name][next[name]]
		if &evs[0] != &want[0] || len(evs) != len(want) {
			t.Fatalf("%s: batch %d is not the one the source handed on", name, next[name])
		}
		next[name]++
		for _, ev := range evs {
			order = append(order, ev.ID)
		}
	}
	if next["a"] != 200 || next["b"] != 200 || seen != len(order) {
		t.Fatalf("batches %v of 200 each, %d seen of %d", next, seen, len(order))
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := replay.NewDecoder(f)
	for i := 0; ; i++ {
		ev, err := d.Next()
		if errors.Is(err, io.EOF) {
			if i != len(order) {
				t.Fatalf("%d events recorded, %d handed on", i, len(order))
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if i >= len(order) || ev.ID != order[i] {
			t.Fatalf("recorded event %d is %s, the engine's is %s", i, ev.ID, order[min(i, len(order)-1)])
		}
	}
}

// TestRunSourcesCancel: once ctx ends, a source handing on a batch gets
// ctx's error and nothing more is decided; runSources returns that error.
func TestRunSourcesCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	src := batchSource{{{ID: "x"}}, {{ID: "y"}}, {{ID: "z"}}}
	var decided []string
	decide := func(_ time.Time, evs []danmu.Event) {
		decided = append(decided, evs[0].ID)
		if evs[0].ID == "y" {
			cancel()
		}
	}
	err := runSources(ctx, []namedSource{{"x", src, &danmu.Counters{}}}, decide, noAbort, &recorder{}, func(danmu.Event) {}, slog.New(slog.DiscardHandler))
	if !errors.Is(err, context.Canceled) || strings.Join(decided, ",") != "x,y" {
		t.Fatalf("runSources: %v, decided %v; want context.Canceled after x,y", err, decided)
	}
}

// TestRunSourcesPanic: a panic while deciding calls abort at once, stops
// every source, and comes back as runSources' error; nothing after it is
// recorded or decided.
func TestRunSourcesPanic(t *testing.T) {
	a := batchSource{{{ID: "a1"}}, {{ID: "boom"}}, {{ID: "a3"}}}
	var aborted []string
	var decided []string
	decide := func(_ time.Time, evs []danmu.Event) {
		if evs[0].ID == "boom" {
			panic("injected")
		}
		decided = append(decided, evs[0].ID)
	}
	rec := &recorder{}
	abort := func(what string, value any) error {
		aborted = append(aborted, fmt.Sprintf("%s: %v", what, value))
		return errors.New("i2c: remote I/O error")
	}
	err := runSources(t.Context(), []namedSource{{"a", a, &danmu.Counters{}}}, decide, abort, rec,
		func(danmu.Event) {}, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "panic deciding a chat message: injected") || !strings.Contains(err.Error(), "i2c: remote I/O error") {
		t.Fatalf("runSources: %v, want the panic and the failed halt as an error", err)
	}
	if strings.Join(aborted, ",") != "deciding a chat message: injected" || strings.Join(decided, ",") != "a1" {
		t.Fatalf("aborted %q, decided %v; want once and a1 only", aborted, decided)
	}
}

// noAbort is runSources' abort for runs with no panic.
func noAbort(string, any) error { return nil }

// funcSource is a source made of one function, for sources that fail.
type funcSource func(ctx context.Context, emit func([]danmu.Event) error) error

func (f funcSource) Stream(ctx context.Context, emit func([]danmu.Event) error) error {
	return f(ctx, emit)
}

// TestRunSourcesSourcePanic: a panic on a source's own goroutine (where
// a hostile frame is decoded) ends the run like a panic deciding: abort at
// once, the other sources stopped, the panic returned. Unrecovered, it
// would end the process without the halt.
func TestRunSourcesSourcePanic(t *testing.T) {
	bad := funcSource(func(ctx context.Context, emit func([]danmu.Event) error) error {
		if err := emit([]danmu.Event{{ID: "before"}}); err != nil {
			return err
		}
		panic("index out of range in a decoder")
	})
	good := funcSource(func(ctx context.Context, emit func([]danmu.Event) error) error {
		<-ctx.Done() // a live source: runs until stopped
		return ctx.Err()
	})
	var aborted []string
	var decided []string
	abort := func(what string, value any) error {
		aborted = append(aborted, fmt.Sprintf("%s: %v", what, value))
		return nil
	}
	err := runSources(t.Context(), []namedSource{{"bad", bad, &danmu.Counters{}}, {"good", good, &danmu.Counters{}}},
		func(_ time.Time, evs []danmu.Event) { decided = append(decided, evs[0].ID) }, abort, &recorder{},
		func(danmu.Event) {}, slog.New(slog.DiscardHandler))
	var p *sourcePanic
	if !errors.As(err, &p) || p.source != "bad" || !strings.Contains(err.Error(), "index out of range in a decoder") {
		t.Fatalf("runSources: %v, want the source's panic", err)
	}
	if strings.Join(aborted, ",") != "chat source bad: index out of range in a decoder" || strings.Join(decided, ",") != "before" {
		t.Fatalf("aborted %q, decided %v", aborted, decided)
	}
}

// TestRunSourcesFailedForGood: when every source has returned by itself
// and one failed for good (a room that does not exist, a cookie file that
// cannot be read), runSources returns that failure, so that run exits 1
// and systemd restarts it or shows it failed; sources that simply ended
// (stdin at its end) are not failures.
func TestRunSourcesFailedForGood(t *testing.T) {
	gone := errors.New("bilibili: room 1 not found")
	ended := funcSource(func(context.Context, func([]danmu.Event) error) error { return nil })
	failed := funcSource(func(context.Context, func([]danmu.Event) error) error { return gone })
	run := func(srcs ...namedSource) error {
		return runSources(t.Context(), srcs, func(time.Time, []danmu.Event) {}, noAbort, &recorder{}, func(danmu.Event) {}, slog.New(slog.DiscardHandler))
	}
	if err := run(namedSource{"stdin", ended, &danmu.Counters{}}); err != nil {
		t.Errorf("a source that ended: %v, want nil", err)
	}
	err := run(namedSource{"stdin", ended, &danmu.Counters{}}, namedSource{"bilibili", failed, &danmu.Counters{}})
	if !errors.Is(err, gone) || !strings.Contains(err.Error(), "chat source bilibili") {
		t.Errorf("a source that failed for good: %v, want it named", err)
	}
}

// A batch (one frame from the server) is decided at one instant, and the
// record keeps that instant with each of its events: a replay decides
// them at the same time as the live run, to the nanosecond. The record
// used to read the clock once an event, so a frame's events were recorded
// apart while the live run decided them together.
func TestRecordKeepsTheBatchsDecisionTime(t *testing.T) {
	batch := make([]danmu.Event, 50)
	for i := range batch {
		batch[i] = danmu.Event{Platform: "test", Kind: danmu.KindChat, ID: strconv.Itoa(i), Text: strings.Repeat("左", 200),
			Time: time.Unix(1764000000, 0).UTC()}
	}
	var buf strings.Builder
	rec := &recorder{w: replay.NewLineWriter(&buf)}
	var decidedAt []time.Time
	decide := func(now time.Time, evs []danmu.Event) { decidedAt = append(decidedAt, now) }
	src := []namedSource{{"a", batchSource{batch}, &danmu.Counters{}}}
	if err := runSources(t.Context(), src, decide, noAbort, rec, func(danmu.Event) {}, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if len(decidedAt) != 1 {
		t.Fatalf("decided %d times, want the batch once", len(decidedAt))
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != len(batch) {
		t.Fatalf("%d lines recorded, want %d", len(lines), len(batch))
	}
	var first time.Time
	for i, line := range lines {
		var r struct {
			Received time.Time `json:"received"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = r.Received
		}
		// One instant for the batch; the record's clock (recordClock) is
		// the decision's, read without the wall clock's steps.
		if !r.Received.Equal(first) || r.Received.Sub(decidedAt[0]).Abs() > time.Millisecond {
			t.Fatalf("event %d recorded as received at %v, the first at %v, decided at %v", i, r.Received, first, decidedAt[0])
		}
	}
}
