package jsonw

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func encodingJSON(t *testing.T, v any) (string, error) {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n"), err
}

// OddStrings are strings whose encoding is easy to get wrong.
var OddStrings = []string{
	"", "左3", `a"b`, `back\slash`, "<script>&amp;</script>", "tab\tnl\nret\rbs\bff\f",
	"\x00\x01\x1f\x7f", "bad \xff utf8 \xc3", "\xed\xa0\x80", "line\u2028para\u2029", "😀 emoji",
	"\u00e9\u0301", "\ufffd", strings.Repeat("猫", 100), "/slash", "\x1b[31m",
}

func TestStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range OddStrings {
		want, _ := encodingJSON(t, s)
		if got := string(String(nil, s)); got != want {
			t.Errorf("String(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzString(f *testing.F) {
	for _, s := range OddStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := encodingJSON(t, s)
		if got := string(String(nil, s)); got != want {
			t.Fatalf("String(%q) = %s, want %s", s, got, want)
		}
	})
}

func TestFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -10, 0.1, 1.0 / 3, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 123456789e15,
		-1.5e-9, math.MaxFloat64, math.SmallestNonzeroFloat64, 45.000000000000014, -89.99999} {
		want, _ := encodingJSON(t, f)
		got, err := Float(nil, f)
		if err != nil || string(got) != want {
			t.Errorf("Float(%v) = %s, %v, want %s", f, got, err, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := Float(nil, f); err == nil {
			t.Errorf("Float(%v): no error", f)
		}
	}
}

func FuzzFloat(f *testing.F) {
	f.Add(1.5)
	f.Add(1e-7)
	f.Fuzz(func(t *testing.T, v float64) {
		want, werr := encodingJSON(t, v)
		got, err := Float(nil, v)
		if (err != nil) != (werr != nil) || (err == nil && string(got) != want) {
			t.Fatalf("Float(%v) = %s, %v, want %s, %v", v, got, err, want, werr)
		}
	})
}

func TestTimeMatchesEncodingJSON(t *testing.T) {
	for _, tm := range []time.Time{
		{}, time.Date(2026, 11, 22, 10, 0, 0, 123e6, time.UTC), time.Date(2026, 11, 22, 10, 0, 0, 1, time.UTC),
		time.Date(2026, 11, 22, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("odd", -(3*3600+30*60+15))),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("far", 25*3600)),
	} {
		want, werr := encodingJSON(t, tm)
		got, err := Time(nil, tm)
		if (err != nil) != (werr != nil) || (err == nil && string(got) != want) {
			t.Errorf("Time(%v) = %s, %v, want %s, %v", tm, got, err, want, werr)
		}
	}
}

// TestTimeCacheMatchesTime formats runs of times that share seconds and
// zones, and some that do not, through one cache, and compares each with
// Time, error included.
func TestTimeCacheMatchesTime(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("odd", -(3*3600 + 1800 + 7)),
		time.FixedZone("UTC0", 0), time.FixedZone("far", 25*3600), time.Local}
	bases := []time.Time{time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)}
	var c TimeCache
	base, loc := bases[0], zones[0]
	hits := 0
	for range 50_000 {
		if r.IntN(20) == 0 {
			base, loc = bases[r.IntN(len(bases))], zones[r.IntN(len(zones))]
		}
		ns := []int{0, 1, 10, 123_000_000, 999_999_999, r.IntN(1e9)}[r.IntN(6)]
		tm := base.Add(time.Duration(r.IntN(3))*time.Second + time.Duration(ns)).In(loc)
		want, werr := Time(nil, tm)
		wasOK, sec := c.ok, c.sec
		got, gerr := c.Append([]byte("x"), tm)
		if (werr == nil) != (gerr == nil) || string(got[1:]) != string(want) && werr == nil {
			t.Fatalf("%v: cache %q (%v), Time %q (%v)", tm, got[1:], gerr, want, werr)
		}
		if wasOK && sec == tm.Unix() {
			hits++
		}
	}
	if hits < 5_000 {
		t.Fatalf("only %d cache hits", hits)
	}
}

// TestThreeByteSequences: every lead byte E0–EF with continuation bytes
// around their valid range, alone and between ASCII, encodes as
// encoding/json does (the three-byte shortcut of String included).
func TestThreeByteSequences(t *testing.T) {
	for c := 0xe0; c <= 0xef; c++ {
		for c1 := 0x70; c1 <= 0xc0; c1++ {
			for c2 := 0x70; c2 <= 0xc0; c2++ {
				s := string([]byte{'a', byte(c), byte(c1), byte(c2), 'b'})
				want, _ := encodingJSON(t, s)
				if got := string(String(nil, s)); got != want {
					t.Fatalf("% x: %s, encoding/json %s", s, got, want)
				}
			}
		}
	}
}
