package danmu

import (
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestCountersNilAndConcurrent(t *testing.T) {
	var nilC *Counters
	nilC.Inc("x") // a source may count without checking
	if nilC.Get("x") != 0 || len(nilC.Snapshot()) != 0 {
		t.Fatal("nil counters must read as empty")
	}
	var c Counters
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				c.Inc("decode_error:bad_length")
				c.Add("reconnect", 2)
			}
		}()
	}
	wg.Wait()
	if c.Get("decode_error:bad_length") != 8000 || c.Get("reconnect") != 16000 {
		t.Fatalf("%v", c.Snapshot())
	}
	if n := c.Names(); len(n) != 2 || n[0] != "decode_error:bad_length" {
		t.Fatalf("names %v", n)
	}
}

func TestKindsAndRoles(t *testing.T) {
	for _, k := range Kinds {
		if !k.Valid() {
			t.Errorf("%q invalid", k)
		}
	}
	if Kind("dance").Valid() || Role("admin").Valid() || Role("admin").Rank() != -1 {
		t.Error("unknown kind or role accepted")
	}
	if !(RoleViewer.Rank() < RoleModerator.Rank() && RoleModerator.Rank() < RoleOwner.Rank()) {
		t.Error("role order")
	}
}

// TestEventJSONFieldNames pins the record/replay form documented in DESIGN.md.
func TestEventJSONFieldNames(t *testing.T) {
	b, err := json.Marshal(Event{Platform: "bilibili", Room: "1", Kind: KindChat, ID: "9",
		Time: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), User: User{ID: "123", Name: "猫奴", Role: RoleViewer}, Text: "左3"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"platform":"bilibili","room":"1","kind":"chat","id":"9","time":"2026-11-22T10:00:00Z",` +
		`"user":{"id":"123","name":"猫奴","role":"viewer","guard":0,"medal":0,"level":0,"masked":false},` +
		`"text":"左3","gift":{"name":"","count":0,"value_cents":0}}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}

func TestBackoffBounds(t *testing.T) {
	lo, hi := time.Second, time.Minute
	for n := range 12 {
		want := min(lo<<max(n-1, 0), hi)
		if n == 0 {
			want = lo / 2
		}
		for range 200 {
			if d := Backoff(n, lo, hi); d < want/2 || d > want {
				t.Fatalf("Backoff(%d) = %v outside [%v, %v]", n, d, want/2, want)
			}
		}
	}
}

// A Batch hands on what was added, in order, each batch alone, in one
// slice it reuses: what emit copied stays as it was, and a steady stream
// of frames allocates nothing.
func TestBatch(t *testing.T) {
	var b Batch
	var got [][]Event
	var firsts []*Event // where each batch's first event lay
	emit := func(evs []Event) error {
		got = append(got, append([]Event(nil), evs...))
		firsts = append(firsts, &evs[:1][0])
		return nil
	}
	if n, err := b.Flush(emit); n != 0 || err != nil || len(got) != 0 {
		t.Fatalf("empty flush: %d %v, %d batches", n, err, len(got))
	}
	for _, id := range []string{"1", "2", "3"} {
		b.Add(Event{ID: id})
	}
	if n, err := b.Flush(emit); n != 3 || err != nil {
		t.Fatalf("flush: %d %v", n, err)
	}
	b.Add(Event{ID: "4"})
	if _, err := b.Flush(emit); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[0]) != 3 || got[0][0].ID != "1" || got[0][2].ID != "3" || len(got[1]) != 1 || got[1][0].ID != "4" {
		t.Fatalf("batches %+v", got)
	}
	if firsts[0] != firsts[1] {
		t.Error("the second batch is in a new slice")
	}
	if allocs := testing.AllocsPerRun(100, func() {
		for range 20 {
			b.Add(Event{ID: "x"})
		}
		if _, err := b.Flush(func([]Event) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}); allocs != 0 {
		t.Errorf("%v allocations a frame, want 0", allocs)
	}
}

// An error from emit is passed on, and the batch starts empty after it.
func TestBatchEmitError(t *testing.T) {
	var b Batch
	b.Add(Event{ID: "1"})
	boom := errors.New("boom")
	if n, err := b.Flush(func([]Event) error { return boom }); n != 1 || !errors.Is(err, boom) {
		t.Fatalf("flush: %d %v", n, err)
	}
	if n, err := b.Flush(func([]Event) error { t.Fatal("emitted again"); return nil }); n != 0 || err != nil {
		t.Fatalf("second flush: %d %v", n, err)
	}
}
