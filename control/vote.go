package control

import (
	"fmt"
	"strconv"
	"time"

	"github.com/cattease/cattease/control/room"
	"github.com/cattease/cattease/danmu"
)

// castVote counts a command as a vote in the open window (the vote
// policy): one vote per viewer per window; 左3 and 左 are different
// options. Mutes, 包场 and the blocklists have already applied.
func (e *Engine) castVote(now time.Time, ev *danmu.Event, req *request, d Decision) Decision {
	key := req.combo
	if key == "" {
		key = req.rule + "×" + strconv.Itoa(req.repeat)
	}
	opt := room.Option(key)
	switch e.room.window.Vote(now, room.VoterOf(ev.Platform, ev.User), opt) {
	case room.Repeat:
		return with(d, Dropped, ReasonVoteRepeat)
	case room.Full:
		return with(d, Dropped, ReasonVoteFull)
	}
	if _, ok := e.room.options[opt]; !ok {
		e.room.options[opt] = ballot{rule: req.rule, repeat: req.repeat, combo: req.combo, steps: e.steps(req),
			cmds: append([]int(nil), req.cmds()...)}
	}
	_, ends := e.room.window.Open()
	d.Until = ends
	return with(d, Accepted, ReasonVoted)
}

// closeVote ends the vote window when its time is up: the most-voted
// option runs, through its commands' cooldowns and the global pacing (a
// vote is no way around a cooldown); a tie keeps the status quo.
func (e *Engine) closeVote(now time.Time) {
	r, ok := e.room.window.Close(now)
	if !ok {
		return
	}
	b := e.room.options[r.Winner]
	clear(e.room.options)
	d := Decision{Time: now, EventID: fmt.Sprintf("vote-%d", now.UnixNano()), Platform: "vote",
		UserName: "vote", Text: fmt.Sprintf("%d/%d", r.Votes, r.Voters)}
	if r.Tie {
		e.emit(with(d, Ignored, ReasonVoteTie))
		e.recent.add(with(d, Ignored, ReasonVoteTie)) // shown in the feed all the same
		return
	}
	d.Rule, d.Repeat, d.Combo = b.rule, b.repeat, b.combo
	switch {
	case e.stopped:
		e.emit(with(d, Dropped, ReasonStopped))
		return
	case e.paused:
		e.emit(with(d, Dropped, ReasonPaused))
		return
	case !e.exec.fits(room.Voter{}): // gifts' priority commands fill it
		e.emit(with(d, Dropped, ReasonQueueFull))
		return
	}
	if ld := e.limiter.AllowCommands(now, b.cmds, b.repeat); !ld.OK {
		d.RetryAfter = ld.RetryAfter
		e.emit(with(d, Dropped, scopeReason(ld.Scope)))
		return
	}
	d = with(d, Accepted, ReasonVoteWon)
	if !e.queue(now, job{dec: d, steps: b.steps}) {
		d = with(d, Dropped, ReasonQueueFull)
	}
	e.emit(d)
}

// policyVote records a viewer's vote on the policy meter and switches the
// policy when the meter says so.
func (e *Engine) policyVote(now time.Time, ev *danmu.Event, cmd *command, d Decision) Decision {
	m := e.room.meter
	if m == nil {
		return with(d, Dropped, ReasonBadValue)
	}
	m.Vote(now, room.VoterOf(ev.Platform, ev.User), cmd.vote == "vote")
	d = with(d, Accepted, ReasonPolicyVote)
	if toVote, change := m.Decide(now, e.rules.policy == PolicyVote); change && !e.room.forced {
		p := e.room.base
		if toVote {
			p = PolicyVote
		}
		e.after = func() {
			e.switchPolicy(now, p, false)
			e.emit(with(Decision{Time: now, EventID: fmt.Sprintf("meter-%d", now.UnixNano()),
				Platform: "vote", UserName: "vote", Policy: p, Rule: "policy"}, Accepted, ReasonPolicy))
		}
	}
	return d
}

// switchPolicy changes the play policy until the next reload or switch.
// forced marks a moderator's or the panel's choice: the meter then only
// counts, until the next reload (docs/room.md).
func (e *Engine) switchPolicy(now time.Time, p string, forced bool) {
	r := *e.rules
	r.queueCap = r.file.Play.QueueSize
	if p == PolicyLatest {
		r.queueCap = 1
	}
	if p != PolicyVote {
		e.room.base = p
		e.abandonVote(now)
	}
	r.policy = p
	e.rules = &r
	for _, j := range e.exec.init(&r) { // latest holds one waiting command
		e.drop(now, &j, ReasonPolicy)
	}
	e.room.forced = forced
	if m := e.room.meter; m != nil {
		m.Switched(now)
	}
}

// abandonVote ends an open window without a winner when the policy leaves
// vote; its voters are told, in one decision, why nothing ran.
func (e *Engine) abandonVote(now time.Time) {
	if open, _ := e.room.window.Open(); !open {
		return
	}
	_, _, voters := e.room.window.Tally()
	e.room.window.Reset()
	clear(e.room.options)
	e.emit(with(Decision{Time: now, EventID: fmt.Sprintf("vote-%d", now.UnixNano()), Platform: "vote",
		UserName: "vote", Text: fmt.Sprintf("0/%d", voters)}, Dropped, ReasonPolicy))
}
