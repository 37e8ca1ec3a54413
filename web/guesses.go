package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/netip"
	"sync"
	"time"
)

// Limits on wrong tokens. Every check of a presented token (the login
// form, a bearer header, the panel's cookie) goes through a guessLimiter
// first, so that no route answers guesses at full speed. Right tokens are
// never charged.
const (
	// guessEvery and guessBurst: each address group gets 5 quick wrong
	// tokens, then one a second. A mistyped token costs the streamer
	// nothing noticeable; a script gets 86,400 guesses a day per address.
	guessEvery = time.Second
	guessBurst = 5
	// allGuessEvery and allGuessBurst bound the wrong tokens of all groups
	// together, against one machine that holds many addresses: 10 a second.
	allGuessEvery = 100 * time.Millisecond
	allGuessBurst = 20
	// maxGuessGroups bounds the table of groups (about 200 bytes each).
	maxGuessGroups = 4096
	// maxTrusted bounds the groups remembered for a right token: they are
	// never refused for the others' guesses (see take).
	maxTrusted = 64
)

// A guessLimiter keeps a bucket of wrong guesses per address group (an
// IPv4 address or an IPv6 /64: see guessKey), so that a guesser on the LAN
// locks out only its own group and never an IPv4 phone or a panel logged
// in, and one for everyone together.
// The buckets are its own rather than x/time/rate's: a right token must
// give back exactly the one guess it was charged, and rate.Reservation's
// Cancel restores only what was not reserved after it and moves the
// limiter's clock back.
type guessLimiter struct {
	mu      sync.Mutex
	groups  map[netip.Prefix]*guessGroup
	all     bucket
	trusted map[netip.Prefix]time.Time // groups that presented the right token, and when
}

type guessGroup struct {
	bucket
	bad    [sha256.Size]byte // the hash of this group's last wrong token
	hasBad bool
}

func newGuessLimiter() *guessLimiter {
	return &guessLimiter{groups: map[netip.Prefix]*guessGroup{}, trusted: map[netip.Prefix]time.Time{}}
}

// guessVerdict is what take decides before the token is compared.
type guessVerdict int

const (
	guessCheck   guessVerdict = iota // compare the token; call refund if it is right
	guessRepeat                      // the group's last wrong token again: wrong, and not a new guess
	guessLimited                     // the group's bucket is empty: refuse without comparing
	guessAllBusy                     // everyone's bucket is empty: refuse without comparing
)

// take charges group one guess for a check of a token whose hash is sum,
// at now; when it refuses, wait is when the next guess is due. A token the
// group presented wrong last time is answered as wrong without a charge:
// repeating it teaches nothing, and a browser resending a cookie from
// before the token changed must not use up its user's tries. A group that
// presented the right token before is not refused because everyone's
// bucket is empty, so a machine with many addresses cannot lock the
// streamer's phone out either. A nil limiter (for a client on this
// machine, which has no allowance to keep) checks every token, and its
// refund and wrong do nothing.
func (l *guessLimiter) take(now time.Time, group netip.Prefix, sum [sha256.Size]byte) (v guessVerdict, wait time.Duration) {
	if l == nil {
		return guessCheck, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	g := l.group(now, group)
	if g.hasBad && subtle.ConstantTimeCompare(g.bad[:], sum[:]) == 1 {
		return guessRepeat, 0
	}
	if w := g.take(now, guessEvery, guessBurst); w > 0 {
		return guessLimited, w
	}
	if at, ok := l.trusted[group]; ok && now.Sub(at) < cookieLife {
		l.all.take(now, allGuessEvery, allGuessBurst) // counted when it can be; never refused
		return guessCheck, 0
	}
	if w := l.all.take(now, allGuessEvery, allGuessBurst); w > 0 {
		g.give()
		return guessAllBusy, w
	}
	return guessCheck, 0
}

// refund gives back the guess a right token was charged, and remembers its
// group as trusted.
func (l *guessLimiter) refund(now time.Time, group netip.Prefix) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if g, ok := l.groups[group]; ok {
		g.give()
	}
	l.all.give()
	if _, ok := l.trusted[group]; !ok && len(l.trusted) >= maxTrusted {
		var oldest netip.Prefix
		first := true
		for p, at := range l.trusted {
			if first || at.Before(l.trusted[oldest]) {
				oldest, first = p, false
			}
		}
		delete(l.trusted, oldest)
	}
	l.trusted[group] = now
}

// wrong remembers sum as group's last wrong token.
func (l *guessLimiter) wrong(group netip.Prefix, sum [sha256.Size]byte) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if g, ok := l.groups[group]; ok {
		g.bad, g.hasBad = sum, true
	}
}

// group returns group's entry, making it. A full table first loses the
// groups whose bucket has refilled (they know nothing a new entry would
// not), and is cleared if that does not free half of it, so that a flood
// of addresses costs bounded memory and amortised constant time; the
// bucket of everyone still bounds the guesses.
func (l *guessLimiter) group(now time.Time, group netip.Prefix) *guessGroup {
	if g, ok := l.groups[group]; ok {
		return g
	}
	if len(l.groups) >= maxGuessGroups {
		for p, g := range l.groups {
			if g.full(now, guessEvery) {
				delete(l.groups, p)
			}
		}
		if len(l.groups) > maxGuessGroups/2 {
			clear(l.groups)
		}
	}
	g := &guessGroup{}
	l.groups[group] = g
	return g
}

// bucket is a token bucket of guesses that refills one per every, up to a
// burst. Its zero value is full.
type bucket struct {
	spent float64   // guesses used and not yet refilled
	last  time.Time // when spent was last brought up to date
}

func (b *bucket) refill(now time.Time, every time.Duration) {
	if b.last.IsZero() || now.After(b.last) {
		if !b.last.IsZero() {
			b.spent = max(0, b.spent-float64(now.Sub(b.last))/float64(every))
		}
		b.last = now
	}
}

// take uses one guess, or says how long until one is due.
func (b *bucket) take(now time.Time, every time.Duration, burst int) (wait time.Duration) {
	b.refill(now, every)
	if b.spent+1 > float64(burst) {
		// At least 1 ns: a wait that rounds to 0 (spent a hair above
		// burst-1 after the float refills) would read as granted, and
		// without a charge.
		return max(1, time.Duration((b.spent+1-float64(burst))*float64(every)))
	}
	b.spent++
	return 0
}

// give returns one guess.
func (b *bucket) give() { b.spent = max(0, b.spent-1) }

// full reports whether every guess has refilled.
func (b *bucket) full(now time.Time, every time.Duration) bool {
	b.refill(now, every)
	return b.spent == 0
}
