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
	if e.blocked(ev.Platform, ev.User) { // the streamer keeps them out: their gifts buy nothing
		return with(d, Dropped, ReasonBlocked)
	}
	voter := room.VoterOf(ev.Platform, ev.User)
	refusal, resumes := e.playRefusal(now) // before Buy: the credits' clock may stand still
	grant, out := g.Buy(now, voter, ev.Gift.ValueCents)
	switch out {
	case room.Nothing:
		return with(d, Ignored, ReasonNotChat)
	case room.Capped:
		return with(d, Dropped, ReasonGiftCapped)
	}
	// What the sender cannot have now is withheld: given back to the caps
	// and told, in a decision of its own after the gift's. A muted viewer
	// neither takes 包场 nor runs a pattern (the credits serve once the
	// mute ends). A sender below moderation.min_level takes no 包场: they
	// could not command in it, and it would hold everyone else off; their
	// pattern, which asks nothing of them, runs. While the play layer
	// refuses chat (quiet hours, the cat's rest) a pattern, a show for
	// now, does not run; 包场 and the credits wait with their clocks
	// stopped (see Exclusive.Hold and Gifts.Hold).
	var held []withheld
	if until, muted := e.muted(now, ev.Platform, ev.User); muted {
		held = e.withhold(now, voter, &grant, held, true, true, ReasonTimeout, until)
	} else {
		if e.giftBelowLevel(ev.Platform, ev.User, t) {
			held = e.withhold(now, voter, &grant, held, true, false, ReasonLevel, time.Time{})
		}
		if refusal != "" {
			held = e.withhold(now, voter, &grant, held, false, true, refusal, resumes)
		}
	}
	if grant.Empty() && len(held) > 0 {
		// Nothing left: the gift's own decision says why, and a part
		// withheld for another reason is told in a decision of its own.
		d = refusedUntil(now, d, held[0].reason, held[0].until)
		if len(held) > 1 {
			e.after = func() { e.tellWithheld(now, d, held[1:], held[0].reason) }
		}
		return d
	}
	// When the credits and 包场 start to count: now, or when play
	// resumes, as far as the play layer knows; zero when that is not
	// known (an emergency stop or a moderator's 暂停, which last until
	// lifted; quiet hours held until the clock is synchronised), and the
	// decision then names no end.
	from := now
	switch {
	case e.stopped || e.paused:
		from = time.Time{}
	case refusal != "":
		from = resumes
		if !resumes.IsZero() && resumes.Before(now) {
			from = now
		}
	}
	d.Grant = &Grant{Gift: ev.Gift.Name, Count: ev.Gift.Count, ValueCents: ev.Gift.ValueCents,
		Priority: grant.Priority, Extra: grant.Extra, Exclusive: grant.Exclusive, Pattern: grant.Pattern}
	if (grant.Priority > 0 || grant.Extra > 0) && !from.IsZero() {
		d.Until = from.Add(e.rules.room.gifts.CreditFor)
	}
	if grant.Exclusive > 0 {
		start, ok := e.room.excl.Buy(now, t, grant.Exclusive)
		switch {
		case !ok: // 16 spells already wait: not bought, not counted
			g.RefundExclusive(now, voter, grant.Exclusive)
			d.Grant.Exclusive = 0
		case from.IsZero():
			d.Until = time.Time{}
		default:
			d.Until = start.Add(from.Sub(now) + grant.Exclusive) // a held clock moves the whole line on
		}
	}
	d = with(d, Accepted, ReasonGift)
	if grant.Pattern != "" || len(held) > 0 { // after the gift's own decision
		ev := *ev // after runs within handle, but keeps its own copy all the same
		e.after = func() {
			e.tellWithheld(now, d, held, "")
			if grant.Pattern != "" {
				e.giftPattern(now, &ev, d, grant.Pattern)
			}
		}
	}
	return d
}

// withheld is part of a gift the sender cannot have now, and why.
type withheld struct {
	rule   string // "exclusive", or the pattern's name
	reason actuators.Reason
	until  time.Time // when the reason ends, if known
}

// tellWithheld tells the gift's event (d, its own decision) of each part
// in held, but for those withheld for told, the reason d already gives.
func (e *Engine) tellWithheld(now time.Time, d Decision, held []withheld, told actuators.Reason) {
	for _, w := range held {
		if w.reason == told {
			continue
		}
		wd := d
		wd.Rule, wd.Grant, wd.Repeat, wd.RetryAfter = w.rule, nil, 1, 0
		e.emit(refusedUntil(now, wd, w.reason, w.until))
	}
}

// withhold takes 包场 (excl) and the pattern (pattern) out of grant, gives
// them back to the day's caps and appends them to held for reason r.
func (e *Engine) withhold(now time.Time, v room.Voter, grant *room.Grant, held []withheld, excl, pattern bool,
	r actuators.Reason, until time.Time) []withheld {
	g := e.room.gifts
	if excl && grant.Exclusive > 0 {
		g.RefundExclusive(now, v, grant.Exclusive)
		grant.Exclusive = 0
		held = append(held, withheld{"exclusive", r, until})
	}
	if pattern && grant.Pattern != "" {
		g.RefundPattern(now, v, now)
		held = append(held, withheld{grant.Pattern, r, until})
		grant.Pattern = ""
	}
	return held
}

// blocked reports whether the sender is on the blocklist; the owner never
// is.
func (e *Engine) blocked(platform string, u danmu.User) bool {
	return u.Role.Rank() < danmu.RoleOwner.Rank() && e.room.block.User(platform, u)
}

// belowLevel reports whether the sender's platform level is below
// moderation.min_level; moderators and the owner never are, nor is a
// sender whose source does not carry the level (danmu.LevelUnknown: the
// Bilibili Open Platform): min_level cannot judge what it never sees,
// and refusing them would refuse the whole room.
func (e *Engine) belowLevel(u danmu.User) bool {
	return u.Role.Rank() < danmu.RoleModerator.Rank() && u.Level != danmu.LevelUnknown &&
		u.Level < e.rules.room.mod.MinLevel
}

// giftBelowLevel reports whether a gift's sender is below
// moderation.min_level, which withholds its 包场. Bilibili's gifts and
// guard purchases do not carry the account level (0 from the web,
// danmu.LevelUnknown from the Open Platform), so the level judged is the
// one the sender last showed in chat, the one their commands in the 包场
// would be judged by. A sender of unknown level who has not commanded
// lately, or whose chat carries no level either, is not judged: a paid
// 包场 is not withheld on a guess, and if their commands then show a
// level below the minimum, those are refused as for anyone else, and a
// moderator's 收场 ends it.
func (e *Engine) giftBelowLevel(platform string, u danmu.User, t room.Target) bool {
	if u.Level <= 0 && e.rules.room.mod.MinLevel > 0 {
		seen, ok := e.room.dir.User(platform, t)
		if !ok {
			return false
		}
		u.Level = seen.Level
		if seen.Role.Rank() > u.Role.Rank() { // a gift does not always say who moderates
			u.Role = seen.Role
		}
	}
	return e.belowLevel(u)
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
		pattern: true, bought: now}
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
	// Under fair the pattern replaces the sender's waiting command (and
	// runs ahead of the queue all the same), under latest the waiting one
	// unless a gift bought that one too: the one replaced is told.
	if !e.queue(now, j) {
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
