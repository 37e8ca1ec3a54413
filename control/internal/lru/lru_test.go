package lru

import (
	"fmt"
	"testing"
)

func TestEvictsLeastRecent(t *testing.T) {
	m := New[string, int](3)
	var evicted []string
	m.Evict = func(k string, _ int) { evicted = append(evicted, k) }
	m.Put("a", 1)
	m.Put("b", 2)
	m.Put("c", 3)
	if _, ok := m.Get("a"); !ok { // a is now the most recent
		t.Fatal("a missing")
	}
	m.Put("d", 4) // evicts b
	if _, ok := m.Peek("b"); ok || len(evicted) != 1 || evicted[0] != "b" {
		t.Fatalf("b should be evicted, evicted=%v", evicted)
	}
	var order []string
	m.Each(func(k string, _ int) bool { order = append(order, k); return true })
	if fmt.Sprint(order) != "[d a c]" {
		t.Fatalf("order %v, want [d a c]", order)
	}
	if k, _, _ := m.Oldest(); k != "c" {
		t.Fatalf("oldest %q, want c", k)
	}
	m.Delete("a")
	m.Put("e", 5)
	if m.Len() != 3 {
		t.Fatalf("len %d", m.Len())
	}
	if p := m.Ptr("e"); p == nil || *p != 5 {
		t.Fatal("Ptr(e)")
	}
	m.Clear()
	if m.Len() != 0 {
		t.Fatal("clear")
	}
}

// TestBounded: a million distinct keys never hold more than the cap, and
// the slots are reused.
func TestBounded(t *testing.T) {
	m := New[int, int](1000)
	for i := range 1_000_000 {
		m.Put(i, i)
		if i%7 == 0 {
			m.Get(i / 2)
		}
	}
	if m.Len() != 1000 || len(m.ents) != 1000 {
		t.Fatalf("len %d, slots %d, want 1000", m.Len(), len(m.ents))
	}
	for i := 999_000; i < 1_000_000; i++ {
		if _, ok := m.Peek(i); !ok {
			t.Fatalf("recent key %d evicted", i)
		}
	}
}

func BenchmarkPutFull(b *testing.B) {
	m := New[int, int](10_000)
	b.ReportAllocs()
	for i := range b.N {
		m.Put(i, i)
	}
}
