package douyu

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/cattease/cattease/danmu"
)

// A hostile server, or anyone on the path of the plain-TCP fallback, can
// send chat whose cid is as long as a packet (128 KiB). The dedup ring
// keeps the last 1024 ids, so without a cap on ids it would hold ~128 MiB
// for as long as the source runs. Such messages are dropped and counted,
// and the ring stays small.
func TestHugeChatIDsAreCountedNotKept(t *testing.T) {
	c := &danmu.Counters{}
	d := &Decoder{Room: "1", Counters: c}
	pad := strings.Repeat("x", 120<<10)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range dedupSize {
		body := AppendEncode(nil, Msg("type", "chatmsg", "rid", "1", "uid", "7", "nn", "a", "txt", "左", "dms", "1", "cid", fmt.Sprint(i)+pad))
		m, err := Decode(body)
		if err != nil {
			t.Fatal(err)
		}
		if ev, ok := d.Decode(m); ok {
			t.Fatalf("message %d: a %d-byte chat id made an event", i, len(ev.ID))
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(d)
	if got := c.Get(CounterIDTooLong); got != dedupSize {
		t.Errorf("%s = %d, want %d (counters %v)", CounterIDTooLong, got, dedupSize, c.Snapshot())
	}
	kept := 0
	for _, id := range d.seen.ring {
		kept += len(id)
	}
	if kept != 0 {
		t.Errorf("the dedup ring holds %d bytes of rejected ids", kept)
	}
	if held := int64(after.HeapAlloc) - int64(before.HeapAlloc); held > 8<<20 {
		t.Errorf("the decoder holds %d MiB after %d huge chat ids", held>>20, dedupSize)
	}
}

// Every string an Event carries is capped, as on Bilibili: MaxText for
// text and names, MaxID for ids. A value at the cap passes; one byte more
// is dropped and counted under its reason, never silently lost.
func TestEventStringCaps(t *testing.T) {
	long := func(n int) string { return strings.Repeat("猫", n/3) + strings.Repeat("x", n%3) }
	msg := func(typ string, over map[string]string) Message {
		fields := map[string][]string{
			"chatmsg": {"type", "chatmsg", "rid", "1", "uid", "7", "nn", "a", "txt", "左", "dms", "1", "cid", "c"},
			"dgb":     {"type", "dgb", "rid", "1", "uid", "7", "nn", "a", "gfid", "824", "gfn", "办卡", "gfcnt", "1"},
			"uenter":  {"type", "uenter", "rid", "1", "uid", "7", "nn", "a"},
		}[typ]
		kv := make([]string, len(fields))
		copy(kv, fields)
		for i := 0; i < len(kv); i += 2 {
			if v, ok := over[kv[i]]; ok {
				kv[i+1] = v
			}
		}
		return Msg(kv...)
	}
	tests := []struct {
		typ, field string
		limit      int
		counter    string
	}{
		{"chatmsg", "txt", MaxText, CounterTextTooLong},
		{"chatmsg", "nn", MaxText, CounterTextTooLong},
		{"chatmsg", "cid", MaxID, CounterIDTooLong},
		{"chatmsg", "uid", MaxID, CounterIDTooLong},
		{"dgb", "gfn", MaxText, CounterTextTooLong},
		{"dgb", "nn", MaxText, CounterTextTooLong},
		{"dgb", "uid", MaxID, CounterIDTooLong},
		{"dgb", "gfid", MaxID, CounterIDTooLong},
		{"uenter", "nn", MaxText, CounterTextTooLong},
		{"uenter", "uid", MaxID, CounterIDTooLong},
	}
	for i, tt := range tests {
		c := &danmu.Counters{}
		d := &Decoder{Room: "1", Counters: c}
		if _, ok := d.Decode(msg(tt.typ, map[string]string{tt.field: long(tt.limit)})); !ok {
			t.Errorf("#%d %s %s of %d bytes (the cap) dropped: %v", i, tt.typ, tt.field, tt.limit, c.Snapshot())
		}
		if _, ok := d.Decode(msg(tt.typ, map[string]string{tt.field: long(tt.limit + 1), "cid": "other"})); ok {
			t.Errorf("#%d %s %s of %d bytes made an event", i, tt.typ, tt.field, tt.limit+1)
		}
		if c.Get(tt.counter) != 1 {
			t.Errorf("#%d %s %s too long: counters %v, want %s once", i, tt.typ, tt.field, c.Snapshot(), tt.counter)
		}
	}
}

// A chat dropped for its size does not take a place in the dedup ring:
// a later, well-formed message with the same id is still delivered.
func TestOversizedChatLeavesDedupAlone(t *testing.T) {
	d := &Decoder{Room: "1", Counters: &danmu.Counters{}}
	big := Msg("type", "chatmsg", "rid", "1", "uid", "7", "txt", strings.Repeat("x", MaxText+1), "dms", "1", "cid", "abc")
	if _, ok := d.Decode(big); ok {
		t.Fatal("oversized chat delivered")
	}
	if _, ok := d.Decode(Msg("type", "chatmsg", "rid", "1", "uid", "7", "txt", "左", "dms", "1", "cid", "abc")); !ok {
		t.Error("the well-formed chat with the same id was taken for a duplicate")
	}
}
