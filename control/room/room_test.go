package room

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

var t0 = time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC)

func viewer(id string) danmu.User { return danmu.User{ID: id, Name: "v" + id, Role: danmu.RoleViewer} }

func TestMutesByUIDAndName(t *testing.T) {
	m := NewMutes(2)
	m.Mute(t0, Target{Platform: "b", UID: "1", Name: "v1"}, t0.Add(time.Minute))
	m.Mute(t0, Target{Platform: "b", Name: "v2"}, t0.Add(2*time.Minute)) // not seen yet: by name
	if _, ok := m.Muted(t0, "b", viewer("1")); !ok {
		t.Fatal("uid mute missed")
	}
	if _, ok := m.Muted(t0, "d", viewer("1")); ok {
		t.Fatal("a mute on one platform held on another")
	}
	if until, ok := m.Muted(t0, "b", viewer("2")); !ok || !until.Equal(t0.Add(2*time.Minute)) {
		t.Fatal("name mute missed")
	}
	if _, ok := m.Muted(t0.Add(time.Minute), "b", viewer("1")); ok {
		t.Fatal("mute outlived its time")
	}
	// Full: a third mute replaces the one ending soonest.
	m.Mute(t0, Target{Platform: "b", UID: "1"}, t0.Add(time.Minute))
	m.Mute(t0, Target{Platform: "b", UID: "3"}, t0.Add(time.Hour))
	if m.Len(t0) != 2 {
		t.Fatalf("len %d, want the cap 2", m.Len(t0))
	}
	if _, ok := m.Muted(t0, "b", viewer("1")); ok {
		t.Fatal("the soonest-ending mute should have made room")
	}
	if !m.Unmute(Target{Platform: "b", Name: "v2"}) || m.Unmute(Target{Platform: "b", Name: "v2"}) {
		t.Fatal("unmute by name")
	}
	masked := danmu.User{ID: "0", Name: "v3", Masked: true}
	if _, ok := m.Muted(t0, "b", masked); ok {
		t.Fatal("a masked guest matched a mute")
	}
}

func TestResolve(t *testing.T) {
	d := NewDirectory(2)
	d.Seen("b", viewer("7"))
	d.Seen("b", danmu.User{ID: "0", Name: "江***", Masked: true})
	for _, c := range []struct {
		in   string
		want Target
		err  error
	}{
		{"v7", Target{"b", "7", "v7"}, nil},
		{"@v7", Target{"b", "7", "v7"}, nil},
		{"12345", Target{"b", "12345", ""}, nil},
		{"unseen", Target{"b", "", "unseen"}, nil},
		{"江***", Target{}, ErrMasked},
		{"0", Target{}, ErrMasked},
		{" ", Target{}, ErrEmpty},
	} {
		got, err := d.Resolve("b", c.in)
		if got != c.want || err != c.err {
			t.Errorf("%q: %+v %v, want %+v %v", c.in, got, err, c.want, c.err)
		}
	}
	for i := range 10 {
		d.Seen("b", viewer(fmt.Sprint(100+i)))
	}
	if d.Len() != 2 {
		t.Fatalf("directory %d, want its cap 2", d.Len())
	}
}

func TestExclusiveQueueOfBoughtSpells(t *testing.T) {
	var e Exclusive
	a, b := Target{Platform: "b", UID: "1"}, Target{Platform: "b", UID: "2"}
	if s, ok := e.Buy(t0, a, time.Minute); !ok || !s.Equal(t0) {
		t.Fatal("first spell should start at once")
	}
	if s, ok := e.Buy(t0, b, time.Minute); !ok || !s.Equal(t0.Add(time.Minute)) {
		t.Fatalf("second spell starts at %v", s)
	}
	// A moderator's 包场 interrupts; the gift's time left waits first in line.
	m := Target{Platform: "b", UID: "9"}
	e.Start(t0.Add(20*time.Second), m, 30*time.Second, "moderator")
	if c := e.Current(t0.Add(30 * time.Second)); c.UID != "9" {
		t.Fatalf("current %+v", c)
	}
	if c := e.Current(t0.Add(50 * time.Second)); c == nil || c.UID != "1" || !c.Until.Equal(t0.Add(90*time.Second)) {
		t.Fatalf("resumed spell %+v, want a's 40 s left until +90s", c)
	}
	if !e.Admits(t0.Add(60*time.Second), "b", danmu.User{ID: "1"}) || e.Admits(t0.Add(60*time.Second), "b", danmu.User{ID: "2"}) {
		t.Fatal("admits")
	}
	if c := e.Current(t0.Add(100 * time.Second)); c == nil || c.UID != "2" {
		t.Fatalf("b's spell %+v", c)
	}
	if !e.End(t0.Add(101*time.Second)) || e.Current(t0.Add(101*time.Second)) != nil || e.End(t0.Add(102*time.Second)) {
		t.Fatal("收场")
	}
	for i := range MaxPending + 1 {
		e.Buy(t0.Add(time.Hour), Target{Platform: "b", UID: fmt.Sprint(i)}, time.Minute)
	}
	if _, ok := e.Buy(t0.Add(time.Hour), a, time.Minute); ok || e.Pending() != MaxPending {
		t.Fatalf("pending %d, want the cap %d", e.Pending(), MaxPending)
	}
}

func TestGiftsDayRollsAtLocalMidnight(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no tz data:", err)
	}
	g := NewGifts(GiftConfig{Tiers: []Tier{{MinCents: 100, Grant: Grant{Exclusive: time.Minute}}},
		PerDay: Caps{Exclusive: 2 * time.Minute}, CreditFor: time.Hour, MaxSenders: 10, Location: sh})
	v := Voter{"b", "1"}
	at := time.Date(2026, 11, 29, 15, 30, 0, 0, time.UTC) // 23:30 in Shanghai
	g.Buy(at, v, 100)
	g.Buy(at, v, 100)
	if _, out := g.Buy(at, v, 100); out != Capped {
		t.Fatal("room cap not applied")
	}
	if got, out := g.Buy(at.Add(31*time.Minute), v, 100); out != Bought || got.Exclusive != time.Minute {
		t.Fatal("a new day in Shanghai should reset the room's cap")
	}
}

func TestCreditsLapse(t *testing.T) {
	g := NewGifts(GiftConfig{Tiers: []Tier{{MinCents: 100, Grant: Grant{Priority: 2, Extra: 1}}}, CreditFor: time.Minute, MaxSenders: 10})
	v := Voter{"b", "1"}
	g.Buy(t0, v, 500)
	if !g.TakePriority(t0, v) || !g.TakeExtra(t0, v) || g.TakeExtra(t0, v) {
		t.Fatal("spending credits")
	}
	if g.TakePriority(t0.Add(time.Minute), v) {
		t.Fatal("a credit outlived credit_for")
	}
}

func TestMeterExpiresOldVotes(t *testing.T) {
	m := NewMeter(MeterConfig{Enter: 0.75, Leave: 0.5, Window: time.Minute, MinVotes: 2, Cooldown: 0, MaxVoters: 3})
	m.Vote(t0, Voter{"b", "1"}, true)
	m.Vote(t0.Add(30*time.Second), Voter{"b", "2"}, true)
	if to, ch := m.Decide(t0.Add(30*time.Second), false); !to || !ch {
		t.Fatal("2 of 2 for vote should switch")
	}
	m.Vote(t0.Add(40*time.Second), Voter{"b", "3"}, false)
	if s, n := m.Share(t0.Add(61 * time.Second)); n != 2 || s != 0.5 {
		t.Fatalf("share %v of %d after the first vote expired", s, n)
	}
	for i := range 10 {
		m.Vote(t0.Add(62*time.Second), Voter{"b", fmt.Sprint(10 + i)}, i%2 == 0)
	}
	if m.Len() != 3 {
		t.Fatalf("meter holds %d, want its cap 3", m.Len())
	}
	if s, n := m.Share(t0.Add(62 * time.Second)); n != 3 || s < 0.33 || s > 0.34 {
		t.Fatalf("share %v of %d", s, n) // the last three: 17 against, 18 for, 19 against
	}
}

func TestRefundExclusive(t *testing.T) {
	g := NewGifts(GiftConfig{Tiers: []Tier{{MinCents: 100, Grant: Grant{Exclusive: time.Minute}}},
		PerDay: Caps{Exclusive: time.Minute}, CreditFor: time.Hour, MaxSenders: 10})
	v := Voter{"b", "1"}
	if _, out := g.Buy(t0, v, 100); out != Bought {
		t.Fatal("first 包场")
	}
	if _, out := g.Buy(t0, v, 100); out != Capped {
		t.Fatal("the day's cap should be spent")
	}
	g.RefundExclusive(t0, v, time.Minute)
	if _, out := g.Buy(t0, v, 100); out != Bought {
		t.Fatal("a refunded 包场 should not count against the cap")
	}
}

// TestExclusiveInterruptKeepsEveryPaidSpell: a moderator's 包场 over a
// gift's spell with MaxPending bought spells waiting drops none of them,
// however often it happens.
func TestExclusiveInterruptKeepsEveryPaidSpell(t *testing.T) {
	var e Exclusive
	for i := range MaxPending + 1 { // one holds, MaxPending wait
		if _, ok := e.Buy(t0, Target{Platform: "b", UID: fmt.Sprint(i)}, time.Minute); !ok {
			t.Fatalf("spell %d not bought", i)
		}
	}
	m := Target{Platform: "b", UID: "mod"}
	now := t0.Add(10 * time.Second)
	e.Start(now, m, time.Second, "moderator")
	if e.Pending() != MaxPending+1 {
		t.Fatalf("pending %d, want %d: the interrupted spell waits too", e.Pending(), MaxPending+1)
	}
	if _, ok := e.Buy(now, Target{Platform: "b", UID: "late"}, time.Minute); ok {
		t.Fatal("a gift bought past the cap")
	}
	// Interrupt again while the resumed spell holds: still none lost.
	now = now.Add(2 * time.Second)
	e.Start(now, m, time.Second, "moderator")
	if e.Pending() > MaxPending+1 {
		t.Fatalf("pending %d past MaxPending+1", e.Pending())
	}
	seen := map[string]bool{}
	for range 100 {
		now = now.Add(time.Second)
		c := e.Current(now)
		if c == nil {
			break
		}
		if c.By == "gift" {
			seen[c.UID] = true
		}
		e.End(now)
	}
	for i := range MaxPending + 1 {
		if !seen[fmt.Sprint(i)] {
			t.Fatalf("paid spell %d never held 包场 (saw %v)", i, seen)
		}
	}
}

// Blocked words are found in the normal form of a message's first
// MaxWordText bytes, without allocating: a megabyte message costs what a
// kilobyte does.
func TestBlocklistWordIsBounded(t *testing.T) {
	b := NewBlocklist(nil, []string{"傻猫", "BadCat"})
	for _, s := range []string{"左 傻猫", "左 ｂａｄｃａｔ", "左 bad\u200bcat"} {
		if !b.Word(s) {
			t.Errorf("%q: blocked word not found", s)
		}
	}
	if b.Word("左 好猫") {
		t.Error("a clean message was blocked")
	}
	huge := "左 " + strings.Repeat("喵", 1<<20) + "傻猫"
	if b.Word(huge) {
		t.Error("looked past MaxWordText")
	}
	if n := testing.AllocsPerRun(100, func() { b.Word(huge) }); n != 0 {
		t.Errorf("%v allocations per message, want 0", n)
	}
}

// TestRefundCredits: a credit given back can be spent again, unless the
// sender's credits lapsed meanwhile.
func TestRefundCredits(t *testing.T) {
	g := NewGifts(GiftConfig{Tiers: []Tier{{MinCents: 100, Grant: Grant{Priority: 1, Extra: 1}}}, CreditFor: time.Minute, MaxSenders: 10})
	v := Voter{"b", "1"}
	g.Buy(t0, v, 100)
	if !g.TakePriority(t0, v) || !g.TakeExtra(t0, v) {
		t.Fatal("spending credits")
	}
	g.RefundPriority(t0, v)
	g.RefundExtra(t0, v)
	if p, x := g.Credits(t0, v); p != 1 || x != 1 {
		t.Fatalf("credits %d/%d after the refund, want 1/1", p, x)
	}
	g.TakePriority(t0, v)
	g.RefundPriority(t0.Add(time.Minute), v) // lapsed: nothing to give back into
	g.RefundExtra(t0, Voter{"b", "2"})       // never a sender: nothing happens
	if p, _ := g.Credits(t0, v); p != 0 {
		t.Fatalf("a refund after the lapse came back: %d", p)
	}
}

// TestExclusiveHoldStopsTheClock: while nobody can play, the spell in
// force keeps its time left, one bought meanwhile starts with its clock
// stopped, and those waiting start later by as long.
func TestExclusiveHoldStopsTheClock(t *testing.T) {
	var e Exclusive
	a, b, m := Target{Platform: "b", UID: "1"}, Target{Platform: "b", UID: "2"}, Target{Platform: "b", UID: "9"}
	e.Buy(t0, a, time.Minute)
	e.Hold(t0.Add(20*time.Second), true)
	if s, ok := e.Buy(t0.Add(time.Hour), b, time.Minute); !ok || !s.Equal(t0.Add(time.Hour+40*time.Second)) {
		t.Fatalf("b's spell would start %v, want after a's 40 s left", s)
	}
	if c := e.Current(t0.Add(2 * time.Hour)); c == nil || c.UID != "1" || !c.Until.Equal(t0.Add(2*time.Hour+40*time.Second)) {
		t.Fatalf("held spell %+v", c)
	}
	e.Hold(t0.Add(3*time.Hour), false)
	if c := e.Current(t0.Add(3*time.Hour + 39*time.Second)); c == nil || c.UID != "1" {
		t.Fatalf("a's spell %+v, want 40 s after the hold", c)
	}
	if c := e.Current(t0.Add(3*time.Hour + 41*time.Second)); c == nil || c.UID != "2" || !c.Until.Equal(t0.Add(3*time.Hour+100*time.Second)) {
		t.Fatalf("b's spell %+v", c)
	}
	// A moderator's 包场 during a hold: the gift's spell waits with its
	// time left, and the moderator's own clock is held too.
	now := t0.Add(3*time.Hour + 50*time.Second) // b has 50 s left
	e.Hold(now, true)
	e.Start(now.Add(time.Hour), m, 30*time.Second, "moderator")
	e.Hold(now.Add(2*time.Hour), false)
	if c := e.Current(now.Add(2*time.Hour + 29*time.Second)); c == nil || c.UID != "9" {
		t.Fatalf("moderator's spell %+v", c)
	}
	if c := e.Current(now.Add(2*time.Hour + 31*time.Second)); c == nil || c.UID != "2" || !c.Until.Equal(now.Add(2*time.Hour+80*time.Second)) {
		t.Fatalf("b's resumed spell %+v, want its 50 s", c)
	}
	// A spell that ended before the hold stays ended.
	var f Exclusive
	f.Buy(t0, a, time.Minute)
	f.Hold(t0.Add(2*time.Minute), true)
	if c := f.Current(t0.Add(3 * time.Minute)); c != nil {
		t.Fatalf("an ended spell came back: %+v", c)
	}
}

// TestCreditsClockHeld: while nobody can play the credits' clock stands
// still: credits bought before keep the time they had left, credits
// bought meanwhile lapse credit_for after play resumes, and neither can
// be given back into after that.
func TestCreditsClockHeld(t *testing.T) {
	g := NewGifts(GiftConfig{Tiers: []Tier{{MinCents: 100, Grant: Grant{Priority: 2}}}, CreditFor: time.Minute, MaxSenders: 10})
	early, late := Voter{"b", "1"}, Voter{"b", "2"}
	g.Buy(t0, early, 100)
	g.Hold(t0.Add(40*time.Second), true) // 20 s left
	g.Hold(t0.Add(41*time.Second), true) // a second hold changes nothing
	g.Buy(t0.Add(time.Hour), late, 100)
	if p, _ := g.Credits(t0.Add(2*time.Hour), early); p != 2 {
		t.Fatalf("held: early sender has %d credits, want 2", p)
	}
	resume := t0.Add(3 * time.Hour)
	g.Hold(resume, false)
	for _, c := range []struct {
		v    Voter
		at   time.Duration // after play resumes
		want int
	}{
		{early, 19 * time.Second, 2}, {early, 20 * time.Second, 0},
		{late, 59 * time.Second, 2}, {late, time.Minute, 0},
	} {
		if p, _ := g.Credits(resume.Add(c.at), c.v); p != c.want {
			t.Fatalf("%v %v after play resumed: %d credits, want %d", c.v, c.at, p, c.want)
		}
	}
	// A second hold adds to the first.
	g.Hold(resume.Add(10*time.Second), true)
	g.Hold(resume.Add(time.Hour), false)
	if p, _ := g.Credits(resume.Add(time.Hour+49*time.Second), late); p != 2 {
		t.Fatalf("after a second hold: %d credits, want 2 until 50 s of play later", p)
	}
	if !g.TakePriority(resume.Add(time.Hour+49*time.Second), late) {
		t.Fatal("a credit could not be spent")
	}
	g.RefundPriority(resume.Add(time.Hour+50*time.Second), late) // lapsed: nothing to give back into
	if p, _ := g.Credits(resume.Add(time.Hour+49*time.Second), late); p != 1 {
		t.Fatalf("a refund after the lapse came back: %d credits", p)
	}
}

// TestRefundPatternOfAnotherDay: a pattern bought before midnight and
// given back after it counted in yesterday's caps, not today's: today's
// count stays. One bought and given back the same day is given back.
func TestRefundPatternOfAnotherDay(t *testing.T) {
	g := NewGifts(GiftConfig{Tiers: []Tier{{MinCents: 100, Grant: Grant{Pattern: "circle"}}},
		PerDay: Caps{Patterns: 1}, MaxSenders: 10})
	a, b, c := Voter{"b", "1"}, Voter{"b", "2"}, Voter{"b", "3"}
	late := t0.Add(59*time.Minute + 59*time.Second) // 23:59:59
	if got, _ := g.Buy(late, a, 100); got.Pattern == "" {
		t.Fatal("yesterday's pattern not bought")
	}
	early := late.Add(2 * time.Second) // 00:00:01
	if got, _ := g.Buy(early, b, 100); got.Pattern == "" {
		t.Fatal("today's first pattern not bought")
	}
	g.RefundPattern(early, a, late)
	if got, out := g.Buy(early, c, 100); out != Capped || got.Pattern != "" {
		t.Fatalf("a second pattern today (%v): yesterday's refund went into today's cap", got)
	}
	g.RefundPattern(early, b, early)
	if got, _ := g.Buy(early, c, 100); got.Pattern != "circle" {
		t.Fatal("today's pattern given back, but the cap still counts it")
	}
}
