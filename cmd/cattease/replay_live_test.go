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
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay"
)

// TestLiveQueueAsReplay: a feed of 5 左/右 from different viewers at once,
// then one every 205 ms for 315 more, through the live run's wiring (the
// motion loop and the engine's Run on a virtual clock) and through a
// replay of its record, decides alike, decision by decision: queued and
// queue_full, and each command run, in the same order; and so do the
// same lines under a pace of 240 ms (12 ticks) between commands, longer
// than 205 ms, so that the queue fills. Before, the engine ticked on a ticker of its own, out of phase
// with the motion loop: an event that came between a Step and the
// engine's next tick found the queue as the replay's did not (a command
// not yet started, or the rig's settling not yet noticed), and with the
// jitter of a real clock commands ran every 220 ms live against 200 ms
// in replay, and the live queue filled (queue_full) where the replay's
// never did.
func TestLiveQueueAsReplay(t *testing.T) {
	for _, tc := range []struct {
		pace      string // "": the shipped rules' 150ms
		queueFull bool   // the queue fills
	}{
		{"", false},
		{"240ms", true},
	} {
		t.Run("pace"+tc.pace, func(t *testing.T) {
			rules := "../../rules.yaml"
			if tc.pace != "" {
				b, err := os.ReadFile(rules)
				if err != nil {
					t.Fatal(err)
				}
				rules = filepath.Join(t.TempDir(), "rules.yaml")
				b = bytes.Replace(b, []byte("pace: 150ms"), []byte("pace: "+tc.pace), 1)
				if err := os.WriteFile(rules, b, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			live, replayed := liveAndReplay(t, rules)
			n := map[string]int{}
			for _, d := range live {
				n[d[strings.IndexByte(d, ' ')+1:]]++
			}
			t.Logf("live: %v", n)
			if n["accepted/queued"]+n["dropped/queue_full"] != 320 || (n["dropped/queue_full"] > 0) != tc.queueFull {
				t.Errorf("live decided %v", n)
			}
			if strings.Join(live, "\n") != strings.Join(replayed, "\n") {
				for i := range min(len(live), len(replayed)) {
					if live[i] != replayed[i] {
						t.Fatalf("decision %d: live %q, replay %q (%d decisions live, %d in replay)", i, live[i], replayed[i], len(live), len(replayed))
					}
				}
				t.Fatalf("%d decisions live, %d in replay", len(live), len(replayed))
			}
		})
	}
}

// liveAndReplay feeds 左 and 右, alternately, through the live run's
// wiring and then through a replay of its record, under the rules at
// path, and returns each one's decisions, "event_id decision/reason", in
// order.
func liveAndReplay(t *testing.T, path string) (live, replayed []string) {
	var rec bytes.Buffer
	synctest.Test(t, func(t *testing.T) {
		f, rules, err := loadRules(path)
		if err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.DiscardHandler)
		r, err := buildRig(f, rigMode{dryRun: true, rulesPath: path}, time.Now(), log, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer r.halt()
		eng, err := control.New(rules, r.play, control.Options{Log: log, OnDecision: func(d control.Decision) {
			live = append(live, d.EventID+" "+string(d.Outcome)+"/"+string(d.Reason))
		}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		motion, engine := make(chan error, 1), make(chan error, 1)
		// The replay's clock starts at the first event and its ticks
		// follow from there: the events come 2 ms after a live tick (at
		// most 5 ms after one, so that the replay's tick before each event
		// is the live one's). The first is only chat, the feed 5 s later,
		// once the live rig and the replay's are both homed and still.
		w := replay.NewLineWriter(&rec)
		start := time.Now()
		send := func(i int, at time.Duration, text string) {
			time.Sleep(time.Until(start.Add(at)))
			now := time.Now()
			ev := danmu.Event{Platform: "bilibili", Room: "1", Kind: danmu.KindChat, ID: fmt.Sprint(i), Time: now, Text: text,
				User: danmu.User{ID: fmt.Sprint(1000 + i), Name: fmt.Sprint("u", i), Role: danmu.RoleViewer}}
			if err := w.WriteReceived(ev, now); err != nil {
				t.Fatal(err)
			}
			eng.Handle(now, ev)
		}
		loop := motionLoop(r, eng) // as runRig: before the engine's Run
		go func() { motion <- loop(ctx) }()
		send(0, 2*time.Millisecond, "你好")
		// The engine starts after the motion loop, as in runRig: here out
		// of phase with it, by 7 ms.
		time.Sleep(time.Until(start.Add(7 * time.Millisecond)))
		sourcesEnded := make(chan []danmu.Event)
		go func() { engine <- eng.Run(ctx, sourcesEnded) }()

		feed := 5*time.Second + 2*time.Millisecond
		for i := range 5 {
			send(1+i, feed, []string{"左", "右"}[i%2])
		}
		for i := range 315 {
			send(6+i, feed+time.Duration(i+1)*205*time.Millisecond, []string{"右", "左"}[i%2])
		}
		close(sourcesEnded) // the engine runs what it queued, then ends
		if err := <-engine; err != nil {
			t.Fatal(err)
		}
		cancel()
		if err := <-motion; !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
	})

	recPath := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(recPath, rec.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "replay", "-c", path, recPath)
	if code != 0 {
		t.Fatalf("replay: exit %d\n%s", code, errs)
	}
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
			replayed = append(replayed, d.EventID+" "+d.Decision+"/"+d.Reason)
		}
	}
	return live, replayed
}
