package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay"
)

// outcomes are each event's first decision, "decision/reason", by event id.
type outcomes map[string]string

func (o outcomes) add(id, decision, reason string) {
	if _, ok := o[id]; !ok {
		o[id] = decision + "/" + reason
	}
}

// TestReplayDecidesAtTheReceiveTime: ten viewers' 左 whose senders'
// timestamps spread over a second arrive in one frame. The live run
// decides them at once (the shipped rules' global burst of 5: five
// accepted, five rate_global); the record keeps when they were received,
// and replay decides them then, as the live run did. Before, replay used
// the senders' timestamps and accepted nine.
func TestReplayDecidesAtTheReceiveTime(t *testing.T) {
	live := outcomes{}
	var rec bytes.Buffer
	synctest.Test(t, func(t *testing.T) {
		f, rules, err := loadRules("../../rules.yaml")
		if err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.DiscardHandler)
		r, err := buildRig(f, rigMode{dryRun: true, rulesPath: "../../rules.yaml"}, time.Now(), log, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer r.halt()
		eng, err := control.New(rules, r.play, control.Options{Log: log,
			OnDecision: func(d control.Decision) { live.add(d.EventID, string(d.Outcome), string(d.Reason)) }})
		if err != nil {
			t.Fatal(err)
		}
		sent := time.Now().Add(-2 * time.Second)
		frame := make([]danmu.Event, 10)
		for i := range frame {
			frame[i] = danmu.Event{Platform: "bilibili", Room: "1", Kind: danmu.KindChat, ID: fmt.Sprint(i),
				Time: sent.Add(time.Duration(i) * 100 * time.Millisecond), Text: "左",
				User: danmu.User{ID: fmt.Sprint(1000 + i), Name: fmt.Sprint("u", i), Role: danmu.RoleViewer}}
		}
		c := &chatSide{eng: eng}
		recorder := &recorder{w: replay.NewLineWriter(&rec)}
		src := []namedSource{{"bilibili", batchSource{frame}, &danmu.Counters{}}}
		if err := runSources(t.Context(), src, c.decide, noAbort, recorder, func(danmu.Event) {}, log); err != nil {
			t.Fatal(err)
		}
	})
	if got := fmt.Sprint(count(live)); got != "map[accepted/queued:5 dropped/rate_global:5]" {
		t.Fatalf("live: %v", got)
	}
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(path, rec.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", path)
	if code != 0 {
		t.Fatalf("replay: exit %d\n%s", code, errs)
	}
	replayed := outcomes{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var d struct {
			Kind     string `json:"kind"`
			EventID  string `json:"event_id"`
			Decision string `json:"decision"`
			Reason   string `json:"reason"`
		}
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		if d.Kind == "decision" {
			replayed.add(d.EventID, d.Decision, d.Reason)
		}
	}
	if fmt.Sprint(replayed) != fmt.Sprint(live) {
		t.Fatalf("replay decided otherwise than the live run:\n  live %v\nreplay %v", live, replayed)
	}
}

func count(o outcomes) map[string]int {
	n := map[string]int{}
	for _, v := range o {
		n[v]++
	}
	return n
}

// A recording whose events go back in time (records made before the
// receive time was kept, from two sources whose clocks differ) replays,
// each such event at the latest time before it, and stderr counts them
// and names their lines.
func TestReplayWarnsBackInTime(t *testing.T) {
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	var rec []byte
	for i, d := range []time.Duration{time.Second, 0, 1500 * time.Millisecond, 2 * time.Second} {
		var err error
		rec, err = replay.AppendEvent(rec, danmu.Event{Platform: "bilibili", Room: "1", Kind: danmu.KindChat,
			ID: fmt.Sprint(i), Time: at.Add(d), Text: "左", User: danmu.User{ID: fmt.Sprint(i), Role: danmu.RoleViewer}})
		if err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(path, rec, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", path)
	if code != 0 || strings.Count(out, `"kind":"decision"`) < 4 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if want := noStartNote(path, shippedLead) + "1 event(s) went back in time, by up to 1s, on line(s) 2: each was decided at the latest time before it\n"; errs != want {
		t.Fatalf("stderr %q, want %q", errs, want)
	}
}
