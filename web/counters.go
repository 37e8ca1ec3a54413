package web

import (
	"maps"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// A counterCache holds the counters of a two-label CounterVec by their raw
// label values. WithLabelValues checks, hashes and looks its values up
// under a lock at every call, 150-200 ns, and Event and Decision run for
// every chat message; a hit here is one map read. The map is replaced, not
// changed, when a pair is added, so reads take no lock. The pairs come from
// cattease's own sets (platforms, kinds, outcomes, reasons, outputs), but a
// bug must not grow the map without bound: past maxCachedPairs, new pairs
// are counted uncached. Nothing may Reset the vector or Delete from it: the
// cache would go on counting into series no longer exported.
type counterCache struct {
	vec   *prometheus.CounterVec
	pairs atomic.Pointer[map[[2]string]prometheus.Counter]
	mu    sync.Mutex // one addition at a time
}

const maxCachedPairs = 256

func newCounterCache(vec *prometheus.CounterVec) *counterCache {
	c := &counterCache{vec: vec}
	c.pairs.Store(&map[[2]string]prometheus.Counter{})
	return c
}

// get returns the counter for the label values a and b, as
// vec.WithLabelValues(label(a), label(b)) would.
func (c *counterCache) get(a, b string) prometheus.Counter {
	if ctr, ok := (*c.pairs.Load())[[2]string{a, b}]; ok {
		return ctr
	}
	return c.add(a, b)
}

func (c *counterCache) add(a, b string) prometheus.Counter {
	ctr := c.vec.WithLabelValues(label(a), label(b))
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.pairs.Load()
	if len(old) < maxCachedPairs {
		next := make(map[[2]string]prometheus.Counter, len(old)+1)
		maps.Copy(next, old)
		next[[2]string{a, b}] = ctr
		c.pairs.Store(&next)
	}
	return ctr
}
