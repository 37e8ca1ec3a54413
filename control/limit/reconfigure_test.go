package limit

import (
	"strconv"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

func reconfigure(t *testing.T, l *Limiter, at time.Duration, cfg Config, cmds ...CommandLimit) {
	t.Helper()
	if err := l.Reconfigure(t0.Add(at), cfg, cmds); err != nil {
		t.Fatalf("Reconfigure: %v", err)
	}
}

func TestReconfigureKeepsUserState(t *testing.T) {
	l := mustNew(t, Config{UserCooldown: time.Second})
	run(t, l, []req{allowed(0, "a", viewer, 0, 1)})
	reconfigure(t, l, 100*ms, Config{UserCooldown: 2 * time.Second})
	run(t, l, []req{
		refused(1500*ms, "a", viewer, 0, 1, ScopeUser, 500*ms), // the new cooldown, from the old start
		allowed(2*time.Second, "a", viewer, 0, 1),
	})
	reconfigure(t, l, 2100*ms, Config{})
	if l.Users() != 0 {
		t.Fatalf("Users() = %d after turning the user cooldown off", l.Users())
	}
	run(t, l, []req{allowed(2100*ms, "a", viewer, 0, 1)})
}

func TestReconfigureKeepsCommandsByName(t *testing.T) {
	right := CommandLimit{Name: "right", Cooldown: 2 * time.Second}
	l := mustNew(t, Config{}, left, right)
	run(t, l, []req{allowed(0, "a", viewer, 0, 1)}) // left
	reconfigure(t, l, 0, Config{}, right, left, CommandLimit{Name: "up", Cooldown: time.Second})
	run(t, l, []req{
		refused(time.Second, "b", viewer, 1, 1, ScopeCommand, time.Second), // left moved to #1
		allowed(time.Second, "b", viewer, 0, 1),                            // right never used
		allowed(time.Second, "b", viewer, 2, 1),                            // up is new
	})
	reconfigure(t, l, time.Second, Config{}, CommandLimit{Name: "left", Cooldown: 500 * ms})
	run(t, l, []req{allowed(time.Second, "c", viewer, 0, 1)}) // shorter cooldown applies at once
}

func TestReconfigureKeepsGlobalTokens(t *testing.T) {
	l := mustNew(t, Config{Global: Rate{Every: 100 * ms, Burst: 3}})
	run(t, l, []req{allowed(0, "a", viewer, 0, 3)})
	reconfigure(t, l, 0, Config{Global: Rate{Every: 100 * ms, Burst: 5}})
	run(t, l, []req{refused(0, "a", viewer, 0, 1, ScopeGlobal, 100*ms)}) // not a fresh full bucket
	reconfigure(t, l, 100*ms, Config{Global: Rate{Every: time.Second, Burst: 5}})
	run(t, l, []req{
		allowed(100*ms, "a", viewer, 0, 1), // the token saved under the old rate
		refused(100*ms, "a", viewer, 0, 1, ScopeGlobal, time.Second),
	})
	reconfigure(t, l, 100*ms, Config{})
	run(t, l, []req{allowed(100*ms, "a", viewer, 0, 5)})
	reconfigure(t, l, 100*ms, Config{Global: Rate{Every: time.Second, Burst: 2}})
	run(t, l, []req{
		allowed(100*ms, "a", viewer, 0, 2), // pacing turned on starts full
		refused(100*ms, "a", viewer, 0, 1, ScopeGlobal, time.Second),
	})
}

func TestReconfigureRejectsBadConfig(t *testing.T) {
	l := mustNew(t, Config{UserCooldown: time.Second}, left)
	run(t, l, []req{allowed(0, "a", viewer, 0, 1)})
	bad := Config{UserCooldown: -1, Bypass: []danmu.Role{"god"}}
	if err := l.Reconfigure(t0, bad, []CommandLimit{laser, laser}); err == nil {
		t.Fatal("Reconfigure accepted a bad config")
	}
	run(t, l, []req{ // the old rules and state are untouched
		refused(500*ms, "a", viewer, -1, 1, ScopeUser, 500*ms),
		refused(500*ms, "b", viewer, 0, 1, ScopeCommand, 1500*ms),
		refused(500*ms, "b", "god", 0, 1, ScopeCommand, 1500*ms),
	})
}

func TestReconfigureBypass(t *testing.T) {
	l := mustNew(t, Config{UserCooldown: time.Second})
	run(t, l, []req{
		allowed(0, "m", mod, 0, 1),
		refused(0, "m", mod, 0, 1, ScopeUser, time.Second),
	})
	reconfigure(t, l, 0, Config{UserCooldown: time.Second, Bypass: []danmu.Role{mod}})
	run(t, l, []req{allowed(0, "m", mod, 0, 1)})
}

func TestReconfigureShrinksTable(t *testing.T) {
	const n = 10
	l := mustNew(t, Config{UserCooldown: time.Hour, MaxUsers: n})
	for i := range n {
		run(t, l, []req{allowed(time.Duration(i)*ms, "u"+strconv.Itoa(i), viewer, 0, 1)})
	}
	reconfigure(t, l, n*ms, Config{UserCooldown: time.Hour, MaxUsers: 4})
	if l.Users() != 4 {
		t.Fatalf("Users() = %d after shrinking to 4", l.Users())
	}
	at := time.Duration(n) * ms
	for i := range n {
		u := "u" + strconv.Itoa(i)
		if i >= n-4 { // the most recent four are kept, still cooling down
			run(t, l, []req{refused(at, u, viewer, 0, 1, ScopeUser, time.Hour-at+time.Duration(i)*ms)})
			continue
		}
		// The rest are forgotten; the table is full of cooling users, so
		// they wait for the oldest kept one, not for their own cooldown.
		run(t, l, []req{refused(at, u, viewer, 0, 1, ScopeUserTable, time.Hour-at+(n-4)*ms)})
	}
	reconfigure(t, l, at, Config{UserCooldown: time.Hour, MaxUsers: 8})
	run(t, l, []req{allowed(at, "new", viewer, 0, 1)})
	if l.Users() != 5 {
		t.Fatalf("Users() = %d after growing to 8 and one accept", l.Users())
	}
}
