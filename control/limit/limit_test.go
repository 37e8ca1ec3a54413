package limit

import (
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

const (
	ms     = time.Millisecond
	viewer = danmu.RoleViewer
	mod    = danmu.RoleModerator
	owner  = danmu.RoleOwner
)

// req is one Allow call and the decision it must get, like x/time/rate's
// allow tables.
type req struct {
	at    time.Duration // since t0
	user  string
	role  danmu.Role
	cmd   int
	cost  int
	ok    bool
	scope Scope
	retry time.Duration
}

func allowed(at time.Duration, user string, role danmu.Role, cmd, cost int) req {
	return req{at: at, user: user, role: role, cmd: cmd, cost: cost, ok: true}
}

func refused(at time.Duration, user string, role danmu.Role, cmd, cost int, s Scope, retry time.Duration) req {
	return req{at: at, user: user, role: role, cmd: cmd, cost: cost, scope: s, retry: retry}
}

func mustNew(t testing.TB, cfg Config, cmds ...CommandLimit) *Limiter {
	t.Helper()
	l, err := New(cfg, cmds)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return l
}

func run(t *testing.T, l *Limiter, reqs []req) {
	t.Helper()
	for i, r := range reqs {
		got := l.Allow(t0.Add(r.at), r.user, r.role, r.cmd, r.cost)
		want := Decision{OK: r.ok, Scope: r.scope, RetryAfter: r.retry}
		if got != want {
			t.Fatalf("#%d at %v %s/%s cmd %d cost %d: got %+v, want %+v",
				i, r.at, r.user, r.role, r.cmd, r.cost, got, want)
		}
	}
}

var (
	left  = CommandLimit{Name: "left", Cooldown: 2 * time.Second}
	laser = CommandLimit{Name: "laser"}
)

func TestAllow(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		cmds []CommandLimit
		reqs []req
	}{
		{"zero config limits nothing", Config{}, nil, []req{
			allowed(0, "a", viewer, 0, 1),
			allowed(0, "a", viewer, 0, 5),
			allowed(0, "a", viewer, -1, 1),
		}},
		{"global pacing", Config{Global: Rate{Every: 100 * ms, Burst: 2}}, nil, []req{
			allowed(0, "a", viewer, 0, 1),
			allowed(0, "b", viewer, 0, 1),
			refused(0, "c", viewer, 0, 1, ScopeGlobal, 100*ms),
			refused(50*ms, "c", viewer, 0, 1, ScopeGlobal, 50*ms),
			allowed(100*ms, "c", viewer, 0, 1),
			refused(100*ms, "a", viewer, 0, 2, ScopeGlobal, 200*ms),
			allowed(300*ms, "a", viewer, 0, 2),
		}},
		{"burst 0 means 1", Config{Global: Rate{Every: time.Second}}, nil, []req{
			allowed(0, "a", viewer, 0, 1),
			refused(0, "b", viewer, 0, 1, ScopeGlobal, time.Second),
		}},
		{"cost over burst leaves debt", Config{Global: Rate{Every: 100 * ms, Burst: 2}}, nil, []req{
			allowed(0, "a", viewer, 0, 5),
			refused(0, "b", viewer, 0, 1, ScopeGlobal, 400*ms),
			allowed(400*ms, "b", viewer, 0, 1),
			refused(400*ms, "c", viewer, 0, 3, ScopeGlobal, 200*ms),
			allowed(600*ms, "c", viewer, 0, 3),
		}},
		{"cost below 1 counts 1", Config{Global: Rate{Every: 100 * ms, Burst: 1}}, nil, []req{
			allowed(0, "a", viewer, 0, 0),
			refused(0, "a", viewer, 0, -3, ScopeGlobal, 100*ms),
		}},
		{"user cooldown boundaries", Config{UserCooldown: time.Second}, nil, []req{
			allowed(0, "a", viewer, 0, 1),
			refused(500*ms, "a", viewer, 0, 1, ScopeUser, 500*ms),
			allowed(500*ms, "b", viewer, 0, 1),
			refused(999*ms, "a", viewer, 0, 1, ScopeUser, 1*ms),
			allowed(time.Second, "a", viewer, 0, 1),
			refused(time.Second, "b", viewer, 0, 1, ScopeUser, 500*ms),
			refused(1999*ms, "a", viewer, 0, 3, ScopeUser, 1*ms),
		}},
		{"command cooldown", Config{}, []CommandLimit{left, laser}, []req{
			allowed(0, "a", viewer, 0, 1),
			refused(time.Second, "b", viewer, 0, 1, ScopeCommand, time.Second),
			allowed(time.Second, "b", viewer, 1, 1),
			allowed(time.Second, "b", viewer, 1, 1),
			allowed(time.Second, "b", viewer, -1, 1),
			allowed(time.Second, "b", viewer, 99, 1),
			allowed(2*time.Second, "b", viewer, 0, 1),
		}},
		{"bypass skips cooldowns, not pacing", Config{
			Global:       Rate{Every: 100 * ms, Burst: 1},
			UserCooldown: time.Second,
			Bypass:       []danmu.Role{mod, owner},
		}, []CommandLimit{left, laser}, []req{
			allowed(0, "a", viewer, 0, 1),
			allowed(100*ms, "m", mod, 0, 1),
			refused(150*ms, "m", mod, 0, 1, ScopeGlobal, 50*ms),
			refused(200*ms, "b", viewer, 0, 1, ScopeCommand, 1900*ms), // the moderator's use counts
			allowed(200*ms, "o", owner, 0, 1),
			refused(250*ms, "a", viewer, 1, 1, ScopeUser, 750*ms), // longest wait wins over global's 50ms
			allowed(300*ms, "m", mod, 1, 1),
		}},
		{"unknown role bypasses nothing", Config{
			UserCooldown: time.Second,
			Bypass:       []danmu.Role{mod},
		}, nil, []req{
			allowed(0, "x", "", 0, 1),
			refused(0, "x", "admin", 0, 1, ScopeUser, time.Second),
		}},
		{"refusals consume nothing", Config{
			Global:       Rate{Every: 100 * ms, Burst: 1},
			UserCooldown: time.Second,
		}, []CommandLimit{left}, []req{
			allowed(0, "a", viewer, -1, 1),
			refused(100*ms, "a", viewer, -1, 1, ScopeUser, 900*ms),
			allowed(100*ms, "b", viewer, 0, 1), // a's refusal left the token
			refused(150*ms, "c", viewer, -1, 1, ScopeGlobal, 50*ms),
			allowed(200*ms, "c", viewer, -1, 1), // no cooldown from the refusal
			refused(300*ms, "d", viewer, 0, 1, ScopeCommand, 1800*ms),
			allowed(300*ms, "d", viewer, -1, 1), // nor from the command refusal
		}},
		{"time going backwards", Config{UserCooldown: time.Second}, nil, []req{
			allowed(time.Second, "a", viewer, 0, 1),
			refused(500*ms, "a", viewer, 0, 1, ScopeUser, time.Second),
			allowed(2*time.Second, "a", viewer, 0, 1),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run(t, mustNew(t, tt.cfg, tt.cmds...), tt.reqs)
		})
	}
}

// TestRetryAfterIsEnough checks that a lone caller retrying exactly after
// RetryAfter is let in, for awkward rates where float rounding could bite.
func TestRetryAfterIsEnough(t *testing.T) {
	for _, every := range []time.Duration{7 * ms, 100 * ms, 333 * ms, time.Second / 3, time.Second / 7, 1234567 * time.Nanosecond, 3 * time.Hour / 7} {
		for burst := 1; burst <= 4; burst++ {
			for cost := 1; cost <= 6; cost++ {
				l := mustNew(t, Config{Global: Rate{Every: every, Burst: burst}, UserCooldown: every / 2})
				now := t0
				for i := 0; i < 20; i++ {
					d := l.Allow(now, "a", viewer, 0, cost)
					if d.OK {
						now = now.Add(every / 5)
						continue
					}
					if d.RetryAfter > 2 {
						// Tight too: two nanoseconds early is still too early.
						if e := l.Allow(now.Add(d.RetryAfter-2), "a", viewer, 0, cost); e.OK {
							t.Fatalf("every %v burst %d cost %d: allowed before RetryAfter %v", every, burst, cost, d.RetryAfter)
						}
					}
					now = now.Add(d.RetryAfter)
					if d := l.Allow(now, "a", viewer, 0, cost); !d.OK {
						t.Fatalf("every %v burst %d cost %d: refused %+v right after RetryAfter", every, burst, cost, d)
					}
				}
			}
		}
	}
}

func TestAllowUserKeys(t *testing.T) {
	l := mustNew(t, Config{UserCooldown: time.Second})
	u := func(id string, masked bool) danmu.User {
		return danmu.User{ID: id, Role: viewer, Masked: masked}
	}
	steps := []struct {
		platform string
		user     danmu.User
		ok       bool
	}{
		{"bilibili", u("", false), true},
		{"bilibili", u("0", false), false},     // anonymous share one key
		{"bilibili", u("42", true), false},     // masked counts as anonymous
		{"douyu", u("0", false), true},         // per platform
		{"bilibili", u("42", false), true},     // a real id is its own key
		{"douyu", u("42", false), true},        // even if another platform has it
		{"bilibili", u("42", false), false},    // and it cools down
		{"bilibili", u("\x01", false), true},   // no id collides with the anonymous key
		{"bilibili\x00", u("42", false), true}, // nor platform/id boundaries
		{"bilibili\x00\x00", u("0", false), true},
		{"bilibili", u("\x00\x01", false), true},
	}
	for i, s := range steps {
		d := l.AllowUser(t0, s.platform, s.user, 0, 1)
		if d.OK != s.ok {
			t.Fatalf("#%d %q %+v: got %+v, want ok=%v", i, s.platform, s.user, d, s.ok)
		}
	}
	if got, want := l.Users(), 8; got != want {
		t.Errorf("Users() = %d, want %d", got, want)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	cfg := Config{
		Global:       Rate{Every: -1, Burst: -1},
		UserCooldown: -time.Second,
		MaxUsers:     -1,
		Bypass:       []danmu.Role{"admin"},
	}
	cmds := []CommandLimit{{Name: ""}, {Name: "a", Cooldown: -1}, {Name: "a"}}
	_, err := New(cfg, cmds)
	if err == nil {
		t.Fatal("New accepted a bad config")
	}
	for _, want := range []string{"global every", "global burst", "user cooldown",
		"max users", `role "admin"`, "#0 has no name", `"a" cooldown`, `"a" appears twice`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if _, err := New(Config{MaxUsers: MaxMaxUsers + 1}, nil); err == nil {
		t.Error("New accepted MaxUsers above MaxMaxUsers")
	}
}

func TestMaxCoolingUsers(t *testing.T) {
	tests := []struct {
		cfg  Config
		want int
	}{
		{Config{}, 0},
		{Config{UserCooldown: time.Second}, -1},
		{Config{UserCooldown: time.Second, Global: Rate{Every: 10 * ms, Burst: 5}}, 106},
		{Config{UserCooldown: 30 * time.Second, Global: Rate{Every: 200 * ms}}, 152},
		{Config{UserCooldown: time.Hour, Global: Rate{Every: 1}}, MaxMaxUsers + 1},
	}
	for i, tt := range tests {
		if got := tt.cfg.MaxCoolingUsers(); got != tt.want {
			t.Errorf("#%d %+v: MaxCoolingUsers() = %d, want %d", i, tt.cfg, got, tt.want)
		}
	}
}

func TestCooldownsReportsWhatIsLeft(t *testing.T) {
	l, err := New(Config{}, []CommandLimit{{Name: "laser", Cooldown: 3 * time.Second}, {Name: "left"}})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Unix(1000, 0)
	if got := l.Cooldowns(t0); len(got) != 0 {
		t.Fatalf("before any use: %v", got)
	}
	l.Allow(t0, "u1", danmu.RoleViewer, 0, 1)
	l.Allow(t0, "u2", danmu.RoleViewer, 1, 1)
	got := l.Cooldowns(t0.Add(time.Second))
	if len(got) != 1 || got["laser"] != 2*time.Second {
		t.Fatalf("1 s later: %v", got)
	}
	if got := l.Cooldowns(t0.Add(3 * time.Second)); len(got) != 0 {
		t.Fatalf("after the cooldown: %v", got)
	}
}

// AllowCommands, for a request with no sender (a vote's winner), waits
// for and starts the commands' cooldowns and charges the global pacing,
// and starts no user's cooldown.
func TestAllowCommands(t *testing.T) {
	l, err := New(Config{UserCooldown: 5 * time.Second}, []CommandLimit{{Name: "circle", Cooldown: 60 * time.Second}, {Name: "left"}})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Unix(1000, 0)
	if d := l.AllowCommands(t0, []int{0}, 1); !d.OK {
		t.Fatalf("first: %+v", d)
	}
	if d := l.AllowCommands(t0.Add(10*time.Second), []int{1, 0}, 1); d.OK || d.Scope != ScopeCommand || d.RetryAfter != 50*time.Second {
		t.Fatalf("10 s later: %+v, want the command cooldown with 50 s left", d)
	}
	if d := l.Allow(t0.Add(time.Second), "u1", danmu.RoleViewer, 1, 1); !d.OK {
		t.Fatalf("a viewer right after: %+v (no user cooldown may have started)", d)
	}
	if l.Users() != 1 {
		t.Fatalf("%d users remembered, want only u1", l.Users())
	}
}
