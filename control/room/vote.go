package room

import (
	"cmp"
	"slices"
	"time"

	"github.com/cattease/cattease/control/internal/lru"
	"github.com/cattease/cattease/danmu"
)

// Voter identifies one vote: a viewer, or all the guests a platform does
// not identify together (they share one vote).
type Voter struct{ Platform, ID string }

// VoterOf returns the voter of a sender.
func VoterOf(platform string, u danmu.User) Voter {
	if anonymous(u) {
		return Voter{Platform: platform}
	}
	return Voter{platform, u.ID}
}

// Option is what a vote is for: a key the caller chooses, such as the
// command and its repeat ("left×3"), so that 左3 and 左 are different
// options.
type Option string

// Ballot is the result of a vote.
type Ballot int

// The results of Window.Vote.
const (
	Counted Ballot = iota
	Repeat         // the voter already voted in this window
	Full           // the window holds MaxVoters voters
)

// Window is the vote policy's window: the first vote opens it, and when it
// ends the most-voted option wins. One vote per voter per window.
type Window struct {
	Length    time.Duration
	MaxVoters int

	open   bool
	ends   time.Time
	voters map[Voter]struct{}
	tally  map[Option]int
	order  []Option // options in the order first voted, for ties
}

// Vote counts v's vote for o at now.
func (w *Window) Vote(now time.Time, v Voter, o Option) Ballot {
	if !w.open {
		w.open, w.ends = true, now.Add(w.Length)
		if w.voters == nil {
			w.voters, w.tally = map[Voter]struct{}{}, map[Option]int{}
		}
	}
	if _, ok := w.voters[v]; ok {
		return Repeat
	}
	if len(w.voters) >= w.MaxVoters {
		return Full
	}
	w.voters[v] = struct{}{}
	if w.tally[o] == 0 {
		w.order = append(w.order, o)
	}
	w.tally[o]++
	return Counted
}

// Result is a closed window's outcome.
type Result struct {
	Winner Option
	Votes  int // the winner's votes
	Voters int
	Tie    bool // two or more options share the most votes: nothing runs
}

// Close ends the window if its time is up at now; ok is false while it
// runs or when none is open.
func (w *Window) Close(now time.Time) (Result, bool) {
	if !w.open || now.Before(w.ends) {
		return Result{}, false
	}
	r := Result{Voters: len(w.voters)}
	for _, o := range w.order {
		switch n := w.tally[o]; {
		case n > r.Votes:
			r.Winner, r.Votes, r.Tie = o, n, false
		case n == r.Votes:
			r.Tie = true
		}
	}
	w.Reset()
	return r, true
}

// Reset abandons the window.
func (w *Window) Reset() {
	w.open = false
	clear(w.voters)
	clear(w.tally)
	w.order = w.order[:0]
}

// Open reports whether a window is open and when it ends.
func (w *Window) Open() (bool, time.Time) { return w.open, w.ends }

// Tally returns the options with their votes, most first (then first voted).
func (w *Window) Tally() ([]Option, []int, int) {
	opts := slices.Clone(w.order)
	slices.SortStableFunc(opts, func(a, b Option) int { return cmp.Compare(w.tally[b], w.tally[a]) })
	votes := make([]int, len(opts))
	for i, o := range opts {
		votes[i] = w.tally[o]
	}
	return opts, votes, len(w.voters)
}

// MeterConfig configures the policy meter.
type MeterConfig struct {
	Enter, Leave float64       // shares for vote
	Window       time.Duration // each voter's latest vote counts this long
	MinVotes     int
	Cooldown     time.Duration
	MaxVoters    int
}

// Meter is the chat's vote on the play policy: each voter's latest vote,
// for the vote policy or for the base one, counts for Window. Switching
// into vote takes Enter of the votes, out of it only Leave or less, so the
// policy does not flap; and at most one switch per Cooldown.
type Meter struct {
	cfg     MeterConfig
	votes   *lru.Map[Voter, meterVote]
	forVote int
	last    time.Time // the last switch
	started bool
}

type meterVote struct {
	forVote bool
	at      time.Time
}

// NewMeter returns an empty meter.
func NewMeter(cfg MeterConfig) *Meter {
	m := &Meter{cfg: cfg, votes: lru.New[Voter, meterVote](cfg.MaxVoters)}
	m.votes.Evict = func(_ Voter, v meterVote) { m.uncount(v) }
	return m
}

func (m *Meter) uncount(v meterVote) {
	if v.forVote {
		m.forVote--
	}
}

// Vote records v's vote at now, replacing their earlier one.
func (m *Meter) Vote(now time.Time, v Voter, forVote bool) {
	if old, ok := m.votes.Peek(v); ok {
		m.uncount(old)
	}
	m.votes.Put(v, meterVote{forVote, now})
	if forVote {
		m.forVote++
	}
}

// Share returns the share of recent votes for the vote policy and how many
// votes count at now.
func (m *Meter) Share(now time.Time) (float64, int) {
	m.expire(now)
	n := m.votes.Len()
	if n == 0 {
		return 0, 0
	}
	return float64(m.forVote) / float64(n), n
}

// expire forgets votes older than the window; the least recent vote is
// the oldest, so this stops at the first that still counts.
func (m *Meter) expire(now time.Time) {
	for {
		k, v, ok := m.votes.Oldest()
		if !ok || now.Sub(v.at) < m.cfg.Window {
			return
		}
		m.uncount(v)
		m.votes.Delete(k)
	}
}

// Decide says whether the policy should switch at now, given whether the
// vote policy is in force: to vote when the share reaches Enter, away
// from it when it falls to Leave, never within Cooldown of the last switch
// nor on fewer than MinVotes votes.
func (m *Meter) Decide(now time.Time, inVote bool) (toVote, change bool) {
	share, n := m.Share(now)
	if n < m.cfg.MinVotes || (m.started && now.Sub(m.last) < m.cfg.Cooldown) {
		return inVote, false
	}
	switch {
	case !inVote && share >= m.cfg.Enter:
		return true, true
	case inVote && share <= m.cfg.Leave:
		return false, true
	}
	return inVote, false
}

// Switched records a switch at now (by the meter or forced), starting the
// cooldown.
func (m *Meter) Switched(now time.Time) { m.last, m.started = now, true }

// CooldownLeft returns how long until the meter may switch again.
func (m *Meter) CooldownLeft(now time.Time) time.Duration {
	if !m.started {
		return 0
	}
	return max(m.cfg.Cooldown-now.Sub(m.last), 0)
}

// Config returns the meter's configuration.
func (m *Meter) Config() MeterConfig { return m.cfg }

// Len returns how many votes the meter holds.
func (m *Meter) Len() int { return m.votes.Len() }
