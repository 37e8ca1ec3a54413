package limit

import (
	"errors"
	"fmt"
	"time"

	"github.com/cattease/cattease/danmu"
)

// Defaults and bounds.
const (
	// DefaultMaxUsers is the per-user table size when Config.MaxUsers is 0.
	DefaultMaxUsers = 10000
	// MaxMaxUsers bounds Config.MaxUsers (the table indexes with int32).
	MaxMaxUsers = 1 << 24
	// MaxCost is the most global tokens one decision charges.
	MaxCost = 100
)

// Rate is a token bucket: one token every Every, at most Burst saved. Every
// 0 means no limit; Burst 0 with a nonzero Every means 1.
type Rate struct {
	Every time.Duration
	Burst int
}

// Config holds the global pacing, the per-user cooldown and who bypasses
// cooldowns. The zero value limits nothing.
type Config struct {
	// Global paces the commands of all users on all platforms together.
	Global Rate
	// UserCooldown is the minimum spacing between two accepted commands
	// from one user; 0 means none.
	UserCooldown time.Duration
	// MaxUsers bounds the per-user table; 0 means DefaultMaxUsers.
	MaxUsers int
	// Bypass lists the roles that skip user and command cooldowns (but
	// never global pacing). Nil means nobody.
	Bypass []danmu.Role
}

// CommandLimit is one command's cooldown: the minimum spacing between two
// accepted uses of the command by anyone; 0 means none.
type CommandLimit struct {
	Name     string
	Cooldown time.Duration
}

// Scope names the limit that refused a request.
type Scope string

// The scopes a Decision can name.
const (
	ScopeGlobal  Scope = "global"  // global pacing: the hardware is busy
	ScopeCommand Scope = "command" // this command is cooling down
	ScopeUser    Scope = "user"    // this user is cooling down
	// ScopeUserTable: the per-user table is full of users who are all
	// still cooling down, so a new user cannot be tracked (degraded mode).
	ScopeUserTable Scope = "user_table"
)

// Decision is the outcome of one request.
type Decision struct {
	OK bool
	// Scope is the limit that refused the request; empty when OK. When
	// several refuse, it is the one with the longest wait.
	Scope Scope
	// RetryAfter is how long until this same request would pass if nobody
	// else used the limits meanwhile; 0 when OK.
	RetryAfter time.Duration
}

// validate reports every problem in cfg and commands at once.
func validate(cfg Config, commands []CommandLimit) error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("limit: "+format, a...))
	}
	if cfg.Global.Every < 0 {
		bad("global every %v is negative", cfg.Global.Every)
	}
	if cfg.Global.Burst < 0 {
		bad("global burst %d is negative", cfg.Global.Burst)
	}
	if cfg.UserCooldown < 0 {
		bad("user cooldown %v is negative", cfg.UserCooldown)
	}
	if cfg.MaxUsers < 0 || cfg.MaxUsers > MaxMaxUsers {
		bad("max users %d is outside 0..%d", cfg.MaxUsers, MaxMaxUsers)
	}
	for _, r := range cfg.Bypass {
		if !r.Valid() {
			bad("bypass role %q is not one of viewer, moderator, owner", r)
		}
	}
	seen := make(map[string]bool, len(commands))
	for i, c := range commands {
		switch {
		case c.Name == "":
			bad("command #%d has no name", i)
		case seen[c.Name]:
			bad("command %q appears twice", c.Name)
		}
		seen[c.Name] = true
		if c.Cooldown < 0 {
			bad("command %q cooldown %v is negative", c.Name, c.Cooldown)
		}
	}
	return errors.Join(errs...)
}

// withDefaults returns a copy of cfg with zero values replaced by defaults.
func (cfg Config) withDefaults() Config {
	if cfg.MaxUsers == 0 {
		cfg.MaxUsers = DefaultMaxUsers
	}
	if cfg.Global.Every > 0 && cfg.Global.Burst == 0 {
		cfg.Global.Burst = 1
	}
	if cfg.Global.Every == 0 {
		cfg.Global.Burst = 0
	}
	cfg.Bypass = append([]danmu.Role(nil), cfg.Bypass...)
	return cfg
}

// bypassSet maps danmu.Role.Rank to whether that role bypasses cooldowns.
type bypassSet [3]bool

func newBypassSet(roles []danmu.Role) bypassSet {
	var s bypassSet
	for _, r := range roles {
		if k := r.Rank(); k >= 0 && k < len(s) {
			s[k] = true
		}
	}
	return s
}

func (s bypassSet) has(r danmu.Role) bool {
	k := r.Rank()
	return k >= 0 && k < len(s) && s[k]
}

// MaxCoolingUsers returns the most users that can be cooling down at once
// under c: the global bucket's burst plus what it refills during one user
// cooldown, plus one for the user being added. A MaxUsers at least this
// large means requests are never refused with ScopeUserTable (bypassing
// roles are never tracked, so they only lower the need). It returns -1 when
// the number is unbounded (no global pacing) and 0 when no user is tracked.
func (c Config) MaxCoolingUsers() int {
	c = c.withDefaults()
	switch {
	case c.UserCooldown <= 0:
		return 0
	case c.Global.Every <= 0:
		return -1
	}
	n := int64(c.UserCooldown/c.Global.Every) + int64(c.Global.Burst) + 1
	return int(min(n, MaxMaxUsers+1))
}
