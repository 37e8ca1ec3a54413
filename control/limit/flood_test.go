package limit

import (
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// model is a reference for the cooldown scopes: an unbounded map of when
// each user was last accepted, against which the bounded table is checked.
type model struct {
	cd   time.Duration
	last map[string]time.Time
}

// check fails t if d contradicts the model for user at now, then records
// an acceptance.
func (m *model) check(t *testing.T, now time.Time, user string, d Decision) {
	t.Helper()
	last, seen := m.last[user]
	cooling := seen && now.Sub(last) < m.cd
	switch {
	case d.OK && cooling:
		t.Fatalf("%v: %s accepted %v after their last command, inside the %v cooldown",
			now.Sub(t0), user, now.Sub(last), m.cd)
	case d.Scope == ScopeUser && !cooling:
		t.Fatalf("%v: %s refused for a cooldown they are not in (%+v)", now.Sub(t0), user, d)
	case d.Scope == ScopeUser && d.RetryAfter != last.Add(m.cd).Sub(now):
		t.Fatalf("%v: %s RetryAfter %v, want %v", now.Sub(t0), user, d.RetryAfter, last.Add(m.cd).Sub(now))
	case d.Scope == ScopeUserTable && cooling:
		t.Fatalf("%v: %s is cooling down but got %+v", now.Sub(t0), user, d)
	}
	if d.OK {
		m.last[user] = now
	}
}

func TestFloodOneUser(t *testing.T) {
	const cd = 2 * time.Second
	l := mustNew(t, Config{Global: Rate{Every: 100 * ms, Burst: 3}, UserCooldown: cd})
	m := &model{cd: cd, last: map[string]time.Time{}}
	var accepted []time.Duration
	for at := time.Duration(0); at < 10*time.Second; at += 10 * ms {
		d := l.Allow(t0.Add(at), "spammer", viewer, 0, 1)
		m.check(t, t0.Add(at), "spammer", d)
		if d.OK {
			accepted = append(accepted, at)
		}
	}
	for i, at := range accepted {
		if want := time.Duration(i) * cd; at != want {
			t.Fatalf("acceptance #%d at %v, want %v (every cooldown, no sooner, no later)", i, at, want)
		}
	}
	if len(accepted) != int(10*time.Second/cd) {
		t.Fatalf("%d acceptances, want %d", len(accepted), 10*time.Second/cd)
	}
	if l.Users() != 1 {
		t.Fatalf("Users() = %d, want 1", l.Users())
	}
}

// TestFlood100kUsersPaced is the sized case: global pacing bounds how many
// users can be cooling down at once, so MaxUsers is never the limit.
func TestFlood100kUsersPaced(t *testing.T) {
	const (
		n     = 100_000
		every = 10 * ms
		burst = 5
		cd    = time.Second
	)
	cfg := Config{Global: Rate{Every: every, Burst: burst}, UserCooldown: cd}
	max := cfg.MaxCoolingUsers()
	cfg.MaxUsers = max
	l := mustNew(t, cfg)
	m := &model{cd: cd, last: map[string]time.Time{}}
	var cost int
	step := 100 * time.Microsecond
	for i := range n {
		now := t0.Add(time.Duration(i) * step)
		user := "u" + strconv.Itoa(i)
		d := l.Allow(now, user, viewer, 0, 1)
		m.check(t, now, user, d)
		if d.Scope == ScopeUserTable {
			t.Fatalf("user %d: table full although sized for the pacing", i)
		}
		if d.OK {
			cost++
		}
		// Every so often an accepted user from 0.5s ago tries again and
		// must still be cooling down, whatever the table evicted since.
		if j := i - 5000; j >= 0 && i%97 == 0 {
			old := "u" + strconv.Itoa(j)
			m.check(t, now, old, l.Allow(now, old, viewer, 0, 1))
		}
		if u := l.Users(); u > max {
			t.Fatalf("Users() = %d > MaxUsers %d", u, max)
		}
	}
	elapsed := time.Duration(n-1) * step
	if lo, hi := int(elapsed/every), burst+int(elapsed/every); cost < lo || cost > hi {
		t.Fatalf("accepted %d commands in %v, want %d..%d from the global rate", cost, elapsed, lo, hi)
	}
}

// TestFlood100kUsersOverflow has no global pacing and a table too small
// for the flood: it must stay bounded and fail closed, never letting a
// user skip their cooldown.
func TestFlood100kUsersOverflow(t *testing.T) {
	const (
		n   = 100_000
		cd  = 50 * ms
		max = 30
	)
	l := mustNew(t, Config{UserCooldown: cd, MaxUsers: max})
	m := &model{cd: cd, last: map[string]time.Time{}}
	var ok, full int
	for i := range n {
		now := t0.Add(time.Duration(i) * ms / 2)
		user := "u" + strconv.Itoa(i%1000) // 1000 users cycling: each returns after 500ms
		d := l.Allow(now, user, viewer, 0, 1)
		m.check(t, now, user, d)
		// A user accepted 20ms ago retries: still cooling down.
		if j := i - 40; j >= 0 {
			prev := "u" + strconv.Itoa(j%1000)
			if _, seen := m.last[prev]; seen {
				m.check(t, now, prev, l.Allow(now, prev, viewer, 0, 1))
			}
		}
		switch {
		case d.OK:
			ok++
		case d.Scope == ScopeUserTable:
			full++
			if d.RetryAfter <= 0 || d.RetryAfter > cd {
				t.Fatalf("table-full RetryAfter %v outside (0, %v]", d.RetryAfter, cd)
			}
		}
		if u := l.Users(); u > max {
			t.Fatalf("Users() = %d > MaxUsers %d", u, max)
		}
	}
	// 100 arrivals per cooldown, 30 slots: about 30 accepted per 50ms.
	if want := int(time.Duration(n) * ms / 2 / cd * max); ok < want*9/10 || ok > want*11/10 {
		t.Errorf("accepted %d, want about %d (MaxUsers per cooldown)", ok, want)
	}
	if full == 0 {
		t.Error("the overflow path was never taken")
	}
}

func TestUsersForgetsExpired(t *testing.T) {
	l := mustNew(t, Config{UserCooldown: time.Second, Bypass: []danmu.Role{owner}})
	for i := range 100 {
		run(t, l, []req{allowed(time.Duration(i)*ms, "u"+strconv.Itoa(i), viewer, 0, 1)})
	}
	if l.Users() != 100 {
		t.Fatalf("Users() = %d, want 100", l.Users())
	}
	// Each call forgets up to pruneStep users whose cooldown is over.
	// u0..u9 expire at 1s..1.009s.
	for range 10 {
		run(t, l, []req{allowed(1009*ms, "o", owner, 0, 1)})
	}
	if got, want := l.Users(), 90; got != want {
		t.Fatalf("Users() = %d after u0..u9 expired, want %d", got, want)
	}
	for range 50 {
		run(t, l, []req{allowed(2*time.Second, "o", owner, 0, 1)})
	}
	if l.Users() != 0 {
		t.Fatalf("Users() = %d after a quiet spell, want 0", l.Users())
	}
}

// TestUserMemory checks that the table's memory is bounded by MaxUsers, not
// by how many distinct users ever wrote.
func TestUserMemory(t *testing.T) {
	const max = 10_000
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	l := mustNew(t, Config{UserCooldown: time.Hour, MaxUsers: max})
	for i := range max {
		l.Allow(t0, "u"+strconv.Itoa(i), viewer, 0, 1)
	}
	full := heap()
	for i := range 100_000 {
		l.Allow(t0.Add(time.Minute), "v"+strconv.Itoa(i), viewer, 0, 1)
	}
	after := heap()
	perUser := float64(full-before) / max
	t.Logf("%.0f bytes per tracked user; %d bytes more after 100k new users", perUser, int64(after)-int64(full))
	if perUser > 128 {
		t.Errorf("%.0f bytes per tracked user, want under 128", perUser)
	}
	if after > full+full/10 {
		t.Errorf("heap grew from %d to %d bytes under a flood of new users", full, after)
	}
	runtime.KeepAlive(l)
}
