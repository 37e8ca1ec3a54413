package control

import (
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/limit"
	"github.com/cattease/cattease/control/match"
	"github.com/cattease/cattease/control/room"
	"github.com/cattease/cattease/danmu"
)

// request is a matched chat command: one command, or a combo's parts.
// The parts live in arrays so that deciding a command does not allocate.
type request struct {
	cmd    [config.MaxComboParts]int // command indexes, in order
	rep    [config.MaxComboParts]int // each part's repeat
	n      int                       // parts
	rule   string                    // the rule name, "left+up" for a combo
	combo  string                    // "left×3+up×2" for a combo
	repeat int                       // the repeat, or a combo's total steps
}

// A prematch is what a chat message asks for, found ahead of deciding it:
// matching reads only the compiled rules, so replay's reader finds it on
// its own goroutine while the engine decides the events before. It holds
// for the rules it was found with, known by their matcher, which every
// reload builds anew (a policy switch keeps it, and the commands with it).
type prematch struct {
	m      *match.Matcher
	req    request
	reason actuators.Reason
	ok     bool
}

// find matches text against r.
func (p *prematch) find(r *Rules, text string) {
	p.m = r.matcher
	p.reason, p.ok = matchText(r, text, &p.req)
}

// match returns what ev asks for: pm's answer when it was found with the
// rules in force, else matched now into own.
func (e *Engine) match(ev *danmu.Event, pm *prematch, own *request) (*request, actuators.Reason, bool) {
	if pm != nil && pm.m == e.rules.matcher {
		return &pm.req, pm.reason, pm.ok
	}
	reason, ok := matchText(e.rules, ev.Text, own)
	return own, reason, ok
}

func (e *Engine) decide(now time.Time, ev *danmu.Event, pm *prematch) Decision {
	d := newDecision(now, ev)
	switch ev.Kind {
	case danmu.KindGift, danmu.KindSuperChat, danmu.KindGuard:
		return e.gift(now, ev, d)
	case danmu.KindChat:
	default:
		return with(d, Ignored, ReasonNotChat)
	}
	var own request
	req, reason, ok := e.match(ev, pm, &own)
	if !ok {
		return with(d, Ignored, ReasonNoCommand)
	}
	if e.rules.room.directory { // moderators name those who command; gifts learn their level
		e.room.dir.Seen(ev.Platform, ev.User)
	}
	d.Rule, d.Repeat, d.Combo = req.rule, req.repeat, req.combo
	if reason != "" {
		return with(d, Dropped, reason)
	}
	for _, i := range req.cmds() {
		if !e.rules.commands[i].allow.Permits(ev.User) {
			return with(d, Dropped, ReasonPermission)
		}
	}
	if e.blocked(ev.Platform, ev.User) { // before moderation and stop: a blocked moderator commands nothing
		return with(d, Dropped, ReasonBlocked)
	}
	cmd := &e.rules.commands[req.cmd[0]]
	switch {
	case cmd.moderate != "":
		return e.moderate(now, ev, cmd, d)
	case cmd.immediate:
		return e.immediate(now, cmd, d)
	}
	r, until := e.gate(now, ev)
	if r == ReasonExclusive {
		// While nobody can play, 包场's clock stands still (holdClocks):
		// what holds the command off, and ends first, is what keeps
		// everyone from playing, told as it is told with no 包场. Nobody
		// knows when a stop or a pause is lifted, so they give no retry.
		// A vote plays nothing: a stop or a pause refuses it, quiet hours
		// and the cat's rest do not, but 包场 does, and its clock starts
		// again when they end: the time left counts from then.
		pr, pu := e.playRefusal(now)
		switch {
		case e.stopped:
			r, until = ReasonStopped, time.Time{}
		case e.paused:
			r, until = ReasonPaused, time.Time{}
		case pr != "" && cmd.vote == "":
			r, until = pr, pu
		case pr != "" && pu.IsZero(): // when they end is not known
			until = time.Time{}
		case pr != "":
			until = pu.Add(until.Sub(now))
		}
	}
	if r != "" {
		return refusedUntil(now, d, r, until)
	}
	switch {
	case e.stopped:
		return with(d, Dropped, ReasonStopped)
	case e.paused:
		return with(d, Dropped, ReasonPaused)
	case cmd.vote != "": // a vote on the policy plays nothing
		return e.policyVote(now, ev, cmd, d)
	}
	// Quiet hours or the cat's rest: refused before a credit, a cooldown
	// or a vote is spent on a command the rig would refuse anyway.
	if r, until := e.playRefusal(now); r != "" {
		return refusedUntil(now, d, r, until)
	}
	if e.rules.policy == PolicyVote {
		return e.castVote(now, ev, req, d)
	}
	return e.enqueue(now, ev, req, d)
}

// refusedUntil drops d for r, which lasts until until (zero when unknown).
func refusedUntil(now time.Time, d Decision, r actuators.Reason, until time.Time) Decision {
	d.Until = until
	if !until.IsZero() {
		d.RetryAfter = until.Sub(now)
	}
	return with(d, Dropped, r)
}

// gate applies the room's rules to a viewer's command: blocklists, the
// minimum level, mutes and 包场. Moderators and the owner pass; the owner
// is never blocked. It returns the refusal and, for a mute or 包场, when it
// ends.
func (e *Engine) gate(now time.Time, ev *danmu.Event) (actuators.Reason, time.Time) {
	u := ev.User
	rank := u.Role.Rank()
	switch {
	case rank >= danmu.RoleOwner.Rank():
		return "", time.Time{}
	case e.room.block.User(ev.Platform, u):
		return ReasonBlocked, time.Time{}
	case e.room.block.Word(ev.Text):
		return ReasonBlockedWord, time.Time{}
	case rank >= danmu.RoleModerator.Rank():
		return "", time.Time{}
	case e.belowLevel(u):
		return ReasonLevel, time.Time{}
	}
	if until, ok := e.room.mutes.Muted(now, ev.Platform, u); ok {
		return ReasonTimeout, until
	}
	if !e.room.excl.Admits(now, ev.Platform, u) {
		return ReasonExclusive, e.room.excl.Current(now).Until
	}
	return "", time.Time{}
}

// enqueue puts an accepted command in the play queue, under the limits,
// spending the sender's gift credits where they help.
func (e *Engine) enqueue(now time.Time, ev *danmu.Event, req *request, d Decision) Decision {
	voter := room.VoterOf(ev.Platform, ev.User)
	_, known := room.TargetOf(ev.Platform, ev.User) // credits need an identified sender
	prio := false
	if known && e.room.gifts.Enabled() {
		p, _ := e.room.gifts.Credits(now, voter)
		prio = p > 0
	}
	// A full queue takes a command only in a waiting one's place, or, for
	// a priority one, in the place of a waiting command that is not.
	if !e.exec.fits(voter) && !(prio && e.exec.freeable()) {
		return with(d, Dropped, ReasonQueueFull)
	}
	j := job{dec: d, steps: e.steps(req), voter: voter}
	reason := ReasonQueued
	ld := e.limiter.AllowUserSet(now, ev.Platform, ev.User, req.cmds(), req.repeat)
	if !ld.OK && ld.Scope != limit.ScopeGlobal && known && e.extra(now, voter, req.repeat) {
		ld, reason, j.extra = limit.Decision{OK: true}, ReasonExtra, true
	}
	if !ld.OK {
		d = with(d, Dropped, scopeReason(ld.Scope))
		d.RetryAfter = ld.RetryAfter
		return d
	}
	if prio && e.room.gifts.TakePriority(now, voter) {
		j.priority, j.credit = true, true
		if reason == ReasonQueued {
			reason = ReasonPriority
		}
		if !e.exec.fits(voter) {
			if old, ok := e.exec.makeRoom(); ok {
				e.drop(now, &old, ReasonQueueFull)
			}
		}
	}
	j.dec = with(d, Accepted, reason)
	if !e.queue(now, j) { // fits said otherwise: never, but nothing is kept that did not run
		e.refund(now, &j)
		return with(d, Dropped, ReasonQueueFull)
	}
	return j.dec
}

// extra spends an extra credit to pass the cooldowns, if the sender has
// one and the global pacing allows.
func (e *Engine) extra(now time.Time, t room.Voter, cost int) bool {
	if _, x := e.room.gifts.Credits(now, t); x == 0 {
		return false
	}
	if !e.limiter.AllowGlobal(now, cost).OK {
		return false
	}
	return e.room.gifts.TakeExtra(now, t)
}

// steps expands a request into the steps it runs.
func (e *Engine) steps(req *request) []step {
	if req.n == 1 {
		return expand(&e.rules.commands[req.cmd[0]], req.rep[0])
	}
	var out []step
	for i, c := range req.cmds() {
		out = append(out, expand(&e.rules.commands[c], req.rep[i])...)
	}
	return out
}

// cmds returns the command indexes of the parts.
func (r *request) cmds() []int { return r.cmd[:r.n] }

// add appends a part; false when the request is full.
func (r *request) add(cmd, rep int) bool {
	if r.n == len(r.cmd) {
		return false
	}
	r.cmd[r.n], r.rep[r.n] = cmd, rep
	r.n++
	r.repeat += rep
	return true
}
