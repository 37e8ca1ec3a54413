package limit

import (
	"encoding/binary"
	"hash/maphash"
	"sync"
	"time"

	"github.com/cattease/cattease/danmu"
)

// pruneStep is how many expired users each call may forget.
const pruneStep = 2

// Limiter applies global pacing, per-command and per-user cooldowns. Create
// it with New; it is safe for concurrent use.
type Limiter struct {
	seed maphash.Seed // fixed at New; keys users by a hash no viewer can aim at

	mu      sync.Mutex
	cfg     Config
	bypass  bypassSet
	global  *globalBucket
	cmds    []command
	users   userTable
	epoch   time.Time // the first time seen; stamps are offsets from it
	started bool
}

// command is one command's cooldown and when it was last accepted.
type command struct {
	CommandLimit
	last time.Duration
	used bool
}

// New returns a Limiter for cfg and commands. Allow refers to a command by
// its index in commands. It reports every problem in the configuration at
// once.
func New(cfg Config, commands []CommandLimit) (*Limiter, error) {
	if err := validate(cfg, commands); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	l := &Limiter{
		seed:   maphash.MakeSeed(),
		cfg:    cfg,
		bypass: newBypassSet(cfg.Bypass),
		global: newGlobal(cfg.Global),
		cmds:   make([]command, len(commands)),
		users:  newUserTable(cfg.MaxUsers),
	}
	for i, c := range commands {
		l.cmds[i].CommandLimit = c
	}
	return l, nil
}

// Allow decides one request at now: userKey identifies the sender (see
// AllowUser for how to build it), role decides bypass, command is an index
// into the commands last given to New or Reconfigure (out of range means the
// request has no command cooldown), and cost is the request's repeat count.
// Only an allowed request consumes tokens or starts cooldowns.
func (l *Limiter) Allow(now time.Time, userKey string, role danmu.Role, command, cost int) Decision {
	return l.allow(now, maphash.String(l.seed, userKey), role, command, cost)
}

// AllowUser is Allow with the user key built from platform and u: the
// platform and user id, or, for a user the platform does not identify
// (empty or "0" id, or Masked), one key shared by all such users of the
// platform. It does not allocate.
func (l *Limiter) AllowUser(now time.Time, platform string, u danmu.User, command, cost int) Decision {
	return l.allowSet(now, l.userKey(platform, u), u.Role, []int{command}, cost, true)
}

// AllowUserSet is AllowUser for a request that runs several commands (a
// combo such as 左3+上2): every command's cooldown must have ended, and an
// allowed request starts all of them.
func (l *Limiter) AllowUserSet(now time.Time, platform string, u danmu.User, commands []int, cost int) Decision {
	return l.allowSet(now, l.userKey(platform, u), u.Role, commands, cost, true)
}

// AllowGlobal checks and charges only the global pacing: for what a gift
// bought past the cooldowns.
func (l *Limiter) AllowGlobal(now time.Time, cost int) Decision {
	return l.allowSet(now, 0, "", nil, cost, false)
}

// AllowCommands checks and charges the commands' cooldowns and the global
// pacing, for no sender: a vote window's winner, which the room chose,
// still waits for the cooldowns its commands would for anyone.
func (l *Limiter) AllowCommands(now time.Time, commands []int, cost int) Decision {
	return l.allowSet(now, 0, "", commands, cost, false)
}

// userKey hashes platform and u into the key AllowUser describes.
func (l *Limiter) userKey(platform string, u danmu.User) uint64 {
	// Length-prefixed platform, then a tag: the encoding is injective, so
	// no id can be crafted to share another user's key.
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(platform)))
	var h maphash.Hash
	h.SetSeed(l.seed)
	h.Write(n[:])
	h.WriteString(platform)
	if u.Masked || u.ID == "" || u.ID == "0" {
		h.WriteByte(1)
	} else {
		h.WriteByte(0)
		h.WriteString(u.ID)
	}
	return h.Sum64()
}

func (l *Limiter) allow(now time.Time, key uint64, role danmu.Role, cmd, cost int) Decision {
	return l.allowSet(now, key, role, []int{cmd}, cost, true)
}

// allowSet decides a request for commands cmds at cost; user says whether
// it has a sender, key, whose cooldown and bypass count.
func (l *Limiter) allowSet(now time.Time, key uint64, role danmu.Role, cmds []int, cost int, user bool) Decision {
	cost = min(max(cost, 1), MaxCost)
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.offset(now)
	cd := l.cfg.UserCooldown
	if !user {
		cd = 0 // no sender: no user cooldown to check or start
	}
	l.users.prune(t, l.cfg.UserCooldown, pruneStep)
	bypass := user && l.bypass.has(role)
	var d Decision
	if !bypass && cd > 0 {
		w, s := l.users.check(key, t, cd)
		d = worse(d, w, s)
	}
	if !bypass {
		for _, i := range cmds {
			if c := l.command(i); c != nil && c.used {
				d = worse(d, wait(t, c.last, c.Cooldown), ScopeCommand)
			}
		}
	}
	d = worse(d, l.global.check(now, cost), ScopeGlobal)
	if d.RetryAfter > 0 {
		return d
	}
	if !bypass && cd > 0 {
		l.users.accept(key, t)
	}
	for _, i := range cmds {
		if c := l.command(i); c != nil {
			c.last, c.used = t, true
		}
	}
	l.global.charge(now, cost)
	return Decision{OK: true}
}

// worse returns d, or a refusal by scope s if waiting w is longer.
func worse(d Decision, w time.Duration, s Scope) Decision {
	if w > d.RetryAfter {
		return Decision{Scope: s, RetryAfter: w}
	}
	return d
}

// command returns command i, or nil when i is out of range.
func (l *Limiter) command(i int) *command {
	if i < 0 || i >= len(l.cmds) {
		return nil
	}
	return &l.cmds[i]
}

// offset turns now into an offset from the first time seen. Offsets keep
// the monotonic clock reading when now has one, so a wall-clock step (NTP
// on a Pi without a real-time clock) neither frees nor freezes cooldowns.
func (l *Limiter) offset(now time.Time) time.Duration {
	if !l.started {
		l.epoch, l.started = now, true
	}
	return now.Sub(l.epoch)
}

// Users returns how many users the Limiter remembers: at most MaxUsers,
// and after a quiet spell about the number still cooling down.
func (l *Limiter) Users() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.users.len()
}

// Cooldowns returns, for every command still cooling down at now, how long
// is left: what the overlay shows as "冷却中 3s".
func (l *Limiter) Cooldowns(now time.Time) map[string]time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.offset(now)
	out := map[string]time.Duration{}
	for _, c := range l.cmds {
		if !c.used {
			continue
		}
		if w := wait(t, c.last, c.Cooldown); w > 0 {
			out[c.Name] = w
		}
	}
	return out
}
