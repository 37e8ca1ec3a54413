package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/danmu"
)

// shippedLead is how long before its first event a replay of a record
// without a start line starts the shipped rig: its servos' detach_after,
// 2 s, which is longer than its settle time (1.15 s, the hold after
// homing), in whole 20 ms ticks: the first event finds the rig homed,
// still and limp, as a live rig left alone.
const shippedLead = 2 * time.Second

// noStartNote is what replay says of the record at path, made before start
// lines were written, on a rig that starts lead before its first event
// (0: a rig without a laser), its servos limp by then.
func noStartNote(path string, lead time.Duration) string {
	if lead == 0 {
		return "cattease: " + path + " has no start line (recorded by an older cattease, or begun by --record-max's rotation: replay the files in order): the rig starts at the first event\n"
	}
	return fmt.Sprintf("cattease: %s has no start line (recorded by an older cattease, or begun by --record-max's rotation: replay the files in order): the rig starts %v before the first event, homed, still and its servos limp (detach_after) by then, as a live rig left alone\n", path, lead)
}

// latestRules is the shipped rules.yaml under the policy latest: a new
// command replaces the one waiting.
func latestRules(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	old := []byte("\n  policy: queue ")
	if !bytes.Contains(b, old) {
		t.Fatal("rules.yaml: no play.policy: queue to change")
	}
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, bytes.Replace(b, old, []byte("\n  policy: latest "), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// replayDecision is a decision, live or from a replay's trace.
type replayDecision struct {
	Time     time.Time `json:"time"`
	EventID  string    `json:"event_id"`
	Decision string    `json:"decision"`
	Reason   string    `json:"reason"`
}

func (d replayDecision) String() string {
	return d.EventID + " " + d.Decision + "/" + d.Reason + " at " + d.Time.Format("15:04:05.000000")
}

// liveRecorded runs the live run's wiring (the rig built and homing, its
// motion loop, the record opened as chat.start opens it, the engine's
// Run) on a virtual clock, under the rules at path. Viewers a, b and c
// send 右, 左 and 上, the first one first after the start, the others
// 400 ms apart. It returns the record, the decisions in order and the
// rig's start.
func liveRecorded(t *testing.T, path string, first time.Duration) (rec string, live []replayDecision, start time.Time) {
	rec = filepath.Join(t.TempDir(), "rec.jsonl")
	synctest.Test(t, func(t *testing.T) {
		f, rules, err := loadRules(path)
		if err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.DiscardHandler)
		start = time.Now()
		r, err := buildRig(f, rigMode{dryRun: true, rulesPath: path}, start, log, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer r.halt()
		var mu sync.Mutex
		eng, err := control.New(rules, r.play, control.Options{Log: log, OnDecision: func(d control.Decision) {
			mu.Lock()
			live = append(live, replayDecision{d.Time, d.EventID, string(d.Outcome), string(d.Reason)})
			mu.Unlock()
		}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		motion, engine := make(chan error, 1), make(chan error, 1)
		loop := motionLoop(r, eng) // as runRig: the motion loop, then the chat side
		go func() { motion <- loop(ctx) }()
		recorder, err := openRecord(rec, logFileOptions{}, log)
		if err != nil {
			t.Fatal(err)
		}
		sourcesEnded := make(chan []danmu.Event)
		go func() { engine <- eng.Run(ctx, sourcesEnded) }()
		// 2 ms after a tick of the motion loop: no event at a tick's instant.
		for i, text := range []string{"右", "左", "上"} {
			time.Sleep(time.Until(start.Add(first + time.Duration(i)*400*time.Millisecond + 2*time.Millisecond)))
			now := time.Now()
			name := string(rune('a' + i))
			ev := danmu.Event{Platform: "console", Room: "console", Kind: danmu.KindChat, ID: name, Time: now, Text: text,
				User: danmu.User{ID: name, Name: name, Role: danmu.RoleViewer}}
			if err := recorder.write(ev, now); err != nil {
				t.Fatal(err)
			}
			eng.Handle(now, ev)
		}
		time.Sleep(3 * time.Second) // every command runs
		close(sourcesEnded)
		if err := <-engine; err != nil {
			t.Fatal(err)
		}
		cancel()
		if err := <-motion; !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
		if err := recorder.close(); err != nil {
			t.Fatal(err)
		}
	})
	return rec, live, start
}

// replayed replays the record at rec under the rules at path and returns
// its decisions, its outputs' times and stderr.
func replayed(t *testing.T, path, rec string) (decisions []replayDecision, outputs []time.Time, stderr string) {
	t.Helper()
	code, out, errs := runCLI(t, "", "replay", "-c", path, rec)
	if code != 0 {
		t.Fatalf("replay: exit %d\n%s", code, errs)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var d struct {
			Kind string `json:"kind"`
			replayDecision
		}
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		switch d.Kind {
		case "decision":
			decisions = append(decisions, d.replayDecision)
		case "output":
			outputs = append(outputs, d.Time)
		}
	}
	return decisions, outputs, errs
}

// sameDecisions fails t unless the replay decided as the live run did:
// the same outcomes in the same order, each within a tick of the live one.
func sameDecisions(t *testing.T, live, replay []replayDecision) {
	t.Helper()
	ok := len(live) == len(replay)
	for i := range min(len(live), len(replay)) {
		l, r := live[i], replay[i]
		ok = ok && l.EventID == r.EventID && l.Decision == r.Decision && l.Reason == r.Reason &&
			l.Time.Sub(r.Time).Abs() <= safety.DefaultTick
	}
	if !ok {
		t.Fatalf("the replay decided otherwise than the live run:\nlive:   %v\nreplay: %v", live, replay)
	}
}

// TestReplayStartsWhereTheLiveRigDid: the live rig is built and homed when
// the run starts, and holds its servos at home a settle time (1.15 s)
// after; the record says when (its start line), and the replay starts its
// rig there. Before, the replay built its rig at the first event, homed
// it there and held it 1.15 s that the live run never held: with the
// first chat 1.5 s after the start, under play.policy latest, the live
// run ran b's 左 and the replay dropped it, superseded by c's 上 while
// a's 右 waited out the hold. With the first chat 300 ms after the start
// the live hold does delay the commands, and the replay, starting at the
// start line, holds them as long (one started a settle time before the
// first event would not: b's 左 would run). With the first chat 3 s
// after the start the live servos went limp at 2 s (detach_after), and
// a's 右 re-attaches them and waits out rule limp's hold (as long as the
// homing's): b's 左 is superseded, and the replay, whose servos went
// limp at 2 s too, drops it as well.
func TestReplayStartsWhereTheLiveRigDid(t *testing.T) {
	path := latestRules(t)
	for _, tc := range []struct {
		first time.Duration
		b     string // what became of b's 左
	}{
		{1500 * time.Millisecond, "accepted/ran"},
		{300 * time.Millisecond, "dropped/superseded"},
		{3 * time.Second, "dropped/superseded"},
	} {
		t.Run(tc.first.String(), func(t *testing.T) {
			rec, live, start := liveRecorded(t, path, tc.first)
			var got []string
			for _, d := range live {
				if d.EventID == "b" {
					got = append(got, d.Decision+"/"+d.Reason)
				}
			}
			if len(got) != 2 || got[1] != tc.b {
				t.Fatalf("live, b's 左 was %v, want queued, then %s: %v", got, tc.b, live)
			}
			b, err := os.ReadFile(rec)
			if err != nil {
				t.Fatal(err)
			}
			line, _, _ := strings.Cut(string(b), "\n")
			if want := `{"kind":"start","time":"` + start.UTC().Format(time.RFC3339Nano) + `"}`; line != want {
				t.Fatalf("the record begins %s, want the start line %s", line, want)
			}
			decisions, outputs, errs := replayed(t, path, rec)
			if errs != "" {
				t.Errorf("replay said %q", errs)
			}
			sameDecisions(t, live, decisions)
			if len(outputs) == 0 || !outputs[0].Equal(start) {
				t.Fatalf("the replay's first output (its homing) at %v, want the start %v", outputs, start)
			}
		})
	}
}

// TestReplayWithoutStartLine: a record made before start lines were
// written starts the rig its detach_after (longer than its settle time),
// in whole ticks, before its first event, and replay says so: the first
// event finds the rig homed, still and limp, as a live rig started well
// before it and left alone is. The 3 s case of
// TestReplayStartsWhereTheLiveRigDid, its start line taken out, decides
// as the live run did: its servos went limp at 2 s, and the first
// command waits out rule limp's hold. Started one settle time before the
// first event, the replay's servos were driven still there and a's 右
// moved at once: b's 左 ran, which the live run superseded.
func TestReplayWithoutStartLine(t *testing.T) {
	path := latestRules(t)
	rec, live, _ := liveRecorded(t, path, 3*time.Second)
	b, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	start, events, _ := strings.Cut(string(b), "\n")
	if !strings.HasPrefix(start, `{"kind":"start"`) {
		t.Fatalf("no start line: %s", b)
	}
	old := filepath.Join(t.TempDir(), "old.jsonl")
	if err := os.WriteFile(old, []byte(events), 0o600); err != nil {
		t.Fatal(err)
	}
	decisions, outputs, errs := replayed(t, path, old)
	if want := noStartNote(old, shippedLead); errs != want {
		t.Fatalf("stderr %q, want %q", errs, want)
	}
	sameDecisions(t, live, decisions)
	if want := decisions[0].Time.Add(-shippedLead); len(outputs) == 0 || !outputs[0].Equal(want) {
		t.Fatalf("the first output (the homing) at %v, want %v, %v before the first event", outputs[:min(1, len(outputs))], want, shippedLead)
	}
}

// A rig without a laser holds nothing after homing: a record without a
// start line starts it at its first event.
func TestReplayWithoutStartLineWand(t *testing.T) {
	rec := writeRecord(t, `{"kind":"chat","time":"2026-11-22T10:00:00Z","user":{"id":"1","name":"m","role":"viewer"},"text":"左"}`)
	code, out, errs := runCLI(t, "", "replay", "-c", "../../rules.wand.yaml", rec)
	if code != 0 || errs != noStartNote(rec, 0) {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, `{"kind":"output","time":"2026-11-22T10:00:00Z"`) {
		t.Fatalf("the rig is not homed at the first event:\n%s", firstLines(out, 5))
	}
}

// The start line before the first event is the one the rig starts at;
// start lines after it are restarts, which replay as one run and are
// told of; a start line later than the first event (a clock set back) is
// not used, and replay says so.
func TestReplayStartLines(t *testing.T) {
	chat := func(at, text string) string {
		return `{"kind":"chat","time":"` + at + `","user":{"id":"1","name":"m","role":"viewer"},"text":"` + text + `"}`
	}
	startAt := func(at string) string { return `{"kind":"start","time":"` + at + `"}` }
	rec := writeRecord(t,
		startAt("2026-11-22T09:00:00Z"), // a run that received nothing
		startAt("2026-11-22T09:59:50Z"),
		chat("2026-11-22T10:00:00Z", "左"),
		startAt("2026-11-22T10:01:00Z"),
		chat("2026-11-22T10:01:05Z", "右"),
		startAt("2026-11-22T10:02:00Z"),
	)
	code, out, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", rec)
	if code != 0 || errs != "cattease: "+rec+": 2 start line(s) after the first event, where the live run restarted: replayed as one run (cooldowns, the queue, votes and sessions carry on, the rig is not homed again)\n" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !strings.HasPrefix(out, `{"kind":"output","time":"2026-11-22T09:59:50Z","target":"laser","action":"switch","value":0}`) {
		t.Fatalf("the rig does not start at the start line before the first event:\n%s", firstLines(out, 3))
	}
	if strings.Count(out, `"kind":"decision"`) != 4 {
		t.Fatalf("want the two commands' decisions, queued and ran, and nothing of the start:\n%s", out)
	}

	rec = writeRecord(t, startAt("2026-11-22T10:00:01Z"), chat("2026-11-22T10:00:00Z", "左"))
	code, out, errs = runCLI(t, "", "replay", "-c", "../../rules.yaml", rec)
	want := "cattease: " + rec + ": its start line is later than its first event (the clock was set back): the rig starts 2s before the first event, homed, still and its servos limp (detach_after) by then, as a live rig left alone\n"
	if code != 0 || errs != want {
		t.Fatalf("exit %d, stderr %q, want %q", code, errs, want)
	}
	if !strings.HasPrefix(out, `{"kind":"output","time":"2026-11-22T09:59:58Z"`) {
		t.Fatalf("the rig does not start its detach_after before the first event:\n%s", firstLines(out, 3))
	}

	// Under --strict a bad start line stops the replay, naming its line.
	rec = writeRecord(t, `{"kind":"start","time":"2026-11-22T10:00:00Z","text":"左"}`, chat("2026-11-22T10:00:00Z", "左"))
	code, _, errs = runCLI(t, "", "replay", "--strict", "-c", "../../rules.yaml", rec)
	if code != 1 || errs != "cattease: replay: line 1: bad event: a start line holds its kind and time only\n" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

// `run --record` begins the record with the run's start line, before its
// events; a second run appends its own.
func TestRunRecordsItsStart(t *testing.T) {
	rec := filepath.Join(t.TempDir(), "rec.jsonl")
	for range 2 {
		before := time.Now()
		code, _, errs := runCLI(t, "左\n", "run", "--listen", "off", "--dry-run", "--stdin", "-q", "-c", "../../rules.yaml", "--record", rec)
		if code != 0 {
			t.Fatalf("run: exit %d\n%s", code, errs)
		}
		b, err := os.ReadFile(rec)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		var start struct {
			Kind string    `json:"kind"`
			Time time.Time `json:"time"`
		}
		var ev struct {
			Received time.Time `json:"received"`
		}
		if err := json.Unmarshal([]byte(lines[len(lines)-2]), &start); err != nil || start.Kind != "start" {
			t.Fatalf("no start line before the run's event: %v\n%s", err, b)
		}
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &ev); err != nil {
			t.Fatal(err)
		}
		if start.Time.Before(before) || ev.Received.Before(start.Time) {
			t.Fatalf("start %v, event received %v, run begun %v", start.Time, ev.Received, before)
		}
	}
}
