package config

import (
	"fmt"
	"math"
	"strings"

	"golang.org/x/text/width"
	"gopkg.in/yaml.v3"
)

// Moderation is what moderators and the streamer can do from chat and the
// panel, and the standing blocklists. The commands themselves are ordinary
// commands whose action is `moderate:` (see Action.Moderate).
type Moderation struct {
	Timeout      Duration `yaml:"timeout"`       // 禁言 without a duration; default 10m
	MaxTimeout   Duration `yaml:"max_timeout"`   // longest 禁言; default 24h
	Exclusive    Duration `yaml:"exclusive"`     // 包场 without a duration; default 5m
	MaxExclusive Duration `yaml:"max_exclusive"` // longest 包场; default 1h
	// BlockUsers lists uids or display names whose commands are always
	// dropped (reason blocked); the owner is never blocked. An entry holds
	// on every platform, or on one when written after it
	// ("bilibili:12345678", see SplitPlatform); one of digits is a uid,
	// never a display name.
	BlockUsers []string `yaml:"block_users"`
	// BlockWords drops any message holding one of these words (reason
	// blocked_word), after the same normalization as commands.
	BlockWords []string `yaml:"block_words"`
	// MinLevel is the lowest platform account level (Bilibili UL, Douyu
	// level) that may command; 0 = any. Moderators and the owner pass.
	MinLevel int `yaml:"min_level"`
	// MaxTimeouts bounds the muted-viewer table; default 1000.
	MaxTimeouts int `yaml:"max_timeouts"`
}

// Gifts is the gift lane: what gifts, super chats and guard purchases buy.
// Everything bought still goes through the global pacing and the whole
// safety envelope. No tiers = the lane is off.
type Gifts struct {
	// Tiers: a gift buys the grant of the highest tier whose min it
	// reaches (the value is the whole gift: price × count).
	Tiers []GiftTier `yaml:"tiers"`
	// Free is the most a free gift (value 0) buys, at most FreePerDay
	// times per sender per day; default nothing.
	Free       GiftGrant `yaml:"free"`
	FreePerDay int       `yaml:"free_per_day"`
	// PerSender caps what one sender may be granted in a day.
	PerSender GiftCaps `yaml:"per_sender"`
	// PerDay caps what the whole room may be granted in a day.
	PerDay GiftCaps `yaml:"per_day"`
	// CreditFor: unused priority and extra credits lapse after this long;
	// default 1h.
	CreditFor Duration `yaml:"credit_for"`
	// MaxSenders bounds the table of senders' credits; default 10000.
	MaxSenders int `yaml:"max_senders"`
}

// GiftTier is a value threshold and what reaching it buys.
type GiftTier struct {
	Min       Money `yaml:"min"`
	GiftGrant `yaml:",inline"`
}

// GiftGrant is what a gift buys.
type GiftGrant struct {
	Priority  int      `yaml:"priority"`  // the sender's next N commands jump the queue
	Extra     int      `yaml:"extra"`     // N commands past the cooldowns
	Exclusive Duration `yaml:"exclusive"` // exclusive control (包场) for this long
	Pattern   string   `yaml:"pattern"`   // a sequence run for the sender
}

// Empty reports whether the grant buys nothing.
func (g GiftGrant) Empty() bool { return g == GiftGrant{} }

// GiftCaps bound grants in a day; 0 = no cap for that kind.
type GiftCaps struct {
	Priority  int      `yaml:"priority"`
	Extra     int      `yaml:"extra"`
	Exclusive Duration `yaml:"exclusive"`
	Patterns  int      `yaml:"patterns"`
}

// Vote configures the vote policy.
type Vote struct {
	Window    Duration `yaml:"window"`     // default 5s
	MaxVoters int      `yaml:"max_voters"` // per window; default 10000
}

// Meter lets chat switch between play.policy and the vote policy with
// commands whose action is `policy_vote:`.
type Meter struct {
	Enter     Percent  `yaml:"enter"`      // share for vote that starts it; default 75%
	Leave     Percent  `yaml:"leave"`      // share at or below which it ends; default 50%
	Window    Duration `yaml:"window"`     // each viewer's latest vote counts this long; default 60s
	MinVotes  int      `yaml:"min_votes"`  // no switch on fewer votes; default 5
	Cooldown  Duration `yaml:"cooldown"`   // between two switches; default 60s
	MaxVoters int      `yaml:"max_voters"` // default 10000
}

// Combo lets one message chain commands: 左3+上2.
type Combo struct {
	Separator string `yaml:"separator"` // default "+"; "off" disables combos
	MaxParts  int    `yaml:"max_parts"` // default 3
	MaxSteps  int    `yaml:"max_steps"` // total repeats over the parts; default 10
}

// Moderation verbs: the values of Action.Moderate.
var ModerateVerbs = []string{"timeout", "untimeout", "exclusive", "end_exclusive",
	"pause", "unpause", "laser_forbid", "laser_allow", "policy"}

// Money is an amount in CNY cents, written 30元, 0.5元, ¥30, 30 CNY,
// 30yuan or 30块.
type Money int64

// Cents returns m in cents.
func (m Money) Cents() int64 { return int64(m) }

func (m Money) String() string { return fmt.Sprintf("%d.%02d元", m/100, m%100) }

// ParseMoney parses an amount with its currency.
func ParseMoney(s string) (Money, error) {
	v, unit, ok := 0.0, "", false
	if rest, yen := strings.CutPrefix(strings.TrimSpace(width.Fold.String(s)), "¥"); yen { // ￥ folds to ¥
		v, unit, ok = measure(rest)
		ok = ok && unit == ""
	} else if v, unit, ok = measure(s); ok {
		switch strings.ToLower(unit) {
		case "元", "块", "cny", "yuan", "rmb":
		default:
			return 0, fmt.Errorf("config: money %q needs its unit, such as 30元 or ¥30", s)
		}
	}
	if !ok || v < 0 || v > 1e7 {
		return 0, fmt.Errorf("config: money %q is not an amount from 0 to 10,000,000元", s)
	}
	return Money(math.Round(v * 100)), nil
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (m *Money) UnmarshalYAML(n *yaml.Node) error { return decodeUnit(n, "money", ParseMoney, m) }

// Percent is a share from 0 to 1, written 75% or 0.75.
type Percent float64

// ParsePercent parses 75%, 75％ (full width, as a Chinese IME types it),
// 百分之75 or 0.75.
func ParsePercent(s string) (Percent, error) {
	num := strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(num, "百分之"); ok {
		num = rest + "%"
	}
	v, unit, ok := measure(num) // ％ folds to %
	scale := 1.0
	if unit == "%" {
		scale = 0.01
	}
	if !ok || unit != "" && unit != "%" || v*scale < 0 || v*scale > 1 {
		return 0, fmt.Errorf("config: share %q is not from 0%% to 100%%", s)
	}
	return Percent(v * scale), nil
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (p *Percent) UnmarshalYAML(n *yaml.Node) error {
	return decodeUnit(n, "percent", ParsePercent, p)
}

func init() {
	example["money"] = `"30元" or "¥0.5"`
	example["percent"] = `"75%"`
}
