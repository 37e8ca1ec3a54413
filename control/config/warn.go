package config

import (
	"github.com/cattease/cattease/control/limit"
)

// Warnings lists what in a valid file works, but likely not as meant:
// `cattease check` prints them after its ok, and run starts all the same.
// Each is located like a problem ("file:line:col: path: warning: …").
func (f *File) Warnings() Errors {
	v := &validator{}
	f.warnLimits(v)
	f.warnLevel(v)
	var out Errors
	for _, p := range v.probs {
		out = append(out, f.At(p.path, p.msg))
	}
	return out
}

// warnLimits: with max_users below what the global pacing lets cool down
// at once, a busy room fills the table of cooldowns and new viewers are
// refused until one ends (docs/limits.md).
func (f *File) warnLimits(v *validator) {
	l := f.Limits
	c := limit.Config{Global: limit.Rate{Every: l.Global.Every.D(), Burst: l.Global.Burst},
		UserCooldown: l.UserCooldown.D(), MaxUsers: l.MaxUsers}
	if need := c.MaxCoolingUsers(); need > 0 && l.MaxUsers < need {
		v.add("limits.max_users", "warning: max_users %d is below %d, the most viewers the global pacing lets cool down at once (burst + user_cooldown / every + 1): when the table is full, a new viewer is refused (user_table_full) until a cooldown ends", l.MaxUsers, need)
	}
}

// warnLevel: the Bilibili Open Platform carries no account level, so
// min_level judges none of its viewers.
func (f *File) warnLevel(v *validator) {
	s := f.Sources
	if f.Moderation.MinLevel > 0 && s.BilibiliOpen.Code != "" && s.Bilibili.Room == "" && s.Douyu.Room == "" {
		v.add("moderation.min_level", "warning: min_level does not apply to Bilibili Open Platform chat, which carries no account level: with sources.bilibili_open the only chat source here, it refuses nobody")
	}
}
