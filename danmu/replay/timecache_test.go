package replay

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// TestTimeCacheAgrees reads runs of times that share seconds and zones,
// and some that do not, through one cache, and compares each with
// time.Time's own UnmarshalJSON: instant, zone name and offset.
func TestTimeCacheAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	zones := []string{"Z", "+08:00", "-03:30", "+00:00", "+8:00", "Z0", ""}
	heads := []string{"2026-11-22T10:00:00", "2026-11-22T10:00:01", "2026-02-29T10:00:00", "2024-02-29T23:59:59",
		"2026-11-22T24:00:00", "2026-11-22 10:00:00", "2026-13-01T00:00:00"}
	var c timeCache
	hits := 0
	head, zone := heads[0], zones[0]
	for range 20_000 {
		if r.IntN(10) == 0 { // a recording mostly stays within a second and a zone
			head, zone = heads[r.IntN(len(heads))], zones[r.IntN(len(zones))]
		}
		frac := ""
		if n := r.IntN(12); n > 0 {
			frac = "."
			for range n {
				frac += string(rune('0' + r.IntN(10)))
			}
		}
		switch r.IntN(50) {
		case 0:
			frac = ".x1"
		case 1:
			frac = ",5" // time.Parse reads a comma as the decimal point too
		case 2:
			frac = ".25,5"
		}
		raw := fmt.Sprintf("%q", head+frac+zone)
		var want time.Time
		wantErr := want.UnmarshalJSON([]byte(raw))
		s := scan{b: []byte(raw)}
		var got time.Time
		hit := c.hit([]byte(raw[1:len(raw)-1]), &got)
		s = scan{b: []byte(raw)}
		ok := c.read(&s, &got)
		if hit {
			hits++
		}
		if ok != (wantErr == nil) {
			t.Fatalf("%s: read ok=%v, UnmarshalJSON err=%v", raw, ok, wantErr)
		}
		if !ok {
			continue
		}
		wn, wo := want.Zone()
		gn, go_ := got.Zone()
		if !got.Equal(want) || wn != gn || wo != go_ || got.Location().String() != want.Location().String() {
			t.Fatalf("%s: read %v (%s %d), want %v (%s %d)", raw, got, gn, go_, want, wn, wo)
		}
	}
	if hits < 1000 {
		t.Fatalf("only %d cache hits: the test does not exercise the cache", hits)
	}
}

// TestTemplateReadsWriterLines: what AppendEvent writes takes the template
// reader, and reads as the general fast reader reads it, the time cache
// warm across lines.
func TestTemplateReadsWriterLines(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var tp, gp lineParser
	read := 0
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for i := range 5_000 {
		ev := randomEvent(r)
		ev.Time = t0.Add(time.Duration(i) * 7 * time.Millisecond)
		line, err := AppendEvent(nil, ev)
		if err != nil {
			t.Fatal(err)
		}
		line = line[:len(line)-1]
		var got, want danmu.Event
		ok := tp.template(line, &got)
		wok := gp.parse(append([]byte(" "), line...), &want)
		if ok != wok {
			t.Fatalf("%s: template ok=%v, general ok=%v", line, ok, wok)
		}
		if ok && !sameEvent(got, want) {
			t.Fatalf("%s:\n template %+v\n  general %+v", line, got, want)
		}
		if ok {
			read++
		}
	}
	if read < 100 {
		t.Fatalf("the template read only %d of 5,000 lines", read)
	}
}
