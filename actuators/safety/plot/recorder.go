package plot

import (
	"math"
	"sync"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// DefaultMaxSamples bounds a Recorder's memory: 200k samples of 16 bytes,
// at most about 6 MB with slice headroom, however long the replay.
const DefaultMaxSamples = 200_000

// minMaxSamples keeps decimation able to converge: every series fits in
// 4 samples once the window spans the whole replay.
const minMaxSamples = 8 * 4 * maxTargets

// maxTargets bounds how many distinct outputs a Recorder tracks; outputs
// to further targets are counted in Stats.Ignored.
const maxTargets = 32

// sample is one value of one output at one time. Switch samples hold 0 or 1.
type sample struct {
	t int64 // Unix nanoseconds
	v float64
}

// series is the recorded history of one output.
type series struct {
	name    string
	samples []sample
}

// Stats counts what a Recorder saw.
type Stats struct {
	Outputs int           // outputs passed to Add
	Errors  int           // outputs whose driver write failed (not drawn)
	Detach  int           // axis detaches (the dot stays where it was)
	Ignored int           // non-finite values, unknown actions, too many targets
	Res     time.Duration // decimation window; 0 = every sample kept
}

// Recorder collects the envelope's outputs for WriteSVG. The zero value is
// ready to use and keeps at most DefaultMaxSamples samples: when full, it
// keeps the first, lowest, highest and last value of each output in
// windows of doubling length, so extremes and laser periods survive a
// day-long replay in bounded memory. Add and WriteSVG may be called from
// different goroutines.
type Recorder struct {
	// MaxSamples overrides DefaultMaxSamples (minimum 1024). Set it before
	// the first Add.
	MaxSamples int

	mu     sync.Mutex
	series []*series
	n      int   // samples held, all series
	t0     int64 // first sample time: decimation windows start here
	res    int64 // decimation window in ns; 0 = none yet
	stats  Stats
}

// Add records one output. Failed writes, detaches and non-finite values
// are counted but not drawn.
func (r *Recorder) Add(o safety.Output) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats.Outputs++
	switch {
	case o.Err != nil:
		r.stats.Errors++
		return
	case o.Action == actuators.ActionDetach:
		r.stats.Detach++
		return
	case o.Action != actuators.ActionAngle && o.Action != actuators.ActionSwitch,
		math.IsNaN(o.Value) || math.IsInf(o.Value, 0):
		r.stats.Ignored++
		return
	}
	s := r.lookup(o.Target)
	if s == nil {
		r.stats.Ignored++
		return
	}
	v := o.Value
	if o.Action == actuators.ActionSwitch {
		v = b2f(v >= 0.5)
	}
	r.append(s, o.Time.UnixNano(), v)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// lookup finds or adds the series for name; nil when too many targets.
func (r *Recorder) lookup(name string) *series {
	for _, s := range r.series {
		if s.name == name {
			return s
		}
	}
	if len(r.series) >= maxTargets {
		return nil
	}
	s := &series{name: name}
	r.series = append(r.series, s)
	return s
}

// append adds a sample, keeping each series in time order (a sample
// earlier than the last one is moved to the last one's time), and
// decimates when the recorder is full.
func (r *Recorder) append(s *series, t int64, v float64) {
	if r.n == 0 {
		r.t0 = t
	}
	t = max(t, r.t0)
	if k := len(s.samples); k > 0 {
		t = max(t, s.samples[k-1].t)
	}
	s.samples = append(s.samples, sample{t, v})
	r.n++
	if r.n >= r.limit() {
		r.decimate()
	}
}

func (r *Recorder) limit() int {
	if r.MaxSamples <= 0 {
		return DefaultMaxSamples
	}
	return max(r.MaxSamples, minMaxSamples)
}

// decimate compacts the samples added since the last time at the current
// window, and doubles the window only while that leaves more than half
// the limit: resolution halves only when the recorded span has doubled.
// Windows of a doubled length are unions of the old ones, so samples
// already decimated stay consistent.
func (r *Recorder) decimate() {
	if r.res > 0 {
		r.compactAll()
	}
	for r.n > r.limit()/2 {
		r.res = r.nextRes()
		r.compactAll()
	}
	r.stats.Res = time.Duration(r.res)
}

func (r *Recorder) compactAll() {
	r.n = 0
	for _, s := range r.series {
		s.samples = shrink(compact(s.samples, r.t0, r.res))
		r.n += len(s.samples)
	}
}

// nextRes is the next window: double the last, and at least enough for
// the span seen so far to fit in about limit/8 windows per series.
func (r *Recorder) nextRes() int64 {
	var last int64
	for _, s := range r.series {
		if k := len(s.samples); k > 0 {
			last = max(last, s.samples[k-1].t-r.t0)
		}
	}
	per := int64(r.limit()/8/max(len(r.series), 1)) + 1
	return max(2*r.res, last/per+1, 1)
}

// compact keeps, in each window [t0+k·res, t0+(k+1)·res), the first, the
// lowest, the highest and the last sample, in time order. It works in
// place.
func compact(in []sample, t0, res int64) []sample {
	out := in[:0]
	for i := 0; i < len(in); {
		w := (in[i].t - t0) / res
		j, lo, hi := i, i, i
		for j+1 < len(in) && (in[j+1].t-t0)/res == w {
			j++
			if in[j].v < in[lo].v {
				lo = j
			}
			if in[j].v > in[hi].v {
				hi = j
			}
		}
		keep := [4]int{i, min(lo, hi), max(lo, hi), j}
		prev := -1
		for _, k := range keep {
			if k != prev {
				out = append(out, in[k]) // k ≥ len(out): safe in place
				prev = k
			}
		}
		i = j + 1
	}
	return out
}

// shrink gives back spare capacity, so the total capacity of all series
// stays within about twice the limit however the samples are spread.
func shrink(ss []sample) []sample {
	if cap(ss) <= 4*len(ss)+4096 {
		return ss
	}
	return append(make([]sample, 0, 2*len(ss)+16), ss...)
}

// Stats returns what the recorder has seen so far.
func (r *Recorder) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

// Len returns how many samples the recorder holds.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// find returns the samples of the named output (nil if none). Caller
// holds r.mu.
func (r *Recorder) find(name string) []sample {
	for _, s := range r.series {
		if s.name == name {
			return s.samples
		}
	}
	return nil
}
