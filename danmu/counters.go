package danmu

import (
	"maps"
	"sort"
	"sync"
)

// Counters counts what a source saw that did not become an Event, and how
// its connection fared: decode errors by reason, unknown message types,
// reconnects. Nothing a source drops goes uncounted.
//
// Counter names must come from a small fixed set chosen by the source (for
// example "decode_error:bad_length", "unknown_cmd", "reconnect"): never put
// a value taken from the wire into a name, or a hostile server could grow
// the map without bound.
//
// The zero value is ready to use, and a nil *Counters discards everything,
// so sources may call Add unconditionally. Safe for concurrent use.
type Counters struct {
	mu sync.Mutex
	m  map[string]uint64
}

// Add increments the counter name by n.
func (c *Counters) Add(name string, n uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[string]uint64)
	}
	c.m[name] += n
	c.mu.Unlock()
}

// Inc increments the counter name by one.
func (c *Counters) Inc(name string) { c.Add(name, 1) }

// Get returns the current value of name.
func (c *Counters) Get(name string) uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[name]
}

// Snapshot returns a copy of every counter.
func (c *Counters) Snapshot() map[string]uint64 {
	if c == nil {
		return map[string]uint64{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.m)
}

// Names returns the counter names in sorted order.
func (c *Counters) Names() []string {
	s := c.Snapshot()
	names := make([]string, 0, len(s))
	for k := range s {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
