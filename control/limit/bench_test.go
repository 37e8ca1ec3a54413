package limit

import (
	"strconv"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

const benchUsers = 100_000

func benchKeys() []string {
	keys := make([]string, benchUsers)
	for i := range keys {
		keys[i] = "bilibili:" + strconv.Itoa(1_000_000_000+i)
	}
	return keys
}

// benchAllow cycles Allow over keys, advancing the clock by step per call,
// after one warm-up pass so the table has reached its steady size.
func benchAllow(b *testing.B, cfg Config, keys []string, step time.Duration, cost int) {
	l := mustNew(b, cfg, left, laser)
	now := t0
	for i := range max(len(keys), 20_000) {
		l.Allow(now, keys[i%len(keys)], viewer, i%3-1, cost)
		now = now.Add(step)
	}
	var i, ok int
	for b.Loop() {
		if l.Allow(now, keys[i%len(keys)], viewer, i%3-1, cost).OK {
			ok++
		}
		now = now.Add(step)
		i++
	}
	b.ReportMetric(float64(ok)/float64(i), "accepted/op")
	b.ReportMetric(float64(l.Users()), "users")
}

func BenchmarkAllow(b *testing.B) {
	keys := benchKeys()
	paced := Config{Global: Rate{Every: 200 * ms, Burst: 5}, UserCooldown: 30 * time.Second}
	b.Run("hot_user", func(b *testing.B) {
		benchAllow(b, paced, keys[:1], time.Millisecond, 1)
	})
	b.Run("100k_users_flood", func(b *testing.B) {
		// 10k messages/s from 100k viewers against 5 commands/s pacing.
		benchAllow(b, paced, keys, 100*time.Microsecond, 1)
	})
	b.Run("100k_users_churn", func(b *testing.B) {
		// No pacing: every request is accepted and the 10000-entry table
		// turns over continuously.
		benchAllow(b, Config{UserCooldown: 9 * ms}, keys, time.Microsecond, 1)
	})
	b.Run("100k_users_table_full", func(b *testing.B) {
		// No pacing and a table too small: the fail-closed path.
		benchAllow(b, Config{UserCooldown: time.Hour, MaxUsers: 1000}, keys, time.Microsecond, 1)
	})
	b.Run("cost_over_burst", func(b *testing.B) {
		benchAllow(b, Config{Global: Rate{Every: time.Microsecond, Burst: 2}}, keys[:1], 10*time.Microsecond, 5)
	})
}

func BenchmarkAllowUser(b *testing.B) {
	users := make([]danmu.User, benchUsers)
	for i := range users {
		users[i] = danmu.User{ID: strconv.Itoa(1_000_000_000 + i), Role: viewer}
	}
	l := mustNew(b, Config{UserCooldown: 9 * ms}, left)
	now := t0
	for i := range users {
		l.AllowUser(now, "bilibili", users[i], 0, 1)
		now = now.Add(time.Microsecond)
	}
	i := 0
	for b.Loop() {
		l.AllowUser(now, "bilibili", users[i%len(users)], -1, 1)
		now = now.Add(time.Microsecond)
		i++
	}
	b.ReportMetric(float64(l.Users()), "users")
}
