package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay"
)

// hostileHour writes an hour of chat from viewers who try every trick of
// the safety issue: toggling the laser against the dwell cap and the
// light budget, floods towards the horizon, reversals, stop and resume a
// few ms apart while moving, sequences, and long silences in which the
// dead man, autoplay and sessions run on their own. The second flood
// plays through the room: combos towards the horizon, gifts buying
// priority, extra commands past the cooldowns, 包场 and patterns, chat
// voting the policy into vote and voting for 上5, a moderator forbidding
// and allowing the laser.
func hostileHour(t *testing.T, path string) {
	t.Helper()
	log := newChatLog(t, path, time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC))
	say := func(at time.Duration, uid int, role danmu.Role, text string) {
		log.say(at, uid, role, text, danmu.User{Guard: 3, Medal: 20})
	}
	tricks := []string{"上5", "激光", "关灯", "激光", "左5", "右×5", "上上上", "画圈", "之字", "下3", "回中", "激光"}
	room := []string{"上5+上5", "激光+上5", "投票", "上5", "左5+上5+右5", "激光", "投票", "上3+激光", "画圈", "上5"}
	at := time.Duration(0)
	for phase := 0; at < time.Hour; phase++ {
		switch phase % 4 {
		case 1: // 5 minutes of the room's tricks, 20 messages a second
			for end := at + 5*time.Minute; at < end; at += 50 * time.Millisecond {
				k := int(at / (50 * time.Millisecond))
				say(at, 1000+k%500, danmu.RoleViewer, room[k%len(room)])
				switch {
				case k%40 == 0: // a 100元 super chat every 2 s: priority, extra, 包场, a circle
					log.gift(at+time.Millisecond, 1000+k%500, 10000)
				case k%61 == 0:
					say(at+time.Millisecond, 7, danmu.RoleModerator, "关激光")
					say(at+30*time.Millisecond, 7, danmu.RoleModerator, "开激光")
				}
			}
		case 0: // 5 minutes of flood: 20 messages a second from 2,000 viewers
			for end := at + 5*time.Minute; at < end; at += 50 * time.Millisecond {
				k := int(at / (50 * time.Millisecond))
				say(at, 1000+k%2000, danmu.RoleViewer, tricks[k%len(tricks)])
				if k%97 == 0 { // a moderator's stop and resume 5 ms apart
					say(at+time.Millisecond, 7, danmu.RoleModerator, "停")
					say(at+6*time.Millisecond, 7, danmu.RoleModerator, "继续")
				}
			}
		case 2: // toggling every 4 s without moving
			for end := at + 3*time.Minute; at < end; at += 4 * time.Second {
				say(at, 42, danmu.RoleModerator, "关灯")
				say(at+time.Millisecond, 42, danmu.RoleModerator, "激光")
			}
		case 3: // silence: the dead man, autoplay, the session clock
			at += 16 * time.Minute
		}
	}
	log.close()
}

// TestReplayVerifyHostileHour replays the hostile hour through the shipped
// rules.yaml with the daily ledger on disk, and the independent monitor
// finds nothing.
func TestReplayVerifyHostileHour(t *testing.T) {
	if testing.Short() {
		t.Skip("replays an hour")
	}
	dir := t.TempDir()
	t.Setenv("STATE_DIRECTORY", dir)
	log := filepath.Join(dir, "hostile.jsonl")
	hostileHour(t, log)
	code, trace, errs := runCLI(t, "", "replay", "--verify", "--state", "-c", "../../rules.yaml", log)
	// No live ledger here: --state says it starts from an empty one
	// (TestReplayStateKeepsACopy), the record has no start line
	// (TestReplayWithoutStartLine), and nothing else is said.
	errs = strings.Replace(errs, noStartNote(log, shippedLead), "", 1)
	notes := strings.Count(errs, "cattease: --state: ")
	if code != 0 || notes != 2 || strings.Count(errs, "\n") != notes {
		t.Fatalf("replay --verify: exit %d\n%s", code, firstLines(errs, 20))
	}
	if !strings.Contains(trace, `"target":"laser","action":"switch","value":1`) {
		t.Fatal("the laser never lit: the replay exercised nothing")
	}
	// The ledger is kept in a copy of the live one (TestReplayStateKeepsACopy).
	if _, err := os.Stat(filepath.Join(dir, "cattease-state.json")); err == nil {
		t.Fatal("replay --state wrote the live ledger")
	}
}

// TestReplayVerifyCatchesAWeakenedRig: the same hour through an envelope
// whose limits are weaker than the config the monitor reads fails.
func TestReplayVerifyCatchesAWeakenedRig(t *testing.T) {
	if testing.Short() {
		t.Skip("replays an hour")
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "hostile.jsonl")
	hostileHour(t, log)
	testHookEnvelope = func(c *safety.Config) { // as if the envelope had a bug
		c.DwellCap, c.Ceiling = 0, nil
		for i := range c.Axes {
			c.Axes[i].Speed *= 2
			c.Axes[i].Max += 30
		}
	}
	defer func() { testHookEnvelope = nil }()
	code, _, errs := runCLI(t, "", "replay", "--verify", "-c", "../../rules.yaml", log)
	if code != 1 || !strings.Contains(errs, "violation:") {
		t.Fatalf("a weakened envelope must fail verification: exit %d\n%s", code, firstLines(errs, 5))
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// TestShippedAutoplayStarts: with the shipped rules.yaml, a minute without
// chat starts autoplay before the dead man parks (before, autoplay.after
// equalled dead_man and the dead man always won).
func TestShippedAutoplayStarts(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "one.jsonl")
	fh, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	w := replay.NewWriter(fh)
	start := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)
	w.Write(danmu.Event{Platform: "bilibili", Room: "1", Kind: danmu.KindChat, ID: "1", Time: start,
		User: danmu.User{ID: "1", Name: "猫奴", Role: danmu.RoleViewer}, Text: "左"})
	w.Write(danmu.Event{Platform: "bilibili", Room: "1", Kind: danmu.KindChat, ID: "2", Time: start.Add(2 * time.Minute),
		User: danmu.User{ID: "1", Name: "猫奴", Role: danmu.RoleViewer}, Text: "大家好"})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	code, trace, errs := runCLI(t, "", "replay", "--verify", "-c", "../../rules.yaml", log)
	if code != 0 {
		t.Fatalf("replay: %d %s", code, errs)
	}
	moves, lit := 0, false
	for _, l := range strings.Split(trace, "\n") {
		var o crashLine
		if json.Unmarshal([]byte(l), &o) != nil || o.Kind != "output" {
			continue
		}
		if at := o.Time.Sub(start); at > 45*time.Second && at < 2*time.Minute {
			if o.Action == "move" {
				moves++
			}
			lit = lit || (o.Target == "laser" && o.Value == 1)
		}
	}
	if moves < 50 || !lit {
		t.Fatalf("autoplay should move the dot (and light the laser) after 45 s of silence: %d moves, lit %v", moves, lit)
	}
}
