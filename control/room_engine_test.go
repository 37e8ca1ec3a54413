package control

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/room"
	"github.com/cattease/cattease/danmu"
)

const roomYAML = `
hardware:
  driver: mock
  axes:
    pan: {min: -45°, max: 45°, home: 0°, speed: 180°/s}
  switches:
    laser: {laser: false, max_on: 60s, cooldown: 10s}
play:
  policy: queue
  queue_size: 4
  pace: 100ms
  vote: {window: 5s, max_voters: 50}
  meter: {enter: 75%, leave: 50%, window: 60s, min_votes: 4, cooldown: 30s, max_voters: 100}
  combo: {separator: "+", max_parts: 3, max_steps: 6}
limits:
  global: {every: 10ms, burst: 50}
  user_cooldown: 2s
moderation:
  timeout: 10m
  exclusive: 2m
  block_users: ["666", 捣乱的]
  block_words: [傻猫]
  min_level: 0
gifts:
  tiers:
    - {min: 1元, priority: 2}
    - {min: 30元, priority: 5, extra: 3}
    - {min: 100元, exclusive: 1m, pattern: circle}
  free: {extra: 1}
  per_sender: {priority: 6}
  max_senders: 100
commands:
  - {name: left, aliases: [左], do: {move: pan, by: -5°}}
  - {name: right, aliases: [右], do: {move: pan, by: 5°}}
  - {name: circle, aliases: [画圈], do: {sequence: circle}, max_repeat: 1}
  - {name: mute, aliases: [禁言], do: {moderate: timeout}, allow: moderator}
  - {name: unmute, aliases: [解禁], do: {moderate: untimeout}, allow: moderator}
  - {name: own, aliases: [包场], do: {moderate: exclusive}, allow: moderator}
  - {name: unown, aliases: [收场], do: {moderate: end_exclusive}, allow: moderator}
  - {name: pause, aliases: [暂停], do: {moderate: pause}, allow: moderator}
  - {name: unpause, aliases: [恢复], do: {moderate: unpause}, allow: moderator}
  - {name: mode, aliases: [模式], do: {moderate: policy}, allow: moderator}
  - {name: democracy, aliases: [投票], do: {policy_vote: vote}}
  - {name: anarchy, aliases: [自由], do: {policy_vote: free}}
sequences:
  circle:
    - {move: pan, to: 10°}
    - {move: pan, to: 0°}
`

func (h *harness) gift(user string, cents int64) Decision {
	h.n++
	return h.eng.Handle(h.now, danmu.Event{Platform: "test", Kind: danmu.KindSuperChat, ID: fmt.Sprint(h.n),
		Time: h.now, User: danmu.User{ID: user, Name: "u" + user, Role: danmu.RoleViewer},
		Gift: danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: cents}})
}

func want(t *testing.T, d Decision, o Outcome, r actuators.Reason) {
	t.Helper()
	if d.Outcome != o || d.Reason != r {
		t.Fatalf("%q from %s: %s/%s, want %s/%s", d.Text, d.UserName, d.Outcome, d.Reason, o, r)
	}
}

func TestTimeoutDropsUntilItEnds(t *testing.T) {
	h := newHarness(t, roomYAML)
	h.say("7", "hello", nil) // seen: the directory knows u7's uid
	// The Chinese unit, as moderators type it.
	d := h.say("1", "禁言 u7 3分钟", mod)
	want(t, d, Accepted, ReasonModeration)
	if d.Target != "u7" || d.Until.Sub(h.now) != 3*time.Minute {
		t.Fatalf("target %q until %v", d.Target, d.Until.Sub(h.now))
	}
	d = h.say("7", "左", nil)
	want(t, d, Dropped, ReasonTimeout)
	if d.RetryAfter != 3*time.Minute {
		t.Fatalf("retry after %v", d.RetryAfter)
	}
	h.run(3*time.Minute - time.Second)
	want(t, h.say("7", "左", nil), Dropped, ReasonTimeout)
	h.run(time.Second)
	want(t, h.say("7", "左", nil), Accepted, ReasonQueued)
	// A viewer renamed keeps their mute: it follows the uid.
	want(t, h.say("1", "禁言 7", mod), Accepted, ReasonModeration)
	h.run(3 * time.Second)
	want(t, h.say("7", "右", func(u *danmu.User) { u.Name = "新名字" }), Dropped, ReasonTimeout)
	want(t, h.say("1", "解禁 7", mod), Accepted, ReasonModeration)
	want(t, h.say("7", "右", nil), Accepted, ReasonQueued)
	want(t, h.say("1", "解禁 7", mod), Dropped, ReasonNoTarget)
}

func TestModerationNeedsAPlatformRole(t *testing.T) {
	h := newHarness(t, roomYAML)
	want(t, h.say("2", "禁言 u3", nil), Dropped, ReasonPermission)
	// Text cannot make a moderator: "@mod" in a name is just a name.
	want(t, h.say("2", "禁言 u3", func(u *danmu.User) { u.Name = "房管" }), Dropped, ReasonPermission)
	// A masked guest cannot be singled out.
	want(t, h.say("1", "禁言 江***", mod), Dropped, ReasonMaskedTarget)
	h.say("0", "左", func(u *danmu.User) { u.ID, u.Name, u.Masked = "0", "访客", true })
	want(t, h.say("1", "禁言 访客", mod), Dropped, ReasonMaskedTarget)
	// A moderator cannot mute another moderator; the owner can.
	h.say("5", "左", mod)
	want(t, h.say("1", "禁言 u5", mod), Dropped, ReasonPermission)
	want(t, h.say("9", "禁言 u5", func(u *danmu.User) { u.Role = danmu.RoleOwner }), Accepted, ReasonModeration)
}

func TestExclusiveHoldsOthersOff(t *testing.T) {
	h := newHarness(t, roomYAML)
	h.say("3", "hi", nil)
	d := h.say("1", "包场 u3", mod)
	want(t, d, Accepted, ReasonModeration)
	if d.Until.Sub(h.now) != 2*time.Minute {
		t.Fatalf("包场 for %v, want the default 2m", d.Until.Sub(h.now))
	}
	want(t, h.say("4", "左", nil), Dropped, ReasonExclusive)
	want(t, h.say("3", "左", nil), Accepted, ReasonQueued)
	want(t, h.say("1", "左", mod), Accepted, ReasonQueued) // moderators may
	if st := h.eng.Status(h.now); st.Exclusive == nil || st.Exclusive.UserName != "u3" {
		t.Fatalf("status exclusive %+v", st.Exclusive)
	}
	want(t, h.say("1", "收场", mod), Accepted, ReasonModeration)
	want(t, h.say("4", "左", nil), Accepted, ReasonQueued)
	want(t, h.say("1", "收场", mod), Dropped, ReasonNoTarget)
}

func TestBlocklistsAndPause(t *testing.T) {
	h := newHarness(t, roomYAML)
	want(t, h.say("666", "左", nil), Dropped, ReasonBlocked)
	want(t, h.say("8", "左", func(u *danmu.User) { u.Name = "捣乱的" }), Dropped, ReasonBlocked)
	want(t, h.say("9", "左 傻猫", nil), Dropped, ReasonBlockedWord)
	want(t, h.say("1", "暂停", mod), Accepted, ReasonModeration)
	want(t, h.say("10", "左", nil), Dropped, ReasonPaused)
	want(t, h.say("1", "恢复", mod), Accepted, ReasonModeration)
	want(t, h.say("10", "左", nil), Accepted, ReasonQueued)
}

// TestSuperChatSkipsTheQueue: a 30-yuan super chat's sender's next command
// runs before the commands already waiting.
func TestSuperChatSkipsTheQueue(t *testing.T) {
	h := newHarness(t, roomYAML)
	for _, u := range []string{"1", "2", "3"} {
		want(t, h.say(u, "左", nil), Accepted, ReasonQueued)
	}
	d := h.gift("9", 3000)
	want(t, d, Accepted, ReasonGift)
	if d.Grant == nil || d.Grant.Priority != 5 || d.Grant.Extra != 3 {
		t.Fatalf("grant %+v", d.Grant)
	}
	want(t, h.say("9", "右", nil), Accepted, ReasonPriority)
	st := h.eng.Status(h.now)
	if len(st.Waiting) < 2 || st.Waiting[0].UserName != "u9" || !st.Waiting[0].Priority {
		t.Fatalf("waiting %+v", st.Waiting)
	}
	// Past the user cooldown on an extra credit, and still ahead.
	d = h.say("9", "右", nil)
	want(t, d, Accepted, ReasonExtra)
	st = h.eng.Status(h.now)
	if st.Waiting[1].UserName != "u9" {
		t.Fatalf("second priority job at %+v", st.Waiting)
	}
	// A full queue makes room for a priority command, dropping the last.
	want(t, h.say("9", "右", nil), Accepted, ReasonExtra)
	if n := len(h.eng.Status(h.now).Waiting); n != 4 {
		t.Fatalf("queue %d, want the cap 4", n)
	}
}

func TestGiftCapsAndFreeGifts(t *testing.T) {
	h := newHarness(t, roomYAML)
	want(t, h.gift("9", 100), Accepted, ReasonGift)  // priority 2
	want(t, h.gift("9", 3000), Accepted, ReasonGift) // priority 5, cut to 4 by the cap of 6
	d := h.gift("9", 100)
	want(t, d, Dropped, ReasonGiftCapped) // the sender's daily priority cap is reached
	want(t, h.gift("8", 0), Accepted, ReasonGift)
	want(t, h.gift("8", 0), Dropped, ReasonGiftCapped) // one free gift a day
	d = h.gift("7", 50)                                // below every tier
	want(t, d, Ignored, ReasonNotChat)
	h.now = h.now.Add(24 * time.Hour)
	want(t, h.gift("8", 0), Accepted, ReasonGift) // a new day
}

func TestGiftBuysExclusiveAndPattern(t *testing.T) {
	h := newHarness(t, roomYAML)
	d := h.gift("9", 10000)
	want(t, d, Accepted, ReasonGift)
	if d.Grant.Exclusive != time.Minute || d.Grant.Pattern != "circle" {
		t.Fatalf("grant %+v", d.Grant)
	}
	last := h.decisions[len(h.decisions)-1]
	if last.Rule != "circle" || last.Reason != ReasonPriority {
		t.Fatalf("pattern decision %+v", last)
	}
	want(t, h.say("4", "左", nil), Dropped, ReasonExclusive)
	h.run(time.Minute)
	want(t, h.say("4", "左", nil), Accepted, ReasonQueued)
}

func TestVoteWindowRunsTheMostVoted(t *testing.T) {
	h := newHarness(t, strings.Replace(roomYAML, "policy: queue", "policy: vote", 1))
	for _, u := range []string{"1", "2", "3"} {
		want(t, h.say(u, "左2", nil), Accepted, ReasonVoted)
	}
	want(t, h.say("1", "右", nil), Dropped, ReasonVoteRepeat)
	for _, u := range []string{"4", "5"} {
		want(t, h.say(u, "右", nil), Accepted, ReasonVoted)
	}
	want(t, h.say("6", "左", nil), Accepted, ReasonVoted) // 左 and 左2 are different options
	st := h.eng.Status(h.now)
	if st.Vote == nil || st.Vote.Voters != 6 || st.Vote.Tally[0].Rule != "left" || st.Vote.Tally[0].Votes != 3 ||
		st.Vote.EndsIn != 5*time.Second {
		t.Fatalf("vote status %+v", st.Vote)
	}
	h.run(6 * time.Second) // the window, then the move
	var won *Decision
	for i := range h.decisions {
		if h.decisions[i].Reason == ReasonVoteWon {
			won = &h.decisions[i]
		}
	}
	if won == nil || won.Rule != "left" || won.Repeat != 2 || won.Text != "3/6" {
		t.Fatalf("winner %+v", won)
	}
	if p := h.env.Snapshot().Axes[0].Pos; p > -9.9 {
		t.Fatalf("pan at %v, want -10 after the winning 左2", p)
	}
	// A tie keeps the status quo.
	h.say("1", "左", nil)
	h.say("2", "右", nil)
	h.run(5 * time.Second)
	if last := h.decisions[len(h.decisions)-1]; last.Reason != ReasonVoteTie {
		t.Fatalf("last %+v, want a tie", last)
	}
}

func TestPolicySwitchByVote(t *testing.T) {
	h := newHarness(t, roomYAML)
	for _, u := range []string{"1", "2", "3"} {
		want(t, h.say(u, "投票", nil), Accepted, ReasonPolicyVote)
	}
	if h.eng.Status(h.now).Policy != PolicyQueue {
		t.Fatal("switched below min_votes")
	}
	h.say("4", "自由", nil) // 3 of 4 = 75 %
	st := h.eng.Status(h.now)
	if st.Policy != PolicyVote || st.Meter == nil || st.Meter.Share != 0.75 {
		t.Fatalf("policy %s meter %+v", st.Policy, st.Meter)
	}
	// Leaving takes 50 % and waits out the cooldown.
	h.say("1", "自由", nil) // 2 of 4
	if h.eng.Status(h.now).Policy != PolicyVote {
		t.Fatal("switched back within the cooldown")
	}
	h.run(30 * time.Second)
	h.say("5", "自由", nil) // 2 of 5 = 40 %
	if p := h.eng.Status(h.now).Policy; p != PolicyQueue {
		t.Fatalf("policy %s, want queue again", p)
	}
	// A moderator forces it, and the meter then only counts.
	want(t, h.say("9", "模式 投票", mod), Accepted, ReasonPolicy)
	h.run(31 * time.Second)
	for _, u := range []string{"1", "2", "3", "4", "5"} {
		h.say(u, "自由", nil)
	}
	if p := h.eng.Status(h.now).Policy; p != PolicyVote {
		t.Fatalf("policy %s: the meter overrode a moderator", p)
	}
}

func TestFairPolicyOneWaitingPerViewer(t *testing.T) {
	h := newHarness(t, strings.Replace(roomYAML, "policy: queue", "policy: fair", 1))
	h.eng.mu.Lock()
	h.eng.exec.pace = time.Hour // hold the queue still
	h.eng.exec.released = h.now
	h.eng.mu.Unlock()
	want(t, h.say("1", "左", nil), Accepted, ReasonQueued)
	want(t, h.say("2", "左", nil), Accepted, ReasonQueued)
	h.run(3 * time.Second)
	want(t, h.say("1", "右", nil), Accepted, ReasonQueued) // replaces u1's 左, keeps its place
	var superseded int
	for _, d := range h.decisions {
		if d.Reason == ReasonSuperseded {
			superseded++
		}
	}
	st := h.eng.Status(h.now)
	if superseded != 1 || len(st.Waiting) != 2 || st.Waiting[0].UserName != "u1" || st.Waiting[0].Rule != "right" ||
		st.Waiting[1].ETA <= st.Waiting[0].ETA {
		t.Fatalf("superseded %d, waiting %+v", superseded, st.Waiting)
	}
}

func TestComboIsOneDecision(t *testing.T) {
	h := newHarness(t, roomYAML)
	d := h.say("1", "左3+右2", nil)
	want(t, d, Accepted, ReasonQueued)
	if d.Combo != "left×3+right×2" || d.Repeat != 5 || d.Rule != "left+right" {
		t.Fatalf("combo %+v", d)
	}
	h.run(3 * time.Second)
	if p := h.env.Snapshot().Axes[0].Pos; p < -5.1 || p > -4.9 {
		t.Fatalf("pan at %v, want -5 after 左3+右2", p)
	}
	want(t, h.say("2", "左+右+左+右", nil), Dropped, ReasonCombo) // 4 parts > 3
	want(t, h.say("3", "左5+右2", nil), Dropped, ReasonCombo)   // 7 steps > 6
	want(t, h.say("4", "左+暂停", mod), Dropped, ReasonCombo)    // not a playable part
	// Not every part is a command: the message is matched as it always was.
	if d := h.say("5", "左+你好", nil); d.Combo != "" || d.Rule != "left" {
		t.Fatalf("%+v", d)
	}
}

// TestRoomStateIsBounded: 100,000 distinct voters and gift senders leave
// every table at its configured cap.
func TestRoomStateIsBounded(t *testing.T) {
	h := newHarness(t, strings.Replace(roomYAML, "policy: queue", "policy: vote", 1))
	full := 0
	for i := range 100_000 {
		u := fmt.Sprint(1000 + i)
		h.gift(u, 100)
		h.say(u, "投票", nil)
		if h.say(u, "左", nil).Reason == ReasonVoteFull {
			full++
		}
		if i%1000 == 999 {
			h.run(5 * time.Second)
		}
	}
	rs := &h.eng.room
	if rs.gifts.Senders() > 100 || rs.meter.Len() > 100 || rs.dir.Len() > directorySize || len(rs.options) > 50 {
		t.Fatalf("senders %d, meter %d, directory %d, options %d", rs.gifts.Senders(), rs.meter.Len(), rs.dir.Len(), len(rs.options))
	}
	if full == 0 || rs.gifts.Evicted() == 0 {
		t.Fatalf("no window filled up (%d) or no sender evicted (%d)", full, rs.gifts.Evicted())
	}
}

// FuzzRoomCommands: whatever a viewer or a moderator types — combos,
// moderation arguments, policy words — the engine decides without
// panicking, gives a reason, and keeps its tables within their caps.
func FuzzRoomCommands(f *testing.F) {
	for _, s := range []string{"左3+右2", "禁言 u1 10m", "禁言 江*** 1h", "包场 @u2 -5s", "模式 投票", "模式 ???",
		"左++右", "+++", "左3+", "解禁 " + strings.Repeat("长", 100), "投票", "禁言 u1 999999h", "左+暂停"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, text string, moderator bool) {
		h := newHarness(t, roomYAML)
		var m func(*danmu.User)
		if moderator {
			m = mod
		}
		for i := range 3 {
			d := h.say(fmt.Sprint(i%2), text, m)
			if d.Reason == "" || d.Outcome == "" {
				t.Fatalf("%q: no decision: %+v", text, d)
			}
			if d.Until.Sub(h.now) > 24*time.Hour {
				t.Fatalf("%q: until %v, past every cap", text, d.Until)
			}
		}
		h.run(100 * time.Millisecond)
		if h.eng.room.mutes.Len(h.now) > 1000 {
			t.Fatal("mutes past the cap")
		}
	})
}

// TestReloadKeepsTheRoom: a reload keeps mutes and credits, takes the new
// blocklist, and returns to the file's policy.
func TestReloadKeepsTheRoom(t *testing.T) {
	h := newHarness(t, roomYAML)
	h.say("7", "左", nil)
	h.run(3 * time.Second)
	want(t, h.say("1", "禁言 u7", mod), Accepted, ReasonModeration)
	want(t, h.say("1", "模式 投票", mod), Accepted, ReasonPolicy)
	f, err := config.Parse("test.yaml", []byte(strings.Replace(roomYAML, "block_words: [傻猫]", "block_words: [笨猫]", 1)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.eng.Reload(h.now, r); err != nil {
		t.Fatal(err)
	}
	if p := h.eng.Status(h.now).Policy; p != PolicyQueue {
		t.Fatalf("policy %s after reload, want the file's queue", p)
	}
	want(t, h.say("7", "右", nil), Dropped, ReasonTimeout)
	want(t, h.say("8", "左 笨猫", nil), Dropped, ReasonBlockedWord)
	want(t, h.say("9", "左 傻猫", nil), Accepted, ReasonQueued)
}

// TestLeavingVoteTellsTheVoters: a window abandoned by a policy change is
// recorded, not lost.
func TestLeavingVoteTellsTheVoters(t *testing.T) {
	h := newHarness(t, strings.Replace(roomYAML, "policy: queue", "policy: vote", 1))
	h.say("1", "左", nil)
	h.say("2", "右", nil)
	want(t, h.say("9", "模式 排队", mod), Accepted, ReasonPolicy)
	found := false
	for _, d := range h.decisions {
		found = found || (d.Platform == "vote" && d.Outcome == Dropped && d.Reason == ReasonPolicy && d.Text == "0/2")
	}
	if !found {
		t.Fatalf("no decision for the abandoned window: %+v", h.decisions)
	}
	h.run(6 * time.Second)
	for _, d := range h.decisions {
		if d.Reason == ReasonVoteWon {
			t.Fatal("an abandoned window still ran")
		}
	}
}

// TestComboLooksOnlyAtTheFirstWord: a separator after the first word, or
// a first word past the cap, is not a combo.
func TestComboLooksOnlyAtTheFirstWord(t *testing.T) {
	h := newHarness(t, roomYAML)
	if d := h.say("1", "左 +右", nil); d.Combo != "" || d.Rule != "left" {
		t.Fatalf("%+v", d)
	}
	long := "左+" + strings.Repeat("右", MaxComboText)
	if d := h.say("2", long, nil); d.Combo != "" || d.Reason == ReasonCombo {
		t.Fatalf("a first word past the cap was taken as a combo: %s/%s", d.Outcome, d.Reason)
	}
}

// TestGiftPatternWhilePaused: a gift's pattern does not run while chat
// control is paused; the gift itself is still credited.
func TestGiftPatternWhilePaused(t *testing.T) {
	h := newHarness(t, roomYAML)
	want(t, h.say("1", "暂停", mod), Accepted, ReasonModeration)
	d := h.gift("9", 10000)
	want(t, d, Accepted, ReasonGift)
	if d.Grant == nil || d.Grant.Pattern != "circle" {
		t.Fatalf("grant %+v", d.Grant)
	}
	last := h.decisions[len(h.decisions)-1]
	if last.Rule != "circle" {
		t.Fatalf("no pattern decision: %+v", last)
	}
	want(t, last, Dropped, ReasonPaused)
	if n := h.eng.Status(h.now).QueueLen; n != 0 {
		t.Fatalf("queue %d while paused", n)
	}
}

// TestGiftsPassTheRoomGate: a blocked sender's gift buys nothing; a muted
// viewer's keeps its credits but takes no 包场 and runs no pattern, and
// those are given back to the caps.
func TestGiftsPassTheRoomGate(t *testing.T) {
	h := newHarness(t, strings.Replace(roomYAML, "per_sender: {priority: 6}",
		"per_sender: {priority: 6, exclusive: 1m, patterns: 1}", 1))
	d := h.gift("666", 10000)
	want(t, d, Dropped, ReasonBlocked)
	if d.Grant != nil || h.eng.Status(h.now).Exclusive != nil || h.eng.Status(h.now).QueueLen != 0 {
		t.Fatalf("a blocked sender bought %+v", d.Grant)
	}
	if p, x := h.eng.room.gifts.Credits(h.now, room.VoterOf("test", danmu.User{ID: "666"})); p != 0 || x != 0 {
		t.Fatalf("a blocked sender holds credits %d/%d", p, x)
	}
	want(t, h.gift("666", 3000), Dropped, ReasonBlocked)

	h.say("7", "hello", nil)
	want(t, h.say("1", "禁言 u7 5m", mod), Accepted, ReasonModeration)
	n := len(h.decisions)
	d = h.gift("7", 10000) // 包场 and a pattern only
	want(t, d, Dropped, ReasonTimeout)
	if d.Until.Sub(h.now) != 5*time.Minute {
		t.Fatalf("until %v", d.Until.Sub(h.now))
	}
	for _, d := range h.decisions[n:] {
		if d.Rule == "circle" && d.Outcome == Accepted {
			t.Fatalf("a muted viewer's pattern ran: %+v", d)
		}
	}
	if st := h.eng.Status(h.now); st.Exclusive != nil || st.QueueLen != 0 {
		t.Fatalf("a muted viewer took 包场 %+v or queued %d", st.Exclusive, st.QueueLen)
	}
	d = h.gift("7", 3000) // credits: kept for after the mute
	want(t, d, Accepted, ReasonGift)
	if d.Grant.Priority != 5 {
		t.Fatalf("grant %+v", d.Grant)
	}
	want(t, h.say("7", "左", nil), Dropped, ReasonTimeout)

	// Unmuted, the caps the withheld 包场 and pattern had counted are free.
	want(t, h.say("1", "解禁 u7", mod), Accepted, ReasonModeration)
	d = h.gift("7", 10000)
	want(t, d, Accepted, ReasonGift)
	if d.Grant.Exclusive != time.Minute || d.Grant.Pattern != "circle" {
		t.Fatalf("grant %+v after the mute", d.Grant)
	}
	if last := h.decisions[len(h.decisions)-1]; last.Rule != "circle" || last.Reason != ReasonPriority {
		t.Fatalf("pattern decision %+v", last)
	}
}

// TestPriorityNeverPassesTheCap: with every waiting command a priority
// one, a further priority command is dropped as queue_full, its credit
// kept, and the queue stays at queue_size.
func TestPriorityNeverPassesTheCap(t *testing.T) {
	h := newHarness(t, roomYAML)
	h.eng.mu.Lock()
	h.eng.exec.pace = time.Hour // hold the queue still
	h.eng.exec.released = h.now
	h.eng.mu.Unlock()
	for _, u := range []string{"1", "2", "3", "4", "5"} {
		want(t, h.gift(u, 3000), Accepted, ReasonGift)
	}
	for _, u := range []string{"1", "2", "3", "4"} {
		want(t, h.say(u, "左", nil), Accepted, ReasonPriority)
	}
	want(t, h.say("5", "左", nil), Dropped, ReasonQueueFull)
	if n := h.eng.Status(h.now).QueueLen; n != 4 {
		t.Fatalf("queue %d, want the cap 4", n)
	}
	if p, _ := h.eng.room.gifts.Credits(h.now, room.VoterOf("test", danmu.User{ID: "5", Name: "u5"})); p != 5 {
		t.Fatalf("u5 has %d priority credits, want the 5 bought", p)
	}
	// The executor itself never passes the cap.
	h.eng.mu.Lock()
	h.eng.exec.push(job{priority: true})
	h.eng.exec.push(job{})
	n := len(h.eng.exec.queue)
	h.eng.mu.Unlock()
	if n != 4 {
		t.Fatalf("push made the queue %d", n)
	}
}

// TestFairGiftPatternSupersedes: under fair, a gift's pattern replaces
// the sender's waiting command, and that command is told; the pattern
// runs ahead of the queue, as a pattern does, not in the command's place.
func TestFairGiftPatternSupersedes(t *testing.T) {
	h := newHarness(t, strings.Replace(roomYAML, "policy: queue", "policy: fair", 1))
	h.eng.mu.Lock()
	h.eng.exec.pace = time.Hour // hold the queue still
	h.eng.exec.released = h.now
	h.eng.mu.Unlock()
	want(t, h.say("2", "右", nil), Accepted, ReasonQueued)
	left := h.say("9", "左", nil)
	want(t, left, Accepted, ReasonQueued)
	want(t, h.gift("9", 10000), Accepted, ReasonGift)
	var superseded []Decision
	for _, d := range h.decisions {
		if d.Reason == ReasonSuperseded {
			superseded = append(superseded, d)
		}
	}
	if len(superseded) != 1 || superseded[0].EventID != left.EventID || superseded[0].Outcome != Dropped {
		t.Fatalf("superseded %+v, want u9's 左", superseded)
	}
	st := h.eng.Status(h.now)
	if len(st.Waiting) != 2 || st.Waiting[0].Rule != "circle" || st.Waiting[0].UserName != "u9" {
		t.Fatalf("waiting %+v", st.Waiting)
	}
}

// TestBlockedModeratorCommandsNothing: the blocklist holds before
// moderation and the immediate commands; the owner is never blocked.
func TestBlockedModeratorCommandsNothing(t *testing.T) {
	yaml := strings.Replace(roomYAML, "commands:\n", "commands:\n"+
		"  - {name: stop, aliases: [停], do: {stop: true}, allow: moderator}\n"+
		"  - {name: resume, aliases: [继续], do: {resume: true}, allow: moderator}\n", 1)
	h := newHarness(t, yaml)
	h.say("7", "hello", nil)
	want(t, h.say("666", "暂停", mod), Dropped, ReasonBlocked)
	want(t, h.say("666", "禁言 u7", mod), Dropped, ReasonBlocked)
	want(t, h.say("666", "停", mod), Dropped, ReasonBlocked)
	if st := h.eng.Status(h.now); st.Paused || st.Stopped || st.Timeouts != 0 {
		t.Fatalf("a blocked moderator paused %v, stopped %v, muted %d", st.Paused, st.Stopped, st.Timeouts)
	}
	want(t, h.say("7", "左", nil), Accepted, ReasonQueued)
	owner := func(u *danmu.User) { u.Role = danmu.RoleOwner }
	want(t, h.say("666", "暂停", owner), Accepted, ReasonModeration)
	want(t, h.say("666", "恢复", owner), Accepted, ReasonModeration)
	want(t, h.say("666", "停", owner), Accepted, ReasonImmediate)
	want(t, h.say("666", "继续", owner), Accepted, ReasonImmediate)
}

// TestChatLaserForbidIsNotThePanels: 开激光 undoes only 关激光; a laser the
// panel disabled stays disabled, whichever came first.
func TestChatLaserForbidIsNotThePanels(t *testing.T) {
	yaml := strings.Replace(roomYAML, "commands:\n", "commands:\n"+
		"  - {name: laseroff, aliases: [关激光], do: {moderate: laser_forbid}, allow: moderator}\n"+
		"  - {name: laseron, aliases: [开激光], do: {moderate: laser_allow}, allow: moderator}\n", 1)
	h := newHarness(t, yaml)
	h.eng.mu.Lock()
	h.eng.rules.room.lasers = []string{"laser"} // a laser proper needs a tilt axis and a ceiling
	h.eng.mu.Unlock()
	disabled := func() bool {
		for _, s := range h.env.Snapshot().Switches {
			if s.Name == "laser" {
				return s.Disabled
			}
		}
		t.Fatal("no laser")
		return false
	}
	// Chat forbids, chat allows.
	want(t, h.say("1", "关激光", mod), Accepted, ReasonModeration)
	if !disabled() {
		t.Fatal("关激光 left the laser enabled")
	}
	want(t, h.say("1", "开激光", mod), Accepted, ReasonModeration)
	if disabled() {
		t.Fatal("开激光 left chat's forbid")
	}
	// The panel disables: a moderator cannot undo it.
	h.eng.SetLaser("laser", false)
	want(t, h.say("1", "开激光", mod), Dropped, ReasonPermission)
	if !disabled() {
		t.Fatal("a moderator undid the panel's disable")
	}
	// Nor by forbidding first and allowing after.
	want(t, h.say("1", "关激光", mod), Accepted, ReasonModeration)
	want(t, h.say("1", "开激光", mod), Dropped, ReasonPermission)
	if !disabled() {
		t.Fatal("关激光 then 开激光 undid the panel's disable")
	}
	// The panel enables again: chat's switch works again.
	h.eng.SetLaser("laser", true)
	want(t, h.say("1", "关激光", mod), Accepted, ReasonModeration)
	want(t, h.say("1", "开激光", mod), Accepted, ReasonModeration)
	if disabled() {
		t.Fatal("开激光 after the panel's enable")
	}
	// Chat forbids, then the streamer switches the laser off too: the
	// streamer's choice holds.
	want(t, h.say("1", "关激光", mod), Accepted, ReasonModeration)
	h.eng.SetLaser("laser", false)
	want(t, h.say("1", "开激光", mod), Dropped, ReasonPermission)
	if !disabled() {
		t.Fatal("开激光 lifted the streamer's switch-off of a laser chat had forbidden")
	}
}

// TestInjectRunsOnlyWhatPlays: the panel runs playable commands and
// stop/resume; a moderation or a policy vote is refused, queues nothing,
// and is not offered.
func TestInjectRunsOnlyWhatPlays(t *testing.T) {
	h := newHarness(t, roomYAML)
	for _, rule := range []string{"mute", "pause", "mode", "democracy", "anarchy"} {
		if d, err := h.eng.Inject(h.now, rule); err == nil {
			t.Fatalf("Inject(%s): %s/%s, want an error", rule, d.Outcome, d.Reason)
		}
	}
	if st := h.eng.Status(h.now); st.QueueLen != 0 || st.Paused {
		t.Fatalf("queue %d, paused %v after refused injections", st.QueueLen, st.Paused)
	}
	d, err := h.eng.Inject(h.now, "circle")
	if err != nil {
		t.Fatal(err)
	}
	want(t, d, Accepted, ReasonQueued)
	if got := strings.Join(h.eng.Commands(), ","); got != "left,right,circle" {
		t.Fatalf("commands %s", got)
	}
}
