package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
)

// roomLog builds a recorded log around real captured Bilibili gifts: the
// super chat, gift and guard purchase bodies of danmu/bilibili/testdata
// (provenance in its SOURCES.md), decoded by the live decoder, between
// chat lines typed by made-up viewers. Times are set on a virtual clock.
type roomLog struct {
	t      *testing.T
	at     time.Time
	events []danmu.Event
	n      int
}

func (l *roomLog) after(d time.Duration) *roomLog { l.at = l.at.Add(d); return l }

func (l *roomLog) chat(uid, text string, role danmu.Role) *roomLog {
	l.n++
	l.events = append(l.events, danmu.Event{Platform: "bilibili", Room: "1", Kind: danmu.KindChat,
		ID: "c" + uid + "-" + time.Duration(l.n).String(), Time: l.at, Text: text,
		User: danmu.User{ID: uid, Name: "viewer" + uid, Role: role}})
	l.at = l.at.Add(10 * time.Millisecond)
	return l
}

// capture decodes a captured body; the sender's uid is returned so the
// log can have them type a command next.
func (l *roomLog) capture(file string) danmu.User {
	l.t.Helper()
	body, err := os.ReadFile(filepath.Join("../../danmu/bilibili/testdata", file))
	if err != nil {
		l.t.Fatal(err)
	}
	d := bilibili.Decoder{RoomID: 1, Now: func() time.Time { return l.at }}
	ev, err := d.Decode(body)
	if err != nil {
		l.t.Fatalf("%s: %v", file, err)
	}
	ev.Time = l.at
	l.events = append(l.events, ev)
	l.at = l.at.Add(10 * time.Millisecond)
	return ev.User
}

func (l *roomLog) write() string {
	path := filepath.Join(l.t.TempDir(), "room.jsonl")
	f, err := os.Create(path)
	if err != nil {
		l.t.Fatal(err)
	}
	enc := json.NewEncoder(f)
	for _, ev := range l.events {
		if err := enc.Encode(ev); err != nil {
			l.t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		l.t.Fatal(err)
	}
	return path
}

type traceDecision struct {
	Kind     string `json:"kind"`
	Time     time.Time
	UserID   string `json:"user_id"`
	Text     string `json:"text"`
	Rule     string `json:"rule"`
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
	Policy   string `json:"policy"`
	Repeat   int    `json:"repeat"`
	Grant    *struct {
		Priority  int    `json:"priority"`
		Extra     int    `json:"extra"`
		Exclusive int64  `json:"exclusive_ns"`
		Pattern   string `json:"pattern"`
	} `json:"grant"`
}

// replayRoom replays the log through the shipped rules.yaml and returns
// the decisions, in order.
func replayRoom(t *testing.T, l *roomLog) []traceDecision {
	t.Helper()
	code, out, errs := runCLI(t, "", "replay", "--verify", "-c", "../../rules.yaml", l.write())
	if code != 0 {
		t.Fatalf("replay: code %d\n%s", code, errs)
	}
	var ds []traceDecision
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var d traceDecision
		if json.Unmarshal(sc.Bytes(), &d) == nil && d.Kind == "decision" {
			ds = append(ds, d)
		}
	}
	return ds
}

// find returns the index of the first decision after from matching f.
func find(ds []traceDecision, from int, f func(traceDecision) bool) int {
	for i := max(from, 0); i < len(ds); i++ {
		if f(ds[i]) {
			return i
		}
	}
	return -1
}

func by(uid, text, reason string) func(traceDecision) bool {
	return func(d traceDecision) bool { return d.UserID == uid && d.Text == text && d.Reason == reason }
}

var start = time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)

// TestReplaySuperChatSkipsTheQueue: a captured 30元 super chat's sender
// types 右 after three viewers queued theirs; it runs before the last two.
func TestReplaySuperChatSkipsTheQueue(t *testing.T) {
	l := &roomLog{t: t, at: start}
	l.chat("101", "左", "").chat("102", "左", "").chat("103", "左", "")
	sc := l.capture("super_chat_1.json")
	l.chat(sc.ID, "右", "")
	ds := replayRoom(t, l)
	gift := find(ds, 0, func(d traceDecision) bool { return d.Reason == "gift" && d.UserID == sc.ID })
	if gift < 0 || ds[gift].Grant == nil || ds[gift].Grant.Priority != 10 || ds[gift].Grant.Extra != 10 {
		t.Fatalf("no 30元 grant for the super chat: %+v", ds)
	}
	if find(ds, 0, by(sc.ID, "右", "priority")) < 0 {
		t.Fatal("the super chat sender's 右 was not taken as priority")
	}
	ranSC := find(ds, 0, by(sc.ID, "右", "ran"))
	ran103 := find(ds, 0, by("103", "左", "ran"))
	if ranSC < 0 || ran103 < 0 || ranSC > ran103 {
		t.Fatalf("super chat ran at %d, viewer 103 at %d: want the super chat first", ranSC, ran103)
	}
}

// TestReplayTimeoutAndExclusive: 禁言 drops a viewer's commands as timeout
// until it ends; 包场 holds others off until 收场.
func TestReplayTimeoutAndExclusive(t *testing.T) {
	l := &roomLog{t: t, at: start}
	l.chat("201", "大家好", "").chat("202", "晚上好", "")
	l.chat("900", "禁言 viewer201 1m", danmu.RoleModerator)
	l.after(10*time.Second).chat("201", "左", "")
	l.after(51*time.Second).chat("201", "右", "")
	l.after(3*time.Second).chat("900", "包场 viewer202 5m", danmu.RoleModerator)
	l.after(3*time.Second).chat("203", "左", "").chat("202", "右", "")
	l.after(3*time.Second).chat("900", "收场", danmu.RoleModerator).chat("203", "右", "")
	ds := replayRoom(t, l)
	for _, c := range []struct{ uid, text, reason string }{
		{"900", "禁言 viewer201 1m", "moderation"},
		{"201", "左", "timeout"},
		{"201", "右", "queued"},
		{"900", "包场 viewer202 5m", "moderation"},
		{"203", "左", "exclusive"},
		{"202", "右", "queued"},
		{"900", "收场", "moderation"},
		{"203", "右", "queued"},
	} {
		if find(ds, 0, by(c.uid, c.text, c.reason)) < 0 {
			t.Errorf("%s %q: no %s decision", c.uid, c.text, c.reason)
		}
	}
}

// TestReplayVotes: chat votes the policy into vote (75 % of at least 5),
// then a window runs its most-voted command; a guard purchase buys 包场
// and a circle.
func TestReplayVotes(t *testing.T) {
	l := &roomLog{t: t, at: start}
	for _, u := range []string{"301", "302", "303", "304"} {
		l.chat(u, "投票", "")
	}
	l.chat("305", "自由", "") // 4 of 5 = 80 %
	l.after(2*time.Second).chat("301", "左2", "").chat("302", "左2", "").chat("303", "右", "")
	l.chat("301", "右", "") // one vote per window
	l.after(6 * time.Second)
	g := l.capture("guard_buy_1.json")
	ds := replayRoom(t, l)
	sw := find(ds, 0, func(d traceDecision) bool { return d.Reason == "policy" && d.Policy == "vote" })
	if sw < 0 {
		t.Fatal("no switch to the vote policy")
	}
	if find(ds, sw, by("301", "右", "vote_repeat")) < 0 {
		t.Error("a second vote in the window was not refused")
	}
	won := find(ds, sw, func(d traceDecision) bool { return d.Reason == "vote_won" })
	if won < 0 || ds[won].Rule != "left" || ds[won].Repeat != 2 || ds[won].Text != "2/3" {
		t.Fatalf("vote winner: %+v", ds[max(won, 0)])
	}
	gd := find(ds, 0, func(d traceDecision) bool { return d.Reason == "gift" && d.UserID == g.ID })
	if gd < 0 || ds[gd].Grant.Exclusive != int64(2*time.Minute) || ds[gd].Grant.Pattern != "circle" {
		t.Fatalf("guard purchase grant: %+v", ds[max(gd, 0)])
	}
}
