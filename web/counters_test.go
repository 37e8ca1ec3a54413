package web

import (
	"fmt"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestCounterCache: every pair is counted as WithLabelValues would count
// it, from several goroutines at once, past the cache's bound too; the
// cache stops growing at its bound.
func TestCounterCache(t *testing.T) {
	vec := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "t_total", Help: "t"}, []string{"a", "b"})
	reg := prometheus.NewRegistry()
	reg.MustRegister(vec)
	c := newCounterCache(vec)
	const pairs, workers, each = maxCachedPairs + 40, 4, 3
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for k := range pairs {
				for range each {
					c.get("p", fmt.Sprint(k)).Inc()
				}
			}
		})
	}
	wg.Wait()
	counted := gathered(t, reg)
	for k := range pairs {
		if got := counted["p "+fmt.Sprint(k)]; got != workers*each {
			t.Fatalf("pair %d counted %v, want %d", k, got, workers*each)
		}
	}
	if n := len(*c.pairs.Load()); n != maxCachedPairs {
		t.Errorf("cache holds %d pairs, want its bound %d", n, maxCachedPairs)
	}
}

// TestCounterCacheCleansLabels: values the label rules refuse are cached
// under their raw form and counted under the cleaned one.
func TestCounterCacheCleansLabels(t *testing.T) {
	vec := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "t_total", Help: "t"}, []string{"a", "b"})
	reg := prometheus.NewRegistry()
	reg.MustRegister(vec)
	c := newCounterCache(vec)
	for range 2 {
		c.get("", "evil\nvalue").Inc()
	}
	if _, ok := (*c.pairs.Load())[[2]string{"", "evil\nvalue"}]; !ok {
		t.Error("the raw pair is not cached")
	}
	if got := gathered(t, reg); len(got) != 1 || got["none other"] != 2 {
		t.Errorf("counted %v, want none/other 2", got)
	}
}

// gathered is the one family in reg as "a b" → value.
func gathered(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil || len(mfs) != 1 {
		t.Fatalf("gather: %d families, %v", len(mfs), err)
	}
	out := map[string]float64{}
	for _, m := range mfs[0].GetMetric() {
		l := m.GetLabel()
		out[l[0].GetValue()+" "+l[1].GetValue()] = m.GetCounter().GetValue()
	}
	return out
}

func BenchmarkCounterCacheHit(b *testing.B) {
	c := newCounterCache(prometheus.NewCounterVec(prometheus.CounterOpts{Name: "t_total", Help: "t"}, []string{"a", "b"}))
	c.get("bilibili", "chat")
	for b.Loop() {
		c.get("bilibili", "chat")
	}
}
