package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// A start line is written as encoding/json writes its kind and time.
func TestAppendStartMatchesEncodingJSON(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2026, 12, 1, 6, 59, 22, 861819008, time.UTC),
		time.Date(2026, 12, 1, 14, 59, 22, 0, time.FixedZone("CST", 8*3600)),
		MinTime,
	} {
		got, err := AppendStart([]byte("x"), at)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(struct {
			Kind string    `json:"kind"`
			Time time.Time `json:"time"`
		}{"start", at})
		if string(got) != "x"+string(want)+"\n" {
			t.Errorf("%s, want %s", got, want)
		}
	}
	if got, err := AppendStart([]byte("x"), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil || string(got) != "x" {
		t.Errorf("a time JSON cannot hold: %q, %v", got, err)
	}
}

// The decoder skips start lines and tells the last one's time and how
// many it read; a record without them (older ones) tells none. Both
// readers, the fast one and encoding/json, read them.
func TestDecoderStartLines(t *testing.T) {
	s0 := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	s1 := s0.Add(time.Hour)
	var buf bytes.Buffer
	w := NewWriter(&buf)
	ev := func(id string, at time.Time) danmu.Event {
		return danmu.Event{Platform: "bilibili", Room: "1", Kind: danmu.KindChat, ID: id, Time: at, Text: "左",
			User: danmu.User{ID: "1", Name: "猫奴", Role: danmu.RoleViewer}}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.WriteStart(s0))
	must(w.WriteReceived(ev("a", s0.Add(time.Second)), s0.Add(time.Second)))
	must(w.Flush())
	// by hand, for encoding/json: the keys in another order and case
	buf.WriteString(`{ "Time": "` + s1.Format(time.RFC3339Nano) + `", "Kind": "start" }` + "\n")
	must(w.Write(ev("b", s1.Add(time.Second))))
	must(w.Flush())

	d := NewDecoder(&buf)
	if !d.Start().IsZero() || d.Starts() != 0 {
		t.Fatal("a start before any line")
	}
	for _, want := range []struct {
		id     string
		start  time.Time
		starts int
		line   int
	}{{"a", s0, 1, 2}, {"b", s1, 2, 4}} {
		got, err := d.Next()
		if err != nil || got.ID != want.id || !d.Start().Equal(want.start) || d.Starts() != want.starts || d.Line() != want.line {
			t.Fatalf("%s: %+v %v, start %v of %d, line %d", want.id, got, err, d.Start(), d.Starts(), d.Line())
		}
	}
	if _, err := d.Next(); !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}

	d = NewDecoder(strings.NewReader(`{"kind":"chat","time":"2026-12-01T06:00:00Z","text":"左"}` + "\n"))
	if _, err := d.Next(); err != nil || !d.Start().IsZero() || d.Starts() != 0 {
		t.Fatalf("a record without start lines: %v, start %v of %d", err, d.Start(), d.Starts())
	}
}

// A start line holds its kind and time, a time a record may hold: any
// other is a bad line, named by its line, and reading goes on after it.
// Parse, which reads one event, refuses a start line.
func TestBadStartLines(t *testing.T) {
	for _, tc := range []struct{ line, msg string }{
		{`{"kind":"start","time":"2026-12-01T06:00:00Z","text":"左"}`, "a start line holds its kind and time only"},
		{`{"kind":"start","time":"2026-12-01T06:00:00Z","received":"2026-12-01T06:00:00Z"}`, "a start line holds its kind and time only"},
		{`{"kind":"start","platform":"bilibili","time":"2026-12-01T06:00:00Z"}`, "a start line holds its kind and time only"},
		{`{"kind":"start"}`, "a start line without a time"},
		{`{"kind":"start","time":"2300-01-01T00:00:00Z"}`, "start 2300-01-01T00:00:00Z is outside the years 1970 to 2261"},
		{`{"kind":"start","time":"2026-12-01T06:00:00Z","extra":1}`, `json: unknown field "extra"`},
	} {
		d := NewDecoder(strings.NewReader(tc.line + "\n" + `{"kind":"chat","time":"2026-12-01T06:00:01Z","text":"左"}` + "\n"))
		_, err := d.Next()
		if !errors.Is(err, ErrBadEvent) || err.Error() != "replay: line 1: bad event: "+tc.msg {
			t.Errorf("%s: %v, want %q", tc.line, err, tc.msg)
		}
		if ev, err := d.Next(); err != nil || ev.Text != "左" || d.Starts() != 0 {
			t.Errorf("%s: the line after: %+v %v, %d starts", tc.line, ev, err, d.Starts())
		}
	}
	if _, err := Parse([]byte(`{"kind":"start","time":"2026-12-01T06:00:00Z"}`)); !errors.Is(err, ErrBadEvent) ||
		err.Error() != "bad event: a start line, not an event" {
		t.Errorf("Parse of a start line: %v", err)
	}
}

// A recording fed into a live run (Source) skips start lines: they are
// no events, and no decode errors.
func TestSourceSkipsStartLines(t *testing.T) {
	in := `{"kind":"start","time":"2026-12-01T06:00:00Z"}` + "\n" +
		`{"kind":"chat","time":"2026-12-01T06:00:01Z","text":"左"}` + "\n" +
		`{"kind":"start","time":"2026-12-01T07:00:00Z"}` + "\n"
	c := &danmu.Counters{}
	var got []danmu.Event
	err := (&Source{In: strings.NewReader(in), Counters: c}).Stream(context.Background(), func(evs []danmu.Event) error {
		got = append(got, evs...)
		return nil
	})
	if err != nil || len(got) != 1 || got[0].Text != "左" || c.Get("decode_error:bad_event") != 0 {
		t.Fatalf("%v %+v, %d bad", err, got, c.Get("decode_error:bad_event"))
	}
}
