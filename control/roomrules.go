package control

import (
	"fmt"
	"time"

	"golang.org/x/text/width"

	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/room"
)

// roomRules is the compiled form of the room's sections of rules.yaml.
type roomRules struct {
	mod      config.Moderation
	gifts    room.GiftConfig
	vote     config.Vote
	meter    room.MeterConfig
	useMeter bool // some command votes on the policy
	// directory: keep a directory of the viewers who commanded lately:
	// some command names a viewer (禁言, 包场), or min_level is set and a
	// gift that does not carry its sender's level (Bilibili's) is judged
	// by the level they last showed in chat.
	directory bool
	combo     config.Combo
	// sep is the combo separator with its width folded (＋ is +), and
	// sepWide its full-width form, as Chinese input methods type it; the
	// same when it has none.
	sep, sepWide string
	lasers       []string // the switches 关激光 forbids
	loc          *time.Location
}

func compileRoom(f *config.File) (roomRules, error) {
	loc := time.Local
	if tz := f.Safety.Timezone; tz != "" {
		l, err := time.LoadLocation(tz)
		if err != nil {
			return roomRules{}, fmt.Errorf("safety.timezone: %w", err)
		}
		loc = l
	}
	g := f.Gifts
	rr := roomRules{mod: f.Moderation, vote: f.Play.Vote, combo: f.Play.Combo, loc: loc}
	rr.sep = width.Fold.String(f.Play.Combo.Separator)
	rr.sepWide = width.Widen.String(rr.sep)
	rr.gifts = room.GiftConfig{Free: grantOf(g.Free), FreePerDay: g.FreePerDay,
		PerSender: capsOf(g.PerSender), PerDay: capsOf(g.PerDay), CreditFor: g.CreditFor.D(),
		MaxSenders: g.MaxSenders, Location: loc}
	for _, t := range g.Tiers {
		rr.gifts.Tiers = append(rr.gifts.Tiers, room.Tier{MinCents: t.Min.Cents(), Grant: grantOf(t.GiftGrant)})
	}
	m := f.Play.Meter
	rr.meter = room.MeterConfig{Enter: float64(m.Enter), Leave: float64(m.Leave), Window: m.Window.D(),
		MinVotes: m.MinVotes, Cooldown: m.Cooldown.D(), MaxVoters: m.MaxVoters}
	for _, c := range f.Commands {
		rr.useMeter = rr.useMeter || c.Do.PolicyVote != ""
		rr.directory = rr.directory || c.Do.Moderate == "timeout" || c.Do.Moderate == "untimeout" || c.Do.Moderate == "exclusive"
	}
	rr.directory = rr.directory || f.Moderation.MinLevel > 0
	for name, sw := range f.Hardware.Switches {
		if sw.IsLaser(name) {
			rr.lasers = append(rr.lasers, name)
		}
	}
	return rr, nil
}

func grantOf(g config.GiftGrant) room.Grant {
	return room.Grant{Priority: g.Priority, Extra: g.Extra, Exclusive: g.Exclusive.D(), Pattern: g.Pattern}
}

func capsOf(c config.GiftCaps) room.Caps {
	return room.Caps{Priority: c.Priority, Extra: c.Extra, Exclusive: c.Exclusive.D(), Patterns: c.Patterns}
}
