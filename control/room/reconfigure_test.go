package room

import (
	"testing"
	"time"
)

// TestGiftsReconfigureKeepsCredits: a changed lane keeps each sender's
// credits and their expiry, held clock included; a smaller table keeps
// the senders who gave last; the caps start afresh.
func TestGiftsReconfigureKeepsCredits(t *testing.T) {
	cfg := GiftConfig{Tiers: []Tier{{MinCents: 100, Grant: Grant{Priority: 2, Extra: 1}}},
		PerSender: Caps{Priority: 2}, CreditFor: time.Hour, MaxSenders: 3}
	g := NewGifts(cfg)
	a, b, c := Voter{"b", "1"}, Voter{"b", "2"}, Voter{"b", "3"}
	for i, v := range []Voter{a, b, c} {
		if _, out := g.Buy(t0.Add(time.Duration(i)*time.Minute), v, 100); out != Bought {
			t.Fatalf("%v: %v", v, out)
		}
	}
	g.Hold(t0.Add(10*time.Minute), true) // quiet hours: the credits' clock stands still
	now := t0.Add(2 * time.Hour)
	cfg.MaxSenders = 2
	cfg.Tiers[0].Grant.Priority = 1
	g.Reconfigure(now, cfg)
	if g.Senders() != 2 {
		t.Fatalf("%d senders, want the 2 who gave last", g.Senders())
	}
	if p, x := g.Credits(now, a); p != 0 || x != 0 {
		t.Fatalf("a kept %d/%d, want a forgotten", p, x)
	}
	if p, x := g.Credits(now, c); p != 2 || x != 1 {
		t.Fatalf("c kept %d/%d, want 2/1", p, x)
	}
	// The caps start afresh: c may buy again under the new tier.
	if got, out := g.Buy(now, c, 100); out != Bought || got.Priority != 1 {
		t.Fatalf("c bought %+v (%v), want 1 priority", got, out)
	}
	// b's credits had 51m left when the hold began, and keep them.
	g.Hold(now, false)
	if p, _ := g.Credits(now.Add(51*time.Minute-time.Second), b); p != 2 {
		t.Fatalf("b holds %d a second before lapsing, want 2", p)
	}
	if p, _ := g.Credits(now.Add(51*time.Minute), b); p != 0 {
		t.Fatalf("b holds %d after lapsing, want 0", p)
	}
}

// TestGiftsReconfigureKeepsSpentAccounts: a sender who spent every credit
// on commands still waiting keeps their account across a Reconfigure,
// so the refund of a command that never runs has somewhere to go.
func TestGiftsReconfigureKeepsSpentAccounts(t *testing.T) {
	cfg := GiftConfig{Tiers: []Tier{{MinCents: 100, Grant: Grant{Priority: 2}}}, CreditFor: time.Hour, MaxSenders: 3}
	g := NewGifts(cfg)
	v := Voter{"b", "9"}
	g.Buy(t0, v, 100)
	if !g.TakePriority(t0, v) || !g.TakePriority(t0, v) {
		t.Fatal("the 2 bought were not there to spend")
	}
	cfg.MaxSenders = 2
	g.Reconfigure(t0.Add(time.Minute), cfg)
	g.RefundPriority(t0.Add(2*time.Minute), v)
	g.RefundPriority(t0.Add(2*time.Minute), v)
	if p, x := g.Credits(t0.Add(2*time.Minute), v); p != 2 || x != 0 {
		t.Fatalf("%d/%d after the refunds, want 2/0", p, x)
	}
	// They lapse an hour after the gift, as they would have.
	if p, _ := g.Credits(t0.Add(time.Hour), v); p != 0 {
		t.Fatalf("%d priority credits an hour after the gift, want none", p)
	}
}

// TestGiftsReconfigureShrinkKeepsCreditsFirst: max_senders lowered by a
// reload keeps the senders with credits left before those who spent all
// theirs (kept only for a refund), however recently those gave.
func TestGiftsReconfigureShrinkKeepsCreditsFirst(t *testing.T) {
	cfg := GiftConfig{Tiers: []Tier{{MinCents: 100, Grant: Grant{Priority: 1}}}, CreditFor: time.Hour, MaxSenders: 4}
	g := NewGifts(cfg)
	rich := Voter{"b", "1"}
	g.Buy(t0, rich, 100) // the oldest, its credit unused
	for i, id := range []string{"2", "3", "4"} {
		v := Voter{"b", id}
		at := t0.Add(time.Duration(i+1) * time.Second)
		g.Buy(at, v, 100)
		if !g.TakePriority(at, v) {
			t.Fatal("a credit bought was not there to spend")
		}
	}
	cfg.MaxSenders = 2
	g.Reconfigure(t0.Add(time.Minute), cfg)
	if p, _ := g.Credits(t0.Add(time.Minute), rich); p != 1 {
		t.Errorf("the sender with an unused credit lost it to empty accounts: %d", p)
	}
	if n := g.Senders(); n != 2 {
		t.Errorf("%d senders after shrinking to 2", n)
	}
}
