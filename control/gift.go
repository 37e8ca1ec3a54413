package control

import (
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/room"
	"github.com/cattease/cattease/danmu"
)

// gift records what a gift, super chat or guard purchase bought. A gift
// that buys nothing by configuration stays "not_chat"; one the caps left
// with nothing is dropped as gift_capped, so the streamer sees it.
func (e *Engine) gift(now time.Time, ev *danmu.Event, d Decision) Decision {
	g := e.room.gifts
	if !g.Enabled() {
		return with(d, Ignored, ReasonNotChat)
	}
	d.Rule = string(ev.Kind)
	t, known := room.TargetOf(ev.Platform, ev.User)
	if !known {
		return with(d, Dropped, ReasonMaskedTarget) // credits need a sender to belong to
	}
	if e.blocked(ev.User) { // the streamer keeps them out: their gifts buy nothing
		return with(d, Dropped, ReasonBlocked)
	}
	voter := room.VoterOf(ev.Platform, ev.User)
	grant, out := g.Buy(now, voter, ev.Gift.ValueCents)
	switch out {
	case room.Nothing:
		return with(d, Ignored, ReasonNotChat)
	case room.Capped:
		return with(d, Dropped, ReasonGiftCapped)
	}
	// A muted viewer keeps the credits, which serve once the mute ends,
	// but neither takes 包场 nor runs a pattern now: both are given back.
	withheld := ""
	if until, muted := e.muted(now, ev.Platform, ev.User); muted {
		if grant.Exclusive > 0 {
			g.RefundExclusive(now, voter, grant.Exclusive)
			grant.Exclusive = 0
		}
		if grant.Pattern != "" {
			g.RefundPattern(now, voter)
			withheld, grant.Pattern = grant.Pattern, ""
		}
		if grant.Priority == 0 && grant.Extra == 0 {
			d.Until, d.RetryAfter = until, until.Sub(now)
			return with(d, Dropped, ReasonTimeout)
		}
	}
	d.Grant = &Grant{Gift: ev.Gift.Name, Count: ev.Gift.Count, ValueCents: ev.Gift.ValueCents,
		Priority: grant.Priority, Extra: grant.Extra, Exclusive: grant.Exclusive, Pattern: grant.Pattern}
	if grant.Priority > 0 || grant.Extra > 0 {
		d.Until = now.Add(e.rules.room.gifts.CreditFor)
	}
	if grant.Exclusive > 0 {
		start, ok := e.room.excl.Buy(now, t, grant.Exclusive)
		if ok {
			d.Until = start.Add(grant.Exclusive)
		} else { // 16 spells already wait: not bought, not counted
			g.RefundExclusive(now, voter, grant.Exclusive)
			d.Grant.Exclusive = 0
		}
	}
	d = with(d, Accepted, ReasonGift)
	switch {
	case grant.Pattern != "": // after the gift's own decision
		ev := *ev // after runs within handle, but keeps its own copy all the same
		e.after = func() { e.giftPattern(now, &ev, d, grant.Pattern) }
	case withheld != "":
		e.after = func() {
			pd := d
			pd.Rule, pd.Grant, pd.Repeat = withheld, nil, 1
			e.emit(with(pd, Dropped, ReasonTimeout))
		}
	}
	return d
}

// blocked reports whether the sender is on the blocklist; the owner never
// is.
func (e *Engine) blocked(u danmu.User) bool {
	return u.Role.Rank() < danmu.RoleOwner.Rank() && e.room.block.User(u)
}

// muted reports until when a viewer is muted at now; moderators and the
// owner never are.
func (e *Engine) muted(now time.Time, platform string, u danmu.User) (time.Time, bool) {
	if u.Role.Rank() >= danmu.RoleModerator.Rank() {
		return time.Time{}, false
	}
	return e.room.mutes.Muted(now, platform, u)
}

// giftPattern queues the bought pattern ahead of the queue, under the
// global pacing; the gift decision says what became of it.
//
// A pattern that does not run is given back to the day's pattern caps
// (drop refunds it), so the sender's next such gift buys it again.
func (e *Engine) giftPattern(now time.Time, ev *danmu.Event, d Decision, pattern string) {
	steps, ok := e.sequence(pattern)
	pd := d
	pd.Rule, pd.Grant, pd.Repeat = pattern, nil, 1
	j := job{dec: pd, steps: steps, voter: room.VoterOf(ev.Platform, ev.User), priority: true,
		ledger: e.room.gifts, pattern: true}
	var refused actuators.Reason
	switch {
	case !ok:
		refused = ReasonBadValue
	case e.stopped:
		refused = ReasonStopped
	case e.paused: // chat control is paused: a bought pattern waits no more than a command
		refused = ReasonPaused
	case !e.limiter.AllowGlobal(now, 1).OK:
		refused = ReasonRateGlobal
	case !e.exec.fits(j.voter):
		old, freed := e.exec.makeRoom()
		if !freed { // every place is bought already
			refused = ReasonQueueFull
			break
		}
		e.drop(now, &old, ReasonQueueFull)
	}
	if refused != "" {
		e.drop(now, &j, refused)
		return
	}
	j.dec = with(pd, Accepted, ReasonPriority)
	// Under fair the pattern takes the place of the sender's waiting
	// command, under latest of the waiting one unless a gift bought that
	// one too: the one replaced is told.
	old, replaced, queued := e.exec.push(j)
	if replaced {
		e.drop(now, &old, ReasonSuperseded)
	}
	if !queued {
		e.drop(now, &j, ReasonQueueFull)
		return
	}
	e.emit(j.dec)
}

// sequence returns the steps of a named sequence.
func (e *Engine) sequence(name string) ([]step, bool) {
	steps, err := resolve(e.rules.file, config.Action{Sequence: name})
	return steps, err == nil
}
