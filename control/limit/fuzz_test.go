package limit

import (
	"strconv"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

var fuzzCmds = []CommandLimit{
	{Name: "left", Cooldown: 300 * ms},
	{Name: "laser", Cooldown: 0},
	{Name: "circle", Cooldown: 2 * time.Second},
}

// oracle is an unbounded reference for both cooldown scopes.
type oracle struct {
	userCD time.Duration
	users  map[string]time.Time
	cmds   map[int]time.Time
}

// waits returns how long user and command must still wait at now.
func (o *oracle) waits(now time.Time, user string, cmd int) (u, c time.Duration) {
	if last, ok := o.users[user]; ok && now.Sub(last) < o.userCD {
		u = o.userCD - now.Sub(last)
	}
	if cmd >= 0 && cmd < len(fuzzCmds) {
		if last, ok := o.cmds[cmd]; ok && now.Sub(last) < fuzzCmds[cmd].Cooldown {
			c = fuzzCmds[cmd].Cooldown - now.Sub(last)
		}
	}
	return u, c
}

type accept struct {
	at   time.Time
	cost int
}

// FuzzAllow drives a Limiter with arbitrary request sequences and checks it
// against the oracle: exactly in a configuration without global pacing or
// table pressure, by invariants in one with both.
func FuzzAllow(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 1, 10, 1, 0, 0, 1, 10, 2, 1, 1, 3, 200, 1, 2, 2, 9})
	f.Add([]byte{5, 0, 0, 0, 7, 0, 1, 0, 0, 7, 0, 2, 0, 0, 7, 255, 3, 1, 2, 200})
	f.Add([]byte("flood of many distinct users 左3 左左左 ｌｅｆｔ"))
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 512 { // 128 requests: long enough, and fast to minimize
			return
		}
		for _, exact := range []bool{true, false} {
			fuzzRun(t, ops, exact)
		}
	})
}

func fuzzRun(t *testing.T, ops []byte, exact bool) {
	cfg := Config{UserCooldown: 500 * ms, Bypass: []danmu.Role{owner}, MaxUsers: 64}
	if !exact {
		cfg.Global, cfg.MaxUsers = Rate{Every: 50 * ms, Burst: 3}, 3
	}
	l := mustNew(t, cfg, fuzzCmds...)
	o := &oracle{userCD: cfg.UserCooldown, users: map[string]time.Time{}, cmds: map[int]time.Time{}}
	roles := []danmu.Role{viewer, mod, owner, ""}
	now := t0
	var accepts []accept
	for ; len(ops) >= 4; ops = ops[4:] {
		now = now.Add(time.Duration(ops[0]) * 5 * ms)
		user := "u" + strconv.Itoa(int(ops[1]%16))
		role := roles[ops[1]>>4%4]
		cmd := int(ops[2]%5) - 1
		cost := int(ops[3] % 8)
		d := l.Allow(now, user, role, cmd, cost)
		checkDecision(t, o, now, user, role, cmd, d, exact)
		if d.OK {
			accepts = append(accepts, accept{now, min(max(cost, 1), MaxCost)})
			if role != owner {
				o.users[user] = now
			}
			o.cmds[cmd] = now
		}
		if l.Users() > l.cfg.MaxUsers {
			t.Fatalf("Users() = %d > MaxUsers %d", l.Users(), l.cfg.MaxUsers)
		}
	}
	if !exact {
		checkPacing(t, accepts, cfg.Global)
	}
}

func checkDecision(t *testing.T, o *oracle, now time.Time, user string, role danmu.Role, cmd int, d Decision, exact bool) {
	t.Helper()
	uw, cw := o.waits(now, user, cmd)
	if role == owner {
		uw, cw = 0, 0
	}
	where := func() string {
		return now.Sub(t0).String() + " " + user + "/" + string(role) + " cmd " + strconv.Itoa(cmd)
	}
	switch {
	case d.OK && (uw > 0 || cw > 0):
		t.Fatalf("%s: accepted while cooling down (user %v, command %v)", where(), uw, cw)
	case !d.OK && d.RetryAfter <= 0:
		t.Fatalf("%s: refused with RetryAfter %v", where(), d.RetryAfter)
	case !d.OK && d.RetryAfter < max(uw, cw):
		t.Fatalf("%s: RetryAfter %v shorter than the cooldown left %v", where(), d.RetryAfter, max(uw, cw))
	case d.Scope == ScopeUser && d.RetryAfter != uw, d.Scope == ScopeCommand && d.RetryAfter != cw:
		t.Fatalf("%s: %+v, but the oracle says user %v, command %v", where(), d, uw, cw)
	case d.Scope == ScopeUserTable && uw > 0:
		t.Fatalf("%s: table full for a user who is in it", where())
	case exact && !d.OK && uw == 0 && cw == 0:
		t.Fatalf("%s: refused %+v with no cooldown running", where(), d)
	}
}

// checkPacing checks that over every stretch of time the accepted cost
// stays within what the bucket could have held plus what it refilled.
func checkPacing(t *testing.T, accepts []accept, r Rate) {
	t.Helper()
	for i := range accepts {
		sum := 0
		for j := i; j < len(accepts); j++ {
			sum += accepts[j].cost
			span := accepts[j].at.Sub(accepts[i].at)
			if limit := max(r.Burst, accepts[j].cost) + int(span/r.Every); sum > limit {
				t.Fatalf("cost %d accepted within %v, more than %d", sum, span, limit)
			}
		}
	}
}
