package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/console"
	"github.com/cattease/cattease/danmu/replay"
)

// wandHour writes an hour of chat for the feather wand: floods of every
// wand command from many viewers (back-and-forth sequences that would
// overheat a servo), a moderator's stop and resume, and long silences in
// which the prey autoplay, the session finale and the dead man run.
func wandHour(t *testing.T, path string) {
	t.Helper()
	log := newChatLog(t, path, time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC))
	words := []string{"摇", "甩", "左3", "右3", "逗", "上", "藏", "下3", "抖", "摇", "右右右", "抓", "甩", "左5"}
	at := time.Duration(0)
	for phase := 0; at < time.Hour; phase++ {
		switch phase % 3 {
		case 0: // 8 minutes of flood: 10 messages a second from 500 viewers
			for end := at + 8*time.Minute; at < end; at += 100 * time.Millisecond {
				k := int(at / (100 * time.Millisecond))
				log.say(at, 2000+k%500, danmu.RoleViewer, words[k%len(words)], danmu.User{})
				if k%331 == 0 {
					log.say(at+time.Millisecond, 7, danmu.RoleModerator, "停", danmu.User{})
					log.say(at+4*time.Millisecond, 7, danmu.RoleModerator, "继续", danmu.User{})
				}
			}
		case 1: // a moderator waves the wand non-stop for four minutes
			for end := at + 4*time.Minute; at < end; at += 700 * time.Millisecond {
				log.say(at, 8, danmu.RoleModerator, []string{"摇", "甩", "左5", "右5"}[int(at/(700*time.Millisecond))%4], danmu.User{})
			}
		case 2: // silence: prey autoplay, the end of the session, the dead man
			at += 9 * time.Minute
		}
	}
	log.close()
}

// dutyFromTrace is the most motion time (τ per instant with an angle) of
// target in any window of w, read from a replay trace.
func dutyFromTrace(t *testing.T, trace, target string, w time.Duration) time.Duration {
	t.Helper()
	var at []time.Time
	sc := bufio.NewScanner(strings.NewReader(trace))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var o struct {
			Time   time.Time `json:"time"`
			Target string    `json:"target"`
			Action string    `json:"action"`
		}
		if json.Unmarshal(sc.Bytes(), &o) != nil || o.Target != target || o.Action != "move" {
			continue
		}
		if len(at) == 0 || !at[len(at)-1].Equal(o.Time) {
			at = append(at, o.Time)
		}
	}
	worst, lo := 0, 0
	for hi := range at {
		for !at[lo].After(at[hi].Add(-w)) {
			lo++
		}
		worst = max(worst, hi-lo+1)
	}
	return time.Duration(worst) * safety.DefaultTick
}

// TestReplayVerifyWandHour replays an hour of generated chat through the
// shipped rules.wand.yaml: the independent monitor finds every speed,
// acceleration and duty within the configured limits, and the duty cap
// was reached (the hour tested it) but never passed.
func TestReplayVerifyWandHour(t *testing.T) {
	if testing.Short() {
		t.Skip("replays an hour")
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "wand.jsonl")
	wandHour(t, log)
	code, trace, errs := runCLI(t, "", "replay", "--verify", "-c", "../../rules.wand.yaml", log)
	if code != 0 || errs != noStartNote(log, 0) { // a record without a start line (TestReplayWithoutStartLineWand)
		t.Fatalf("replay --verify: exit %d\n%s", code, firstLines(errs, 20))
	}
	if !strings.Contains(trace, `"target":"swing","action":"move"`) || !strings.Contains(trace, `"target":"lift","action":"move"`) {
		t.Fatalf("the wand never moved:\n%s", firstLines(trace, 5))
	}
	if !strings.Contains(trace, `"target":"swing","action":"detach"`) {
		t.Error("the swing servo never let go (release on catch)")
	}
	for axis, max := range map[string]time.Duration{"swing": 40 * time.Second, "lift": 30 * time.Second} {
		got := dutyFromTrace(t, trace, axis, time.Minute)
		t.Logf("%s: at most %v of motion in any minute (limit %v)", axis, got, max)
		if got > max {
			t.Errorf("%s moved %v in a minute, limit %v", axis, got, max)
		}
	}
	if got := dutyFromTrace(t, trace, "swing", time.Minute); got < 30*time.Second {
		t.Errorf("swing moved at most %v in a minute: the hour never pressed the duty limit", got)
	}
}

// TestReplayVerifyCatchesAWandWithoutDuty: the same hour through an
// envelope that lost its duty limit (as if it had a bug) fails the
// monitor, which reads the limit from rules.wand.yaml.
func TestReplayVerifyCatchesAWandWithoutDuty(t *testing.T) {
	if testing.Short() {
		t.Skip("replays an hour")
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "wand.jsonl")
	wandHour(t, log)
	testHookEnvelope = func(c *safety.Config) {
		for i := range c.Axes {
			c.Axes[i].DutyMax, c.Axes[i].DutyWindow = 0, 0
		}
	}
	defer func() { testHookEnvelope = nil }()
	code, _, errs := runCLI(t, "", "replay", "--verify", "-c", "../../rules.wand.yaml", log)
	if code != 1 || !strings.Contains(errs, " duty ") {
		t.Fatalf("an envelope without its duty limit must fail verification: exit %d\n%s", code, firstLines(errs, 5))
	}
}

// TestWandDemoHints: every line `make demo RULES=rules.wand.yaml` suggests
// (the Makefile's second hint), typed 3 s apart, is accepted by the shipped
// rules.wand.yaml and moves the mock wand.
func TestWandDemoHints(t *testing.T) {
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	all := regexp.MustCompile(`Type chat lines \((.*?) …\)`).FindAllSubmatch(mk, -1)
	if len(all) < 2 || !strings.Contains(string(all[1][1]), "摇") {
		t.Fatalf("no wand hint in ../../Makefile: %q", all)
	}
	hints := strings.Split(string(all[1][1]), ", ")
	t0 := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)
	var rec bytes.Buffer
	w := replay.NewWriter(&rec)
	for i, line := range hints {
		src := &console.Source{Now: func() time.Time { return t0.Add(time.Duration(i) * 3 * time.Second) }}
		ev, ok := src.Parse(line, i+1)
		if !ok {
			t.Fatalf("hint %q: the console reads no message", line)
		}
		if err := w.Write(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.jsonl")
	if err := os.WriteFile(path, rec.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, trace, errs := runCLI(t, "", "replay", "--verify", "-c", "../../rules.wand.yaml", path)
	if code != 0 {
		t.Fatalf("replay: code %d: %s", code, errs)
	}
	first := map[string]map[string]any{}
	for _, l := range strings.Split(strings.TrimSpace(trace), "\n") {
		var d map[string]any
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			t.Fatalf("trace line %q: %v", l, err)
		}
		if id, _ := d["event_id"].(string); d["kind"] == "decision" && first[id] == nil {
			first[id] = d
		}
	}
	for i, line := range hints {
		if d := first["console-"+strconv.Itoa(i+1)]; d == nil || d["decision"] != "accepted" {
			t.Errorf("hint %q: %v, want accepted", line, d)
		}
	}
	if !strings.Contains(trace, `"target":"swing","action":"move"`) {
		t.Error("the wand never moved")
	}
}
