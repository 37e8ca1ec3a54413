package replay

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// sameTime reports whether a and b are the same instant in the same zone.
func sameTime(a, b time.Time) bool {
	an, ao := a.Zone()
	bn, bo := b.Zone()
	return a.Equal(b) && an == bn && ao == bo
}

// sameEvent reports whether a and b are the same event, times compared as
// instants in the same zone.
func sameEvent(a, b danmu.Event) bool {
	an, ao := a.Time.Zone()
	bn, bo := b.Time.Zone()
	if !a.Time.Equal(b.Time) || an != bn || ao != bo {
		return false
	}
	a.Time, b.Time = time.Time{}, time.Time{}
	return a == b
}

// fastAgrees fails t if the fast reader reads line otherwise than
// encoding/json, and reports whether it read it.
func fastAgrees(t *testing.T, line []byte) bool {
	t.Helper()
	var (
		p         lineParser
		fast, ref danmu.Event
		received  time.Time
	)
	if !p.parse(line, &fast) {
		return false
	}
	if err := parseGeneral(line, &ref, &received); err != nil {
		// The fast reader read a line encoding/json refuses: only the
		// checks after reading may refuse it, and then both must.
		if ferr := check(&fast, p.received); ferr == nil || ferr.Error() != err.Error() {
			t.Fatalf("fast reader read %q as %+v; encoding/json: %v", line, fast, err)
		}
		return true
	}
	if _ = check(&fast, p.received); !sameEvent(fast, ref) || !sameTime(p.received, received) {
		t.Fatalf("%q:\n fast %+v received %v\n  ref %+v received %v", line, fast, p.received, ref, received)
	}
	return true
}

func parseSeeds(tb testing.TB) [][]byte {
	var seeds [][]byte
	files, _ := filepath.Glob("../../testdata/replay/*.jsonl")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, MaxLine)
		for sc.Scan() {
			seeds = append(seeds, bytes.Clone(sc.Bytes()))
		}
	}
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 200 {
		line, _ := AppendEvent(nil, randomEvent(r))
		seeds = append(seeds, bytes.TrimSpace(line))
		line, _ = AppendRecord(nil, randomEvent(r), randomEvent(r).Time.Add(time.Duration(i)))
		seeds = append(seeds, bytes.TrimSpace(line))
	}
	good := strings.ReplaceAll(designExample, "\n", "")
	rec := strings.TrimSuffix(good, "}") + `,"received":"2026-11-22T10:00:00.1234Z"}`
	for _, s := range []string{
		rec, strings.Replace(rec, `"received"`, `"Received"`, 1), strings.Replace(rec, `.1234Z"`, `.1234+08:00"`, 1),
		strings.Replace(rec, `"2026-11-22T10:00:00.1234Z"`, `null`, 1), strings.Replace(rec, `"2026-11-22T10:00:00.1234Z"`, `"yesterday"`, 1),
		strings.Replace(rec, `"2026-11-22T10:00:00.1234Z"`, `1`, 1), strings.Replace(rec, `}}`, `} }`, 1),
		strings.Replace(rec, `,"received"`, `,"received":"2026-11-22T10:00:00Z","received"`, 1),
		strings.Replace(rec, `{"platform"`, `{"received":"2026-11-22T10:00:00Z","platform"`, 1),
		good, good + " trailing", strings.Replace(good, `"platform"`, `"Platform"`, 1),
		strings.Replace(good, `"text":"左3"`, `"text":"左3","text":"右"`, 1),
		strings.Replace(good, `"guard":0`, `"guard":1.0`, 1), strings.Replace(good, `"guard":0`, `"guard":99999999999999999999`, 1),
		strings.Replace(good, `"masked":false`, `"masked":null`, 1), strings.Replace(good, `"text":"左3"`, `"text":"\ud83d\ude00\u00e9\n"`, 1),
		strings.Replace(good, `"time":"2026-11-22T10:00:00.123Z"`, `"time":"2026-11-22T10:00:00.123+08:00"`, 1),
		strings.Replace(good, `"time":"2026-11-22T10:00:00.123Z"`, `"time":"2026-11-22 10:00:00"`, 1),
		strings.Replace(good, `"kind":"chat"`, `"kind":"dance"`, 1), `{}`, `{"kind":"chat"}`, `[]`, `{"extra":1}`,
		`{"kind":"chat","time":"2026-01-01T00:00:00Z","user":{"role":"god"}}`,
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

func TestFastReaderMatchesEncodingJSON(t *testing.T) {
	for _, line := range parseSeeds(t) {
		fastAgrees(t, line)
	}
	// Recordings as the writers make them take the fast reader.
	b, err := os.ReadFile("../../testdata/replay/basic.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		if !fastAgrees(t, line) {
			t.Errorf("not read by the fast reader: %s", line)
		}
	}
}

// FuzzFastReader is the differential test of the fast reader against
// encoding/json, seeded from testdata/replay and the writer's output.
func FuzzFastReader(f *testing.F) {
	for _, s := range parseSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		fastAgrees(t, line)
		_, _ = Parse(line)
		// A second reading by the same parser, its time cache warm, reads
		// the line as the first did.
		var (
			p            lineParser
			first, again danmu.Event
		)
		ok1 := p.parse(line, &first)
		received := p.received
		ok2 := p.parse(line, &again)
		if ok1 != ok2 || (ok1 && (!sameEvent(first, again) || !sameTime(received, p.received))) {
			t.Fatalf("%q: read %+v (%v), then %+v (%v)", line, first, ok1, again, ok2)
		}
	})
}

// FuzzReadAfter reads line b after line a with one parser, whose time
// cache and kept runs (memo.go) a has set, and compares it with b read by
// a fresh parser: what a line means never depends on the line before.
func FuzzReadAfter(f *testing.F) {
	seeds := parseSeeds(f)
	for i, s := range seeds {
		f.Add(s, seeds[(i+1)%len(seeds)])
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		a, _ := AppendEvent(nil, randomEvent(r))
		b, _ := AppendEvent(nil, randomEvent(r))
		f.Add(a[:len(a)-1], b[:len(b)-1])
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var (
			warm, fresh lineParser
			ev, want    danmu.Event
		)
		_ = warm.parseLine(a, &ev)
		ev = danmu.Event{Text: "left over"}
		err := warm.parseLine(b, &ev)
		werr := fresh.parseLine(b, &want)
		if (err == nil) != (werr == nil) || (err == nil && (!sameEvent(ev, want) || !sameTime(warm.received, fresh.received))) {
			t.Fatalf("%q after %q: %+v (%v), fresh %+v (%v)", b, a, ev, err, want, werr)
		}
	})
}

func TestParseAllocs(t *testing.T) {
	line := []byte(strings.ReplaceAll(designExample, "\n", ""))
	var (
		p  lineParser
		ev danmu.Event
	)
	if err := p.parseLine(line, &ev); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _ = p.parseLine(line, &ev) }); n > 1 {
		t.Errorf("%v allocations per line, want 1", n)
	}
}

func BenchmarkDecoder(b *testing.B) {
	line, _ := AppendEvent(nil, danmu.Event{Platform: "bilibili", Room: "21144080", Kind: danmu.KindChat, ID: "1700000000123",
		Time: time.Date(2026, 11, 22, 10, 0, 0, 123e6, time.UTC),
		User: danmu.User{ID: "123", Name: "猫奴", Role: danmu.RoleViewer}, Text: "左3"})
	in := bytes.Repeat(line, 10_000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		d := NewDecoder(bytes.NewReader(in))
		for {
			if _, err := d.Next(); err != nil {
				break
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(10_000*b.N), "ns/event")
}
