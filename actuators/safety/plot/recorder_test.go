package plot

import (
	"math"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

func TestCompact(t *testing.T) {
	in := []sample{{0, 5}, {1, 9}, {2, 1}, {3, 4}, // window 0: first 5, max 9, min 1, last 4
		{10, 7},          // window 1: one sample
		{20, 3}, {21, 3}} // window 2: equal values
	got := compact(append([]sample(nil), in...), 0, 10)
	want := []sample{{0, 5}, {1, 9}, {2, 1}, {3, 4}, {10, 7}, {20, 3}, {21, 3}}
	if len(got) != len(want) {
		t.Fatalf("compact = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("compact = %v, want %v", got, want)
		}
	}
	// A window whose extremes are its ends keeps just the ends.
	got = compact([]sample{{0, 1}, {1, 2}, {2, 3}, {3, 4}}, 0, 10)
	if len(got) != 2 || got[0] != (sample{0, 1}) || got[1] != (sample{3, 4}) {
		t.Fatalf("monotone window: %v", got)
	}
}

func TestStats(t *testing.T) {
	r := record(smallPath())
	st := r.Stats()
	if st.Outputs != len(smallPath()) || st.Errors != 1 || st.Detach != 1 || st.Ignored != 0 || st.Res != 0 {
		t.Fatalf("stats = %+v", st)
	}
	// Drawn: every angle and switch sample that did not fail.
	if want := len(smallPath()) - 2; r.Len() != want {
		t.Fatalf("Len = %d, want %d", r.Len(), want)
	}
}

func TestIgnoresBadOutputs(t *testing.T) {
	r := &Recorder{}
	r.Add(angle(0, "pan", math.NaN()))
	r.Add(angle(0, "pan", math.Inf(1)))
	r.Add(safety.Output{Time: t0, Target: "pan", Action: "spin", Value: 1})
	for i := range maxTargets + 3 {
		r.Add(angle(0, string(rune('a'+i)), 1))
	}
	if st := r.Stats(); st.Ignored != 6 || r.Len() != maxTargets {
		t.Fatalf("stats = %+v, len %d", st, r.Len())
	}
}

// TestOutOfOrderTimes: a sample earlier than its series' last is held at
// the last time, so series stay sorted for merging.
func TestOutOfOrderTimes(t *testing.T) {
	r := &Recorder{}
	r.Add(angle(2*time.Second, "pan", 1))
	r.Add(angle(time.Second, "pan", 2))
	r.Add(angle(0, "tilt", 3))
	for _, name := range []string{"pan", "tilt"} {
		ss := r.find(name)
		for i := 1; i < len(ss); i++ {
			if ss[i].t < ss[i-1].t {
				t.Fatalf("%s out of order: %v", name, ss)
			}
		}
	}
}

// day feeds n outputs like a busy motion loop: pan and tilt every 20 ms
// tick, sweeping, and the laser on for 5 s of every 15 s. It returns the
// true lit time and the extremes it sent.
func day(r *Recorder, n int) (lit time.Duration, lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	var on bool
	var since time.Duration
	for i := 0; i < n; {
		at := time.Duration(i/3) * 20 * time.Millisecond
		pan := 40 * math.Sin(float64(i)/997)
		if i == n/2 {
			pan = 44.5 // one spike the plot must keep
		}
		lo, hi = min(lo, pan), max(hi, pan)
		r.Add(angle(at, "pan", pan))
		r.Add(angle(at, "tilt", 20+10*math.Cos(float64(i)/1499)))
		want := at%(15*time.Second) < 5*time.Second
		if want != on {
			if on {
				lit += at - since
			}
			on, since = want, at
		}
		r.Add(laser(at, on))
		i += 3
	}
	return lit, lo, hi
}

// TestMemoryBound: a million outputs stay within the sample cap and a few
// megabytes of heap, and decimation keeps the extremes and the lit time.
func TestMemoryBound(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := &Recorder{}
	lit, lo, hi := day(r, 999_999)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if r.Len() > DefaultMaxSamples {
		t.Fatalf("holds %d samples, cap %d", r.Len(), DefaultMaxSamples)
	}
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 8<<20 {
		t.Errorf("heap grew by %d bytes for 1M outputs, want ≤ 8 MB", grew)
	}
	st := r.Stats()
	if st.Res <= 0 || st.Outputs != 999_999 {
		t.Fatalf("stats = %+v", st)
	}
	d := r.snapshot("pan", "tilt", "laser", [2]float64{})
	var got span
	addValues(&got, d.pan)
	if got.lo != lo || got.hi != hi {
		t.Errorf("pan extremes %v…%v, sent %v…%v", got.lo, got.hi, lo, hi)
	}
	// Each on-period's ends move by at most one window.
	slack := time.Duration(2*len(d.lit)) * st.Res
	if diff := litTotal(d.lit) - lit; diff < -slack || diff > slack {
		t.Errorf("lit %v, sent %v (slack %v)", litTotal(d.lit), lit, slack)
	}
	runtime.KeepAlive(r)
}

func TestSmallCap(t *testing.T) {
	r := &Recorder{MaxSamples: 1} // raised to the minimum
	day(r, 300_000)
	// Resolution halves only when the span doubles, so the recorder stays
	// between an eighth and all of its cap, however long the replay.
	if n := r.Len(); n > minMaxSamples || n < minMaxSamples/8 {
		t.Fatalf("holds %d samples, want %d…%d", n, minMaxSamples/8, minMaxSamples)
	}
}

// TestConcurrent: Add from several goroutines while WriteSVG draws
// (meaningful under -race).
func TestConcurrent(t *testing.T) {
	r := &Recorder{MaxSamples: 2048}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 5000 {
				r.Add(safety.Output{Time: t0.Add(time.Duration(i) * time.Millisecond),
					Target: []string{"pan", "tilt", "laser", "pan"}[g], Action: actuators.ActionAngle, Value: float64(i % 90)})
			}
		})
	}
	for range 5 {
		render(t, r, testGeo(), Options{})
	}
	wg.Wait()
	if st := r.Stats(); st.Outputs != 20000 {
		t.Fatalf("outputs = %d", st.Outputs)
	}
}
