package room

import (
	"cmp"
	"slices"
	"time"

	"github.com/cattease/cattease/control/internal/lru"
)

// Grant is what a gift buys, or bought once the caps were applied.
type Grant struct {
	Priority  int           // the sender's next commands that jump the queue
	Extra     int           // commands past the cooldowns
	Exclusive time.Duration // 包场
	Pattern   string        // a sequence run for the sender
}

// Empty reports whether g buys nothing.
func (g Grant) Empty() bool { return g == Grant{} }

// Tier is a value threshold and its grant.
type Tier struct {
	MinCents int64
	Grant
}

// Caps bound grants in a day; 0 = no cap of that kind.
type Caps struct {
	Priority  int
	Extra     int
	Exclusive time.Duration
	Patterns  int
}

// GiftConfig is the gift lane's configuration.
type GiftConfig struct {
	Tiers      []Tier
	Free       Grant // the most a free gift buys
	FreePerDay int
	PerSender  Caps
	PerDay     Caps
	CreditFor  time.Duration
	MaxSenders int
	Location   *time.Location // whose midnight starts a day; nil = UTC
}

// Outcome is what became of a gift.
type Outcome int

// The outcomes of Buy.
const (
	Nothing Outcome = iota // no tier matches: the gift buys nothing by configuration
	Bought                 // the grant, after the caps
	Capped                 // a tier matched, but the caps left nothing
)

// Gifts is the gift lane's ledger: each sender's credits and what they and
// the room were granted today. At most MaxSenders senders are held; when a
// new sender arrives on a full table, the sender idle longest is forgotten
// with their unused credits (counted by Evicted).
type Gifts struct {
	cfg     GiftConfig
	senders *lru.Map[Voter, account]
	day     int // yyyymmdd of today
	room    Caps
	evicted uint64
	// The credits' clock (see Hold) is real time less the time held:
	// heldFor before the current hold, and since heldAt while held.
	// Expiries are kept on it.
	held    bool
	heldAt  time.Time
	heldFor time.Duration
	since   time.Time // the last Reconfigure: caps counted before it are gone
}

type account struct {
	day      int
	granted  Caps // today
	free     int  // free gifts that bought something today
	priority int
	extra    int
	expires  time.Time // on the credits' clock
}

// NewGifts returns an empty ledger.
func NewGifts(cfg GiftConfig) *Gifts {
	g := &Gifts{}
	g.setConfig(cfg)
	return g
}

// setConfig takes cfg and starts an empty table of senders.
func (g *Gifts) setConfig(cfg GiftConfig) {
	cfg.Tiers = slices.Clone(cfg.Tiers)
	slices.SortFunc(cfg.Tiers, func(a, b Tier) int { return cmp.Compare(b.MinCents, a.MinCents) })
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	g.cfg = cfg
	g.senders = lru.New[Voter, account](cfg.MaxSenders)
	g.senders.Evict = func(Voter, account) { g.evicted++ }
}

// Reconfigure takes a changed gift lane (a reload) at now. What senders
// paid for is theirs: each one's account is kept while its credits have
// not lapsed, its unused priority and extra credits (none, when waiting
// commands spent them all: a refund needs the account) lapsing when they
// would have, and the credits' clock keeps any hold. The day's caps start afresh, the sender's and the room's, under
// the new tiers, caps and timezone. When max_senders shrank, the senders
// with credits left are kept first, then those whose credits all wait in
// the queue, the ones who gave most recently first in each (those
// forgotten count in Evicted).
func (g *Gifts) Reconfigure(now time.Time, cfg GiftConfig) {
	old := g.senders
	g.setConfig(cfg)
	g.day, g.room, g.since = 0, Caps{}, now
	c := g.clock(now)
	var keep []Voter
	var accts []account
	old.Each(func(v Voter, a account) bool {
		// Every account whose credits have not lapsed, none left
		// included: a command still waiting that spent the last one gets
		// it back into this account if it never runs.
		if c.Before(a.expires) {
			keep = append(keep, v)
			accts = append(accts, account{priority: a.priority, extra: a.extra, expires: a.expires})
		}
		return true
	})
	keep, accts = g.fit(keep, accts)
	for i := len(keep) - 1; i >= 0; i-- { // oldest first: the most recent stay most recent
		g.senders.Put(keep[i], accts[i])
	}
}

// fit cuts the accounts kept over a reload (most recent first) to
// max_senders: those with credits left before those without.
func (g *Gifts) fit(keep []Voter, accts []account) ([]Voter, []account) {
	limit := g.cfg.MaxSenders
	if limit <= 0 || len(keep) <= limit {
		return keep, accts
	}
	chosen := make([]bool, len(keep))
	n := 0
	for _, credited := range []bool{true, false} {
		for i, a := range accts {
			if n < limit && !chosen[i] && (a.priority > 0 || a.extra > 0) == credited {
				chosen[i] = true
				n++
			}
		}
	}
	var k []Voter
	var a []account
	for i := range keep {
		if chosen[i] {
			k, a = append(k, keep[i]), append(a, accts[i])
		}
	}
	g.evicted += uint64(len(keep) - len(k))
	return k, a
}

// Enabled reports whether any gift can buy anything.
func (g *Gifts) Enabled() bool { return len(g.cfg.Tiers) > 0 || !g.cfg.Free.Empty() }

// Evicted counts senders forgotten with the table full.
func (g *Gifts) Evicted() uint64 { return g.evicted }

// Senders returns how many senders the ledger holds.
func (g *Gifts) Senders() int { return g.senders.Len() }

// Buy records a gift of valueCents from sender t (never an anonymous
// voter: the caller refuses those) at now and returns what it
// bought once the sender's and the room's caps for the day are applied.
// Priority and extra credits are kept for the sender; the exclusive time
// and the pattern are for the caller to carry out.
func (g *Gifts) Buy(now time.Time, t Voter, valueCents int64) (Grant, Outcome) {
	want, free, ok := g.tier(valueCents)
	if !ok {
		return Grant{}, Nothing
	}
	today := g.today(now)
	a, _ := g.senders.Get(t)
	if a.day != today {
		a = account{day: today, priority: a.priority, extra: a.extra, expires: a.expires}
	}
	if free && a.free >= g.cfg.FreePerDay {
		return Grant{}, Capped
	}
	got := Grant{
		Priority:  capInt(want.Priority, g.cfg.PerSender.Priority, a.granted.Priority, g.cfg.PerDay.Priority, g.room.Priority),
		Extra:     capInt(want.Extra, g.cfg.PerSender.Extra, a.granted.Extra, g.cfg.PerDay.Extra, g.room.Extra),
		Exclusive: capDur(want.Exclusive, g.cfg.PerSender.Exclusive, a.granted.Exclusive, g.cfg.PerDay.Exclusive, g.room.Exclusive),
	}
	if want.Pattern != "" && capInt(1, g.cfg.PerSender.Patterns, a.granted.Patterns, g.cfg.PerDay.Patterns, g.room.Patterns) == 1 {
		got.Pattern = want.Pattern
	}
	if got.Empty() {
		return Grant{}, Capped
	}
	g.account(&a, got, free, now)
	g.senders.Put(t, a)
	return got, Bought
}

func (g *Gifts) account(a *account, got Grant, free bool, now time.Time) {
	pat := 0
	if got.Pattern != "" {
		pat = 1
	}
	for _, c := range []*Caps{&a.granted, &g.room} {
		c.Priority += got.Priority
		c.Extra += got.Extra
		c.Exclusive += got.Exclusive
		c.Patterns += pat
	}
	if free {
		a.free++
	}
	c := g.clock(now)
	if !c.Before(a.expires) {
		a.priority, a.extra = 0, 0
	}
	a.priority += got.Priority
	a.extra += got.Extra
	a.expires = c.Add(g.cfg.CreditFor)
}

// Hold stops the credits' clock while nobody can play (on: quiet hours,
// the cat's rest), or starts it again. Credits are time to play in: those
// bought while play is refused lapse credit_for after it resumes, and
// those bought before keep the time they had left. Holding twice, or
// letting go of no hold, changes nothing.
func (g *Gifts) Hold(now time.Time, on bool) {
	if on == g.held {
		return
	}
	if on {
		g.heldAt = now
	} else {
		g.heldFor += max(now.Sub(g.heldAt), 0) // a clock set back holds for no time
	}
	g.held = on
}

// clock is now on the credits' clock.
func (g *Gifts) clock(now time.Time) time.Time {
	if g.held {
		now = g.heldAt
	}
	return now.Add(-g.heldFor)
}

// tier returns the grant a gift of v buys before the caps.
func (g *Gifts) tier(v int64) (Grant, bool, bool) {
	if v <= 0 {
		return g.cfg.Free, true, !g.cfg.Free.Empty()
	}
	for _, t := range g.cfg.Tiers {
		if v >= t.MinCents {
			return t.Grant, false, true
		}
	}
	return Grant{}, false, false
}

// today returns the day of now and resets the room's day when it changes.
func (g *Gifts) today(now time.Time) int {
	day := g.dayOf(now)
	if day != g.day {
		g.day, g.room = day, Caps{}
	}
	return day
}

// dayOf returns the day (yyyymmdd) of t where the caps are counted.
func (g *Gifts) dayOf(t time.Time) int {
	y, m, d := t.In(g.cfg.Location).Date()
	return y*10000 + int(m)*100 + d
}

// capInt is want, cut so that neither the sender's used+n stays within
// their cap nor the room's (a cap of 0 is no cap).
func capInt(want, senderCap, senderUsed, dayCap, dayUsed int) int {
	if senderCap > 0 {
		want = min(want, max(senderCap-senderUsed, 0))
	}
	if dayCap > 0 {
		want = min(want, max(dayCap-dayUsed, 0))
	}
	return want
}

func capDur(want, senderCap, senderUsed, dayCap, dayUsed time.Duration) time.Duration {
	if senderCap > 0 {
		want = min(want, max(senderCap-senderUsed, 0))
	}
	if dayCap > 0 {
		want = min(want, max(dayCap-dayUsed, 0))
	}
	return want
}

// Credits returns t's unused priority and extra credits at now.
func (g *Gifts) Credits(now time.Time, t Voter) (priority, extra int) {
	a, ok := g.senders.Peek(t)
	if !ok || !g.clock(now).Before(a.expires) {
		return 0, 0
	}
	return a.priority, a.extra
}

// TakePriority spends one of t's priority credits; false when none.
func (g *Gifts) TakePriority(now time.Time, t Voter) bool {
	return g.take(now, t, func(a *account) *int { return &a.priority })
}

// TakeExtra spends one of t's extra credits; false when none.
func (g *Gifts) TakeExtra(now time.Time, t Voter) bool {
	return g.take(now, t, func(a *account) *int { return &a.extra })
}

func (g *Gifts) take(now time.Time, t Voter, field func(*account) *int) bool {
	a := g.senders.Ptr(t)
	if a == nil || !g.clock(now).Before(a.expires) {
		return false
	}
	n := field(a)
	if *n <= 0 {
		return false
	}
	*n--
	return true
}

// RefundPriority gives back a priority credit spent on a command that
// never ran, unless t's credits have lapsed meanwhile.
func (g *Gifts) RefundPriority(now time.Time, t Voter) {
	g.refund(now, t, func(a *account) *int { return &a.priority })
}

// RefundExtra gives back an extra credit spent on a command that never
// ran, unless t's credits have lapsed meanwhile.
func (g *Gifts) RefundExtra(now time.Time, t Voter) {
	g.refund(now, t, func(a *account) *int { return &a.extra })
}

func (g *Gifts) refund(now time.Time, t Voter, field func(*account) *int) {
	if a := g.senders.Ptr(t); a != nil && g.clock(now).Before(a.expires) {
		*field(a)++
	}
}

// RefundExclusive gives back a bought 包场 that could not be delivered (no
// place left to wait): it no longer counts against today's caps.
func (g *Gifts) RefundExclusive(now time.Time, t Voter, d time.Duration) {
	today := g.today(now)
	if a := g.senders.Ptr(t); a != nil && a.day == today {
		a.granted.Exclusive = max(a.granted.Exclusive-d, 0)
	}
	g.room.Exclusive = max(g.room.Exclusive-d, 0)
}

// RefundPattern gives back a pattern bought at bought that was not run
// for the sender: it no longer counts against today's caps. One bought
// on an earlier day counted against that day's caps, which are gone, and
// today's never counted it: nothing is given back. Nor is one bought
// before a Reconfigure started the caps afresh.
func (g *Gifts) RefundPattern(now time.Time, t Voter, bought time.Time) {
	today := g.today(now)
	if g.dayOf(bought) != today || bought.Before(g.since) {
		return
	}
	if a := g.senders.Ptr(t); a != nil && a.day == today {
		a.granted.Patterns = max(a.granted.Patterns-1, 0)
	}
	g.room.Patterns = max(g.room.Patterns-1, 0)
}
