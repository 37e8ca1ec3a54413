package limit

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// TestLiveClock runs the Limiter the way the engine does, on time.Now,
// inside a synctest bubble where time.Sleep advances a fake clock at once.
func TestLiveClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := mustNew(t, Config{Global: Rate{Every: 200 * ms, Burst: 1}, UserCooldown: time.Second}, left)
		steps := []struct {
			sleep time.Duration
			user  string
			cmd   int
			want  Decision
		}{
			{0, "a", -1, Decision{OK: true}},
			{100 * ms, "b", -1, Decision{Scope: ScopeGlobal, RetryAfter: 100 * ms}},
			{100 * ms, "b", 0, Decision{OK: true}},
			{500 * ms, "b", -1, Decision{Scope: ScopeUser, RetryAfter: 500 * ms}},
			{300 * ms, "a", 0, Decision{Scope: ScopeCommand, RetryAfter: 1200 * ms}},
			{0, "a", -1, Decision{OK: true}},
			{600 * ms, "a", 0, Decision{Scope: ScopeCommand, RetryAfter: 600 * ms}},
			{600 * ms, "a", 0, Decision{OK: true}},
		}
		for i, s := range steps {
			time.Sleep(s.sleep)
			if got := l.Allow(time.Now(), s.user, viewer, s.cmd, 1); got != s.want {
				t.Fatalf("#%d: got %+v, want %+v", i, got, s.want)
			}
		}
	})
}

// TestConcurrentAllow checks under -race that concurrent callers never let
// more through than the global bucket holds.
func TestConcurrentAllow(t *testing.T) {
	const burst = 50
	l := mustNew(t, Config{Global: Rate{Every: time.Hour, Burst: burst}, UserCooldown: time.Minute, MaxUsers: 16})
	var (
		wg sync.WaitGroup
		mu sync.Mutex
		ok int
	)
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				d := l.Allow(t0, string(rune('a'+g))+string(rune(i)), viewer, -1, 1)
				if d.OK {
					mu.Lock()
					ok++
					mu.Unlock()
				}
				if i%50 == 0 {
					_ = l.Users()
				}
			}
		})
	}
	wg.Go(func() {
		cfg := Config{Global: Rate{Every: time.Hour, Burst: burst}, UserCooldown: time.Minute, MaxUsers: 16}
		for range 20 {
			if err := l.Reconfigure(t0, cfg, []CommandLimit{left}); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	if ok > 16 {
		t.Fatalf("%d accepted with 16 user slots, all cooling down for a minute", ok)
	}
	if u := l.Users(); u != ok {
		t.Fatalf("Users() = %d, want one per acceptance (%d)", u, ok)
	}
}
