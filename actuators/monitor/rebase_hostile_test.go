package monitor

import (
	"fmt"
	"testing"
	"time"
)

// rebaseHostile is a hostile stream for the restarts on a clock set back:
// n laser toggles a nanosecond apart inside the light budget's window,
// then n restarts that keep the state, each a nanosecond earlier than the
// one before, so that every one of them goes back in time with the whole
// light history in the window.
func rebaseHostile(n int) (Limits, func(m *Monitor)) {
	l := baseLimits()
	l.Switches[0].MaxOn, l.Switches[0].Cooldown = time.Hour, time.Hour
	return l, func(m *Monitor) {
		m.Restart(t0, true)
		for i := range n {
			m.Output(Event{Time: t0.Add(time.Duration(1000 + 2*i)), Target: "laser", Action: "switch", Value: 1})
			m.Output(Event{Time: t0.Add(time.Duration(1001 + 2*i)), Target: "laser", Action: "switch", Value: 0})
		}
		last := t0.Add(time.Duration(1001 + 2*(n-1)))
		for i := 1; i <= n; i++ {
			m.Restart(last.Add(-time.Duration(i)), true)
		}
		m.End(last)
	}
}

// TestRebaseLinearTime: each restart on a clock set back once moved every
// interval of each switch's light history back: n toggles, then n such
// restarts, took time as n² (10k 0.35 s, 20k 1.9 s, 40k 5.3 s as a
// trace). The history now moves back by one offset a switch, read with
// it. Per step, 4 times the steps may take at most 3 times as long, or
// 2 µs (the best of three runs each, as the machine is shared; quadratic,
// 40k took 63 µs a step).
func TestRebaseLinearTime(t *testing.T) {
	run := func(n int) time.Duration {
		b := time.Duration(1<<63 - 1)
		for range 3 {
			l, feed := rebaseHostile(n)
			m := New(l)
			start := time.Now()
			feed(m)
			b = min(b, time.Since(start))
			if m.Count() != 0 {
				t.Fatalf("violations:\n%s", list(m))
			}
		}
		return b / time.Duration(3*n)
	}
	per1, per4 := run(10_000), run(40_000)
	if per4 > 3*per1 && per4 > 2*time.Microsecond { // a step takes some 0.1 µs: below 2 µs, noise
		t.Errorf("%v a step for 40k toggles and restarts, %v for 10k: more than 3×", per4, per1)
	}
	t.Logf("%v a step for 40k toggles and restarts, %v for 10k", per4, per1)
}

// The offset moves the light back as the intervals moved: the light the
// last process left in the window counts, ending at the restart.
func TestRebaseMovesTheLightBack(t *testing.T) {
	l := baseLimits()
	l.Switches[0].MaxOn, l.Switches[0].Cooldown = 30*s, 30*s
	for _, c := range []struct {
		name    string
		relight time.Duration // after the restart, lit for 20 s
		want    int
	}{
		{"20 s of light right after: 50 s in the window", 0, 1},
		{"20 s of light 40 s after the restart: 20 s in every window", 40 * s, 0},
		{"20 s of light 25 s after: 35 s in the window at 30 s", 25 * s, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := New(l)
			ahead := t0.Add(time.Hour)
			m.Output(Event{Time: ahead, Target: "laser", Action: "switch", Value: 1})
			m.Output(Event{Time: ahead.Add(30 * s), Target: "laser", Action: "switch", Value: 0})
			m.Restart(t0, true)
			m.Restart(t0.Add(-time.Nanosecond), true) // once more: two offsets
			at := t0.Add(c.relight)
			m.Output(Event{Time: at, Target: "laser", Action: "switch", Value: 1})
			m.Output(Event{Time: at.Add(20 * s), Target: "laser", Action: "switch", Value: 0})
			m.End(at.Add(20 * s))
			if m.Count() != c.want {
				t.Errorf("%d violations, want %d:\n%s", m.Count(), c.want, list(m))
			}
		})
	}
}

// BenchmarkRebaseHostile is TestRebaseLinearTime's stream, 10^4 and
// 4·10^4 toggles: the time a step takes stays the same.
func BenchmarkRebaseHostile(b *testing.B) {
	for _, n := range []int{10_000, 40_000} {
		l, feed := rebaseHostile(n)
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				feed(New(l))
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*3*n), "ns/step")
		})
	}
}

// The offset wraps: restarts back from 2261 to 1970, over and over, add
// up to more than an int64 holds (5 backs of 290 years wrap it twice); the intervals are read by their
// differences, which wrap back exactly.
func TestRebaseOffsetWraps(t *testing.T) {
	l := baseLimits()
	l.Switches[0].MaxOn, l.Switches[0].Cooldown = 30*s, 30*s
	early, late := time.Unix(0, 0).UTC(), maxTime.Add(-time.Hour)
	for _, c := range []struct {
		name string
		more time.Duration // lit after the last restart
		want int
	}{{"within the budget", 25 * s, 0}, {"over it", 26 * s, 1}} {
		t.Run(c.name, func(t *testing.T) {
			m := New(l)
			lit := func(at time.Time, d time.Duration) {
				m.Output(Event{Time: at, Target: "laser", Action: "switch", Value: 1})
				m.Output(Event{Time: at.Add(d), Target: "laser", Action: "switch", Value: 0})
			}
			for range 4 {
				lit(late, 5*s)
				m.Restart(early.Add(10*s), true)
				lit(early.Add(10*s), 5*s)
			}
			lit(late, 5*s)
			m.Restart(early.Add(20*s), true) // the 5 s end at the restart
			lit(early.Add(20*s), c.more)
			m.End(early.Add(time.Minute))
			if m.Count() != c.want {
				t.Errorf("%d violations, want %d:\n%s", m.Count(), c.want, list(m))
			}
		})
	}
}
