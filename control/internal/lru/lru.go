// Package lru is a bounded map that forgets its least recently used entry
// when full: the per-viewer tables of the room (gift credits, votes, the
// name directory) stay within their configured caps however many strangers
// type.
package lru

// Map holds at most Cap entries. Get and Put make an entry the most
// recent; when a Put would exceed the cap, the least recent entry is
// evicted. It is not safe for concurrent use. Nothing allocates once the
// map has grown to its cap.
type Map[K comparable, V any] struct {
	max   int
	idx   map[K]int32
	ents  []entry[K, V]
	head  int32 // most recent
	tail  int32 // least recent
	free  int32
	Evict func(K, V) // called for each entry evicted by Put, if set
}

type entry[K comparable, V any] struct {
	key        K
	val        V
	prev, next int32
}

const none int32 = -1

// New returns a map of at most max entries (at least 1).
func New[K comparable, V any](max int) *Map[K, V] {
	max = maxInt(max, 1)
	return &Map[K, V]{max: max, idx: make(map[K]int32), head: none, tail: none, free: none}
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// Len returns the number of entries.
func (m *Map[K, V]) Len() int { return len(m.idx) }

// Cap returns the bound.
func (m *Map[K, V]) Cap() int { return m.max }

// Get returns the value for k and makes it the most recent.
func (m *Map[K, V]) Get(k K) (V, bool) {
	i, ok := m.idx[k]
	if !ok {
		var zero V
		return zero, false
	}
	m.touch(i)
	return m.ents[i].val, true
}

// Peek returns the value for k without changing its recency.
func (m *Map[K, V]) Peek(k K) (V, bool) {
	i, ok := m.idx[k]
	if !ok {
		var zero V
		return zero, false
	}
	return m.ents[i].val, true
}

// Ptr returns a pointer to k's value, valid until the next Put or Delete,
// and makes it the most recent; nil if absent.
func (m *Map[K, V]) Ptr(k K) *V {
	i, ok := m.idx[k]
	if !ok {
		return nil
	}
	m.touch(i)
	return &m.ents[i].val
}

// Put sets k to v and makes it the most recent, evicting the least recent
// entry if the map is full.
func (m *Map[K, V]) Put(k K, v V) {
	if i, ok := m.idx[k]; ok {
		m.ents[i].val = v
		m.touch(i)
		return
	}
	if len(m.idx) >= m.max {
		t := m.tail
		old := m.ents[t]
		m.remove(t)
		if m.Evict != nil {
			m.Evict(old.key, old.val)
		}
	}
	i := m.alloc()
	m.ents[i] = entry[K, V]{key: k, val: v, prev: none, next: m.head}
	if m.head != none {
		m.ents[m.head].prev = i
	}
	m.head = i
	if m.tail == none {
		m.tail = i
	}
	m.idx[k] = i
}

// Delete removes k.
func (m *Map[K, V]) Delete(k K) {
	if i, ok := m.idx[k]; ok {
		m.remove(i)
	}
}

// Oldest returns the least recent entry.
func (m *Map[K, V]) Oldest() (K, V, bool) {
	if m.tail == none {
		var k K
		var v V
		return k, v, false
	}
	e := m.ents[m.tail]
	return e.key, e.val, true
}

// Each calls f for every entry, most recent first, until f returns false.
// f must not change the map.
func (m *Map[K, V]) Each(f func(K, V) bool) {
	for i := m.head; i != none; i = m.ents[i].next {
		if !f(m.ents[i].key, m.ents[i].val) {
			return
		}
	}
}

// Clear removes every entry, keeping the memory.
func (m *Map[K, V]) Clear() {
	for m.tail != none {
		m.remove(m.tail)
	}
}

func (m *Map[K, V]) alloc() int32 {
	if m.free != none {
		i := m.free
		m.free = m.ents[i].next
		return i
	}
	m.ents = append(m.ents, entry[K, V]{})
	return int32(len(m.ents) - 1)
}

func (m *Map[K, V]) unlink(i int32) {
	e := &m.ents[i]
	if e.prev != none {
		m.ents[e.prev].next = e.next
	} else {
		m.head = e.next
	}
	if e.next != none {
		m.ents[e.next].prev = e.prev
	} else {
		m.tail = e.prev
	}
}

func (m *Map[K, V]) touch(i int32) {
	if m.head == i {
		return
	}
	m.unlink(i)
	m.ents[i].prev, m.ents[i].next = none, m.head
	m.ents[m.head].prev = i
	m.head = i
	if m.tail == none {
		m.tail = i
	}
}

func (m *Map[K, V]) remove(i int32) {
	m.unlink(i)
	delete(m.idx, m.ents[i].key)
	m.ents[i] = entry[K, V]{next: m.free}
	m.free = i
}
