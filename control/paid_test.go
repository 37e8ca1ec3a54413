package control

import (
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control/room"
	"github.com/cattease/cattease/danmu"
)

// paidYAML: ¥100 buys a circle and nothing else, one pattern per sender
// a day; ¥30 buys 5 priority and 3 extra credits; a free gift buys one
// extra credit.
var paidYAML = strings.NewReplacer(
	"{min: 100元, exclusive: 1m, pattern: circle}", "{min: 100元, pattern: circle}",
	"per_sender: {priority: 6}", "per_sender: {priority: 6, patterns: 1}",
	"commands:\n", "commands:\n  - {name: stop, aliases: [停], do: {stop: true}, allow: moderator}\n"+
		"  - {name: resume, aliases: [继续], do: {resume: true}, allow: moderator}\n",
).Replace(roomYAML)

func (h *harness) credits(user string) (priority, extra int) {
	h.eng.mu.Lock()
	defer h.eng.mu.Unlock()
	return h.eng.room.gifts.Credits(h.now, room.VoterOf("test", danmu.User{ID: user, Name: "u" + user}))
}

// lastOf returns the latest decision for rule.
func (h *harness) lastOf(rule string) Decision {
	for i := len(h.decisions) - 1; i >= 0; i-- {
		if h.decisions[i].Rule == rule {
			return h.decisions[i]
		}
	}
	h.t.Fatalf("no decision for %s", rule)
	return Decision{}
}

// TestLatestNeverReplacesAPaidCommand: under latest, the one waiting
// place, once a gift bought it, is not taken by a newer command: a free
// one is refused (queue_full) with nothing spent, and so is another
// priority one, whose credit is kept.
func TestLatestNeverReplacesAPaidCommand(t *testing.T) {
	h := newHarness(t, strings.Replace(paidYAML, "policy: queue", "policy: latest", 1))
	h.holdQueue()
	want(t, h.say("2", "左", nil), Accepted, ReasonQueued)
	want(t, h.gift("9", 10000), Accepted, ReasonGift)
	want(t, h.lastOf("circle"), Accepted, ReasonPriority) // a free command gives way to a pattern
	want(t, h.say("3", "左", nil), Dropped, ReasonQueueFull)
	want(t, h.gift("8", 3000), Accepted, ReasonGift)
	want(t, h.say("8", "右", nil), Dropped, ReasonQueueFull)
	if p, _ := h.credits("8"); p != 5 {
		t.Fatalf("u8 holds %d priority credits, want the 5 bought", p)
	}
	st := h.eng.Status(h.now)
	if st.QueueLen != 1 || st.Waiting[0].Rule != "circle" {
		t.Fatalf("waiting %+v, want the circle", st.Waiting)
	}
	// Refused, u3 spent nothing: no cooldown started, so once the circle
	// has run u3's command is taken at once.
	h.eng.mu.Lock()
	h.eng.exec.pace = 100 * time.Millisecond
	h.eng.mu.Unlock()
	h.run(time.Second)
	want(t, h.lastOf("circle"), Accepted, ReasonRan)
	want(t, h.say("3", "左", nil), Accepted, ReasonQueued)
}

// TestPatternNotRunGivesBackItsCap: on every path where a bought pattern
// does not run, its place in the day's pattern caps is given back, so the
// sender's next such gift buys it again.
func TestPatternNotRunGivesBackItsCap(t *testing.T) {
	for _, c := range []struct {
		name   string
		yaml   string
		before func(h *harness)
		after  func(h *harness) // after the gift, before the second one
		reason string
	}{
		{name: "paused", before: func(h *harness) { h.say("1", "暂停", mod) },
			after: func(h *harness) { h.say("1", "恢复", mod) }, reason: "paused"},
		{name: "stopped", before: func(h *harness) { h.say("1", "停", mod) },
			after: func(h *harness) { h.say("1", "继续", mod) }, reason: "stopped"},
		{name: "global pacing", yaml: "global: {every: 1h, burst: 1}",
			before: func(h *harness) { h.say("2", "左", nil) }, reason: "rate_global"},
		{name: "queue of paid commands", before: func(h *harness) {
			for _, u := range []string{"1", "2", "3", "4"} {
				h.gift(u, 3000)
				h.say(u, "左", nil)
			}
		}, reason: "queue_full"},
		{name: "a stop clears the queue", after: func(h *harness) {
			h.say("1", "停", mod)
			h.say("1", "继续", mod)
		}, reason: "stopped"},
		{name: "a switch to latest", before: func(h *harness) { h.gift("8", 10000) },
			after: func(h *harness) { h.say("1", "模式 最新", mod) }, reason: "policy"},
		{name: "the rig refuses its first step", after: func(h *harness) {
			h.env.Stop(h.now) // the envelope alone: the engine queued the circle
			h.eng.mu.Lock()
			h.eng.exec.pace = 0
			h.eng.mu.Unlock()
			h.run(time.Second)
			h.env.Resume(h.now)
		}, reason: "stopped"},
	} {
		t.Run(c.name, func(t *testing.T) {
			yaml := paidYAML
			if c.yaml != "" {
				yaml = strings.Replace(yaml, "global: {every: 10ms, burst: 50}", c.yaml, 1)
			}
			h := newHarness(t, yaml)
			h.holdQueue()
			if c.before != nil {
				c.before(h)
			}
			d := h.gift("9", 10000)
			if d.Grant == nil || d.Grant.Pattern != "circle" {
				t.Fatalf("first gift bought %+v", d.Grant)
			}
			if c.after != nil {
				c.after(h)
			}
			var got []string
			for _, d := range h.decisions {
				if d.Rule == "circle" && d.UserName == "u9" {
					got = append(got, string(d.Outcome)+"/"+string(d.Reason))
				}
			}
			if len(got) == 0 || got[len(got)-1] != "dropped/"+c.reason {
				t.Fatalf("u9's circle: %v, want it dropped as %s", got, c.reason)
			}
			if d := h.gift("9", 10000); d.Grant == nil || d.Grant.Pattern != "circle" {
				t.Fatalf("the next ¥100 bought %+v (%s/%s): the unrun pattern still counted", d.Grant, d.Outcome, d.Reason)
			}
		})
	}
}

// TestCreditsComeBackWhenTheCommandNeverRuns: a priority or extra credit
// spent on a command that is then dropped before anything of it ran is
// given back.
func TestCreditsComeBackWhenTheCommandNeverRuns(t *testing.T) {
	for _, c := range []struct {
		name   string
		policy string
		lose   func(h *harness)
	}{
		{name: "a stop clears the queue", lose: func(h *harness) {
			h.say("1", "停", mod)
			h.say("1", "继续", mod)
		}},
		{name: "a switch to latest", lose: func(h *harness) {
			h.gift("8", 3000)
			h.say("8", "左", nil) // ahead of u9's second, priority too
			h.say("1", "模式 最新", mod)
		}},
		{name: "the rig refuses it", lose: func(h *harness) {
			h.env.Stop(h.now)
			h.eng.mu.Lock()
			h.eng.exec.pace = 0
			h.eng.mu.Unlock()
			h.run(time.Second)
			h.env.Resume(h.now)
		}},
		{name: "fair: the sender's newer command takes its place", policy: "fair", lose: func(h *harness) {
			h.say("9", "右", nil) // spends its own credit: the one it replaces comes back
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			yaml := strings.Replace(paidYAML, "user_cooldown: 2s", "user_cooldown: 0s", 1)
			if c.policy != "" {
				yaml = strings.Replace(yaml, "policy: queue", "policy: "+c.policy, 1)
			}
			h := newHarness(t, yaml)
			h.holdQueue()
			want(t, h.gift("9", 3000), Accepted, ReasonGift)
			want(t, h.say("9", "左", nil), Accepted, ReasonPriority)
			if c.policy == "" {
				want(t, h.say("9", "右", nil), Accepted, ReasonPriority)
			}
			p0, _ := h.credits("9")
			c.lose(h)
			p, _ := h.credits("9")
			wantP := 5
			if c.policy == "fair" {
				wantP = 5 - 1 // the newer command's own credit
			} else if c.name == "a switch to latest" {
				wantP = p0 + 1 // one of u9's two was cut; the other waits
			}
			if p != wantP {
				t.Fatalf("u9 holds %d priority credits (%d before), want %d", p, p0, wantP)
			}
		})
	}

	// An extra credit on a command that a priority one then pushes out of
	// a full queue comes back too.
	h := newHarness(t, paidYAML)
	h.holdQueue()
	want(t, h.gift("9", 0), Accepted, ReasonGift) // one extra credit
	want(t, h.say("9", "左", nil), Accepted, ReasonQueued)
	want(t, h.say("9", "左", nil), Accepted, ReasonExtra)
	for _, u := range []string{"2", "3"} {
		want(t, h.say(u, "左", nil), Accepted, ReasonQueued)
	}
	want(t, h.gift("8", 3000), Accepted, ReasonGift)
	want(t, h.say("8", "右", nil), Accepted, ReasonPriority)
	if _, x := h.credits("9"); x != 0 {
		t.Fatalf("u9 holds %d extra credits while the extra command waits", x)
	}
	want(t, h.say("8", "右", nil), Accepted, ReasonExtra) // pushes out the last ordinary one: u3's
	want(t, h.say("8", "右", nil), Accepted, ReasonExtra) // ...then u2's
	want(t, h.say("8", "右", nil), Accepted, ReasonExtra) // ...then u9's extra one
	if _, x := h.credits("9"); x != 1 {
		t.Fatalf("u9 holds %d extra credits after the extra command was pushed out, want 1", x)
	}
}

// TestFairOwnCommandLeavesAPatternWaiting: under fair a sender's command
// replaces their own waiting command, never their bought pattern.
func TestFairOwnCommandLeavesAPatternWaiting(t *testing.T) {
	h := newHarness(t, strings.Replace(paidYAML, "policy: queue", "policy: fair", 1))
	h.holdQueue()
	want(t, h.gift("9", 10000), Accepted, ReasonGift)
	want(t, h.say("9", "左", nil), Accepted, ReasonQueued)
	st := h.eng.Status(h.now)
	if st.QueueLen != 2 || st.Waiting[0].Rule != "circle" || st.Waiting[1].Rule != "left" {
		t.Fatalf("waiting %+v, want the circle, then 左", st.Waiting)
	}
	for _, d := range h.decisions {
		if d.Reason == ReasonSuperseded {
			t.Fatalf("superseded %+v", d)
		}
	}
}

// TestStopDoesNotRetellAFinishedCommand: a command whose every step has
// been sent, waiting only for the rig to settle, was told it ran; an
// emergency stop then does not tell it "stopped" as well.
func TestStopDoesNotRetellAFinishedCommand(t *testing.T) {
	h := newHarness(t, testRules)
	d := h.say("1", "右", nil)
	h.now = h.now.Add(h.env.Tick())
	h.eng.Tick(h.now) // the move is sent; the pan has yet to get there
	h.eng.mu.Lock()
	running := h.eng.exec.running != nil
	h.eng.mu.Unlock()
	if !running {
		t.Fatal("the command should still be settling")
	}
	h.eng.Stop(h.now)
	var got []string
	for _, x := range h.decisions {
		if x.EventID == d.EventID {
			got = append(got, string(x.Outcome)+"/"+string(x.Reason))
		}
	}
	if strings.Join(got, " ") != "accepted/queued accepted/ran" {
		t.Fatalf("decisions %v", got)
	}
}

// TestFairReplacementKeepsItsCredit: under fair, a sender with no credit
// left who replaces their own priority command keeps its place ahead,
// paid by the credit already spent: that credit is not given back as
// well.
func TestFairReplacementKeepsItsCredit(t *testing.T) {
	h := newHarness(t, strings.NewReplacer("policy: queue", "policy: fair", "user_cooldown: 2s", "user_cooldown: 0s",
		"per_sender: {priority: 6, patterns: 1}", "per_sender: {priority: 1, patterns: 1}").Replace(paidYAML))
	h.holdQueue()
	want(t, h.say("2", "左", nil), Accepted, ReasonQueued)
	want(t, h.gift("9", 100), Accepted, ReasonGift) // one priority credit
	want(t, h.say("9", "左", nil), Accepted, ReasonPriority)
	want(t, h.say("9", "右", nil), Accepted, ReasonQueued)
	st := h.eng.Status(h.now)
	if st.QueueLen != 2 || st.Waiting[0].UserName != "u9" || st.Waiting[0].Rule != "right" || !st.Waiting[0].Priority {
		t.Fatalf("waiting %+v, want u9's 右 first, ahead on the credit spent", st.Waiting)
	}
	if p, _ := h.credits("9"); p != 0 {
		t.Fatalf("u9 holds %d priority credits, want 0: the one spent moved to the 右", p)
	}
}

// TestBelowMinLevelGiftWithholdsExclusive: a sender below
// moderation.min_level could not command in a 包场 of their own, and it
// would hold everyone else off: it is withheld, given back to the day's
// caps and told; the gift's pattern runs all the same. Moderators pass
// the level check here as they do for commands.
func TestBelowMinLevelGiftWithholdsExclusive(t *testing.T) {
	h := newHarness(t, strings.NewReplacer("min_level: 0", "min_level: 5",
		"per_sender: {priority: 6}", "per_sender: {priority: 6}\n  per_day: {exclusive: 1m}").Replace(roomYAML))
	high := func(u *danmu.User) { u.Level = 20 }
	n := len(h.decisions)
	h.n++
	d := h.eng.Handle(h.now, danmu.Event{Platform: "test", Kind: danmu.KindSuperChat, ID: "low", Time: h.now,
		User: danmu.User{ID: "9", Name: "u9", Role: danmu.RoleViewer, Level: 3}, // a super chat says the level
		Gift: danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: 10000}})
	want(t, d, Accepted, ReasonGift)
	if d.Grant.Exclusive != 0 || d.Grant.Pattern != "circle" {
		t.Fatalf("grant %+v, want the circle and no 包场", d.Grant)
	}
	var ex []Decision
	for _, x := range h.decisions[n:] {
		if x.Rule == "exclusive" {
			ex = append(ex, x)
		}
	}
	if len(ex) != 1 || ex[0].Outcome != Dropped || ex[0].Reason != ReasonLevel || ex[0].EventID != d.EventID {
		t.Fatalf("withheld 包场 told %+v, want one level drop", ex)
	}
	want(t, h.lastOf("circle"), Accepted, ReasonPriority)
	if st := h.eng.Status(h.now); st.Exclusive != nil {
		t.Fatalf("a sender below min_level holds 包场: %+v", st.Exclusive)
	}
	want(t, h.say("2", "左", high), Accepted, ReasonQueued)

	// The day's 包场 cap was given back: the next buyer gets the minute.
	h.n++
	d = h.eng.Handle(h.now, danmu.Event{Platform: "test", Kind: danmu.KindSuperChat, ID: "high", Time: h.now,
		User: danmu.User{ID: "7", Name: "u7", Role: danmu.RoleModerator}, // a moderator at level 0
		Gift: danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: 10000}})
	want(t, d, Accepted, ReasonGift)
	if d.Grant.Exclusive != time.Minute {
		t.Fatalf("grant %+v, want the day's minute of 包场", d.Grant)
	}
}
