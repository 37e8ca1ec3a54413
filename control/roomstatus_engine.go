package control

import (
	"time"
)

// roomStatus fills the room's part of a status: the waiting list with
// ETAs, the vote window, the meter, 包场 and the mutes.
func (e *Engine) roomStatus(now time.Time, s *Status) {
	x := &e.exec
	for i, j := range x.queue[:min(len(x.queue), WaitingShown)] {
		s.Waiting = append(s.Waiting, Waiting{Position: i + 1, UserName: j.dec.UserName, Platform: j.dec.Platform,
			Rule: j.dec.Rule, Repeat: j.dec.Repeat, Priority: j.priority, ETA: x.eta(i)})
	}
	if e.rules.policy == PolicyVote {
		s.Vote = e.voteStatus(now)
	}
	if m := e.room.meter; m != nil {
		share, n := m.Share(now)
		c := m.Config()
		s.Meter = &MeterStatus{Share: share, Votes: n, MinVotes: c.MinVotes, Enter: c.Enter, Leave: c.Leave,
			Base: e.room.base, Cooldown: m.CooldownLeft(now), Forced: e.room.forced}
	}
	if h := e.room.excl.Current(now); h != nil {
		s.Exclusive = &ExclusiveStatus{UserName: h.Label(), UserID: h.UID, Platform: h.Platform,
			Until: h.Until, By: h.By, Pending: e.room.excl.Pending()}
	}
	s.Timeouts = e.room.mutes.Len(now)
}

// voteStatus is the open window's tally, at most WaitingShown options.
func (e *Engine) voteStatus(now time.Time) *VoteStatus {
	w := &e.room.window
	v := &VoteStatus{Window: w.Length, Tally: []VoteCount{}}
	open, ends := w.Open()
	if !open {
		return v
	}
	v.EndsIn = max(ends.Sub(now), 0)
	opts, votes, voters := w.Tally()
	v.Voters = voters
	for i, o := range opts[:min(len(opts), WaitingShown)] {
		b := e.room.options[o] // castVote records every option it counts
		v.Tally = append(v.Tally, VoteCount{Rule: b.rule, Repeat: b.repeat, Votes: votes[i]})
	}
	return v
}
