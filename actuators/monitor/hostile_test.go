package monitor

import (
	"fmt"
	"testing"
	"time"
)

// hostile is n outputs of a hostile trace: a still dot whose laser is
// toggled every 20 µs, and an axis with a duty limit sent its angle at
// every instant. Every lit span of the spot stays in the dwell window (a
// cap of an hour); the duty window is half the trace, so from its middle
// on every instant drops one out of it.
func hostile(n int) (Limits, []Event) {
	const step = 20 * time.Microsecond
	l := baseLimits()
	l.DwellCap = time.Hour
	l.Axes[0].DutyMax, l.Axes[0].DutyWindow = 1000*time.Hour, time.Duration(n/2)*step/2
	evs := make([]Event, 0, n)
	at := t0
	for i := 0; len(evs) < n; i++ {
		evs = append(evs, Event{Time: at, Target: "laser", Action: "switch", Value: float64(1 - i%2)},
			Event{Time: at, Target: "pan", Action: "move", Value: 0})
		at = at.Add(step)
	}
	return l, evs[:n]
}

// feed feeds evs to a new Monitor for l and returns how long it took.
func feed(t testing.TB, l Limits, evs []Event) time.Duration {
	start := time.Now()
	m := New(l)
	for _, e := range evs {
		m.Output(e)
	}
	m.End(evs[len(evs)-1].Time)
	d := time.Since(start)
	if m.Count() != 0 {
		t.Fatalf("violations:\n%s", list(m))
	}
	return d
}

// TestHostileTraceLinearTime: the time to check a trace grows with its
// lines, not with their square. A still dot toggled every 20 µs once had
// every lit span of its spot added up at each lit step, and the duty
// window copied whole at each instant that dropped out of it: 120k lines
// took 3.4 s, 240k 15.5 s. Per line, 400k lines may take at most 3 times
// what 100k do (the best of three runs each, as the machine is shared).
func TestHostileTraceLinearTime(t *testing.T) {
	l1, small := hostile(100_000)
	l4, large := hostile(400_000)
	best := func(l Limits, evs []Event, budget time.Duration) time.Duration {
		b := time.Duration(1<<63 - 1)
		for range 3 {
			b = min(b, feed(t, l, evs))
			if b <= budget {
				break
			}
		}
		return b
	}
	per1 := best(l1, small, 0) / time.Duration(len(small))
	per4 := best(l4, large, 3*per1*time.Duration(len(large))) / time.Duration(len(large))
	if per4 > 3*per1 {
		t.Errorf("%v a line for 400k lines, %v for 100k: more than 3×", per4, per1)
	}
	t.Logf("%v a line for 400k lines, %v for 100k", per4, per1)
}

// BenchmarkHostileTrace is the trace of TestHostileTraceLinearTime, 10^5
// and 4·10^5 lines: the time a line takes stays the same.
func BenchmarkHostileTrace(b *testing.B) {
	for _, n := range []int{100_000, 400_000} {
		l, evs := hostile(n)
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				feed(b, l, evs)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(evs)), "ns/line")
		})
	}
}
