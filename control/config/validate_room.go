package config

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/cattease/cattease/danmu"
)

// Bounds of the room's rules.
const (
	MaxTimeoutCap   = 7 * 24 * time.Hour
	MaxExclusiveCap = 24 * time.Hour
	MaxRoomTable    = 1_000_000 // any per-viewer table
	MaxGiftCredits  = 1000      // priority or extra commands one tier grants
	MaxComboParts   = 10
	MaxComboSteps   = 50
)

func validPolicy(p string) bool {
	return p == "queue" || p == "latest" || p == "vote" || p == "fair"
}

func (f *File) roomDefaults() {
	m := &f.Moderation
	m.Timeout = or(m.Timeout, Duration(10*time.Minute))
	m.MaxTimeout = or(m.MaxTimeout, Duration(24*time.Hour))
	m.Exclusive = or(m.Exclusive, Duration(5*time.Minute))
	m.MaxExclusive = or(m.MaxExclusive, Duration(time.Hour))
	m.MaxTimeouts = or(m.MaxTimeouts, 1000)
	g := &f.Gifts
	g.FreePerDay = or(g.FreePerDay, 1)
	g.CreditFor = or(g.CreditFor, Duration(time.Hour))
	g.MaxSenders = or(g.MaxSenders, 10000)
	p := &f.Play
	p.Vote.Window = or(p.Vote.Window, Duration(5*time.Second))
	p.Vote.MaxVoters = or(p.Vote.MaxVoters, 10000)
	p.Meter.Enter = or(p.Meter.Enter, 0.75)
	p.Meter.Leave = or(p.Meter.Leave, 0.5)
	p.Meter.Window = or(p.Meter.Window, Duration(time.Minute))
	p.Meter.MinVotes = or(p.Meter.MinVotes, 5)
	p.Meter.Cooldown = or(p.Meter.Cooldown, Duration(time.Minute))
	p.Meter.MaxVoters = or(p.Meter.MaxVoters, 10000)
	p.Combo.Separator = or(p.Combo.Separator, "+")
	p.Combo.MaxParts = or(p.Combo.MaxParts, 3)
	p.Combo.MaxSteps = or(p.Combo.MaxSteps, 10)
}

func (v *validator) room(f File) {
	v.moderation(f.Moderation)
	v.gifts(f)
	v.votes(f.Play)
	v.combo(f.Play.Combo)
	for i, c := range f.Commands {
		v.roomCommand(fmt.Sprintf("commands[%d]", i), c)
	}
}

func (v *validator) span(path string, d, lo, hi time.Duration) {
	if d <= lo || d > hi {
		v.add(path, "%v outside (%v, %v]", d, lo, hi)
	}
}

func (v *validator) count(path string, n, lo, hi int) {
	if n < lo || n > hi {
		v.add(path, "%d outside %d–%d", n, lo, hi)
	}
}

func (v *validator) moderation(m Moderation) {
	v.span("moderation.max_timeout", m.MaxTimeout.D(), 0, MaxTimeoutCap)
	v.span("moderation.timeout", m.Timeout.D(), 0, m.MaxTimeout.D())
	v.span("moderation.max_exclusive", m.MaxExclusive.D(), 0, MaxExclusiveCap)
	v.span("moderation.exclusive", m.Exclusive.D(), 0, m.MaxExclusive.D())
	v.count("moderation.max_timeouts", m.MaxTimeouts, 1, MaxRoomTable)
	v.count("moderation.min_level", m.MinLevel, 0, 1000)
	for i, w := range m.BlockWords {
		if len(w) == 0 || len(w) > MaxCommandLen {
			v.add(fmt.Sprintf("moderation.block_words[%d]", i), "a blocked word needs 1–%d bytes", MaxCommandLen)
		}
	}
	for i, u := range m.BlockUsers {
		v.blockUser(fmt.Sprintf("moderation.block_users[%d]", i), u)
	}
}

// blockUser checks an entry of block_users: a uid or a name, for every
// platform, or one of them after a platform ("bilibili:12345678").
func (v *validator) blockUser(path, u string) {
	if len(u) == 0 || len(u) > MaxCommandLen {
		v.add(path, "a blocked user needs 1–%d bytes (a uid or a name)", MaxCommandLen)
		return
	}
	switch p, _, ok := SplitPlatform(strings.TrimSpace(u)); {
	case ok:
	case slices.Contains(Platforms, p):
		v.add(path, "%q names no one: write a uid or a name after the platform, as in %s:12345678", u, p)
	default:
		v.add(path, "unknown platform %q in %q: the platforms are %s (as in bilibili:12345678); a bare uid or name is for every platform", p, u, strings.Join(Platforms, ", "))
	}
}

func (v *validator) gifts(f File) {
	g := f.Gifts
	for i, t := range g.Tiers {
		p := fmt.Sprintf("gifts.tiers[%d]", i)
		if t.Min <= 0 {
			v.add(p+".min", "a tier needs a min above 0元; free gifts are gifts.free")
		}
		if t.Empty() {
			v.add(p, "a tier buys nothing: give priority, extra, exclusive or pattern")
		}
		v.grant(p, t.GiftGrant, f)
	}
	v.grant("gifts.free", g.Free, f)
	v.count("gifts.free_per_day", g.FreePerDay, 1, 100)
	v.span("gifts.credit_for", g.CreditFor.D(), 0, 24*time.Hour)
	v.count("gifts.max_senders", g.MaxSenders, 1, MaxRoomTable)
	for _, c := range []struct {
		p string
		c GiftCaps
	}{{"gifts.per_sender", g.PerSender}, {"gifts.per_day", g.PerDay}} {
		if c.c.Priority < 0 || c.c.Extra < 0 || c.c.Exclusive < 0 || c.c.Patterns < 0 {
			v.add(c.p, "caps must not be negative (0 = no cap)")
		}
	}
}

func (v *validator) grant(p string, g GiftGrant, f File) {
	v.count(p+".priority", g.Priority, 0, MaxGiftCredits)
	v.count(p+".extra", g.Extra, 0, MaxGiftCredits)
	if d := g.Exclusive.D(); d < 0 || d > f.Moderation.MaxExclusive.D() {
		v.add(p+".exclusive", "exclusive %v outside 0–%v (moderation.max_exclusive)", d, f.Moderation.MaxExclusive)
	}
	if g.Pattern != "" {
		if _, ok := f.Sequences[g.Pattern]; !ok && v.intact("sequences."+g.Pattern) {
			v.add(p+".pattern", "unknown sequence %q", g.Pattern)
		}
	}
}

func (v *validator) votes(p Play) {
	v.span("play.vote.window", p.Vote.Window.D(), 0, time.Minute)
	v.count("play.vote.max_voters", p.Vote.MaxVoters, 1, MaxRoomTable)
	m := p.Meter
	if m.Enter <= 0.5 || m.Enter > 1 {
		v.add("play.meter.enter", "enter %.0f%% outside (50%%, 100%%]", float64(m.Enter)*100)
	}
	if m.Leave <= 0 || m.Leave >= m.Enter {
		v.add("play.meter.leave", "leave %.0f%% must be above 0%% and below enter", float64(m.Leave)*100)
	}
	v.span("play.meter.window", m.Window.D(), 0, time.Hour)
	v.count("play.meter.min_votes", m.MinVotes, 1, 10000)
	if c := m.Cooldown.D(); c < 0 || c > time.Hour {
		v.add("play.meter.cooldown", "cooldown %v outside 0–1h", c)
	}
	v.count("play.meter.max_voters", m.MaxVoters, 1, MaxRoomTable)
}

func (v *validator) combo(c Combo) {
	if c.Separator == "off" {
		return
	}
	bad := len(c.Separator) > 4
	for _, r := range c.Separator {
		bad = bad || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r)
	}
	if bad {
		v.add("play.combo.separator", "separator %q must be 1–4 bytes of punctuation such as + or ，, or off", c.Separator)
	}
	v.count("play.combo.max_parts", c.MaxParts, 1, MaxComboParts)
	v.count("play.combo.max_steps", c.MaxSteps, 1, MaxComboSteps)
}

func (v *validator) roomCommand(p string, c Command) {
	a := c.Do
	if a.Moderate != "" {
		if !slices.Contains(ModerateVerbs, a.Moderate) {
			v.add(p+".do.moderate", "unknown moderation %q (use %v)", a.Moderate, ModerateVerbs)
		}
		if c.Allow.Role.Rank() < danmu.RoleModerator.Rank() || c.Allow.Guard > 0 || c.Allow.Medal > 0 {
			v.add(p+".allow", "a moderation command must be allow: moderator or allow: owner (platform roles, never text)")
		}
	}
	if a.PolicyVote != "" && a.PolicyVote != "vote" && a.PolicyVote != "free" {
		v.add(p+".do.policy_vote", "policy_vote %q: use vote (the vote policy) or free (play.policy)", a.PolicyVote)
	}
}
