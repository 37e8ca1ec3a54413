package replay

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// oddStrings are strings whose encoding is easy to get wrong: quotes,
// backslashes, control characters, invalid UTF-8, HTML characters, the
// JavaScript line separators.
var oddStrings = []string{
	"", "左3", `a"b`, `back\slash`, "<script>&amp;</script>", "tab\tnl\nret\rbs\bff\f",
	"\x00\x01\x1f\x7f", "bad \xff utf8 \xc3", "\xed\xa0\x80", "line\u2028para\u2029", "😀 emoji",
	"\ufffd", "/slash", "\x1b[31m", "猫奴", "bilibili",
}

// randomEvent draws an event from odd strings, odd numbers and odd times.
func randomEvent(r *rand.Rand) danmu.Event {
	s := func() string { return oddStrings[r.IntN(len(oddStrings))] }
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("x", -(3*3600 + 1800 + 7)), time.Local}
	return danmu.Event{
		Platform: s(), Room: s(), Kind: danmu.Kind(s()), ID: s(),
		Time: time.Date(1990+r.IntN(60), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60),
			[]int{0, 1, 123e6, 999999999, r.IntN(1e9)}[r.IntN(5)], zones[r.IntN(len(zones))]),
		User: danmu.User{ID: s(), Name: s(), Role: danmu.Role(s()), Guard: r.IntN(7) - 3,
			Medal: []int{0, 1, -1, math.MaxInt, math.MinInt}[r.IntN(5)], Level: r.Int(), Masked: r.IntN(2) == 0},
		Text: s() + s(),
		Gift: danmu.Gift{Name: s(), Count: r.IntN(100), ValueCents: r.Int64() - r.Int64()},
	}
}

func encodingJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return b.Bytes(), err
}

// The --record form is byte for byte encoding/json's.
func TestAppendEventMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	evs := []danmu.Event{{}, {Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}
	for range 20_000 {
		evs = append(evs, randomEvent(r))
	}
	for _, ev := range evs {
		want, werr := encodingJSON(ev)
		got, err := AppendEvent([]byte("prefix"), ev)
		if (err != nil) != (werr != nil) {
			t.Fatalf("%+v: error %v, encoding/json %v", ev, err, werr)
		}
		if err == nil && string(got) != "prefix"+string(want) {
			t.Fatalf("%+v:\n got %s\nwant %s", ev, got[6:], want)
		}
		if err != nil && string(got) != "prefix" {
			t.Fatalf("a failed event left %q", got)
		}
	}
}

func TestWritersMatchEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var want, buffered, lines bytes.Buffer
	bw, lw := NewWriter(&buffered), NewLineWriter(&lines)
	for range 2000 {
		ev := randomEvent(r)
		b, _ := encodingJSON(ev)
		want.Write(b)
		if err := bw.Write(ev); err != nil {
			t.Fatal(err)
		}
		if err := lw.Write(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buffered.Bytes(), want.Bytes()) || !bytes.Equal(lines.Bytes(), want.Bytes()) {
		t.Fatal("writers differ from encoding/json")
	}
}

func BenchmarkWrite(b *testing.B) {
	w := NewWriter(discard{})
	ev := danmu.Event{Platform: "bilibili", Room: "21144080", Kind: danmu.KindChat, ID: "1700000000123",
		Time: time.Date(2026, 11, 22, 10, 0, 0, 123e6, time.UTC),
		User: danmu.User{ID: "123", Name: "猫奴", Role: danmu.RoleViewer}, Text: "左3"}
	b.ReportAllocs()
	for b.Loop() {
		_ = w.Write(ev)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
