package replay

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

const designExample = `{"platform":"bilibili","room":"21144080","kind":"chat","id":"1700000000123","time":"2026-11-22T10:00:00.123Z",
 "user":{"id":"123","name":"猫奴","role":"viewer","guard":0,"medal":0,"level":0,"masked":false},
 "text":"左3","gift":{"name":"","count":0,"value_cents":0}}`

func TestDesignExampleRoundTrips(t *testing.T) {
	line := strings.ReplaceAll(designExample, "\n", "")
	ev, err := Parse([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	want := danmu.Event{Platform: "bilibili", Room: "21144080", Kind: danmu.KindChat, ID: "1700000000123",
		Time: time.Date(2026, 11, 22, 10, 0, 0, 123e6, time.UTC),
		User: danmu.User{ID: "123", Name: "猫奴", Role: danmu.RoleViewer}, Text: "左3"}
	if ev != want {
		t.Fatalf("got %+v", ev)
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.Write(ev); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if got := strings.TrimSpace(buf.String()); got != strings.ReplaceAll(line, " ", "") {
		t.Fatalf("record form differs:\n got %s\nwant %s", got, line)
	}
}

func TestDecoderErrorsNameLines(t *testing.T) {
	good := strings.ReplaceAll(designExample, "\n", "")
	in := good + "\n\n" + `{"kind":"chat"}` + "\n" + `{"kind":"dance","time":"2026-01-01T00:00:00Z"}` + "\nnot json\n" + good + "\n"
	d := NewDecoder(strings.NewReader(in))
	var errs []string
	n := 0
	for {
		_, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if !errors.Is(err, ErrBadEvent) {
				t.Fatalf("unexpected %v", err)
			}
			errs = append(errs, err.Error())
			continue
		}
		n++
	}
	if n != 2 || len(errs) != 3 {
		t.Fatalf("events %d errs %v", n, errs)
	}
	for i, want := range []string{"line 3: bad event: no time", "line 4: bad event: unknown kind", "line 5: bad event"} {
		if !strings.Contains(errs[i], want) {
			t.Errorf("err %d = %q, want %q", i, errs[i], want)
		}
	}
}

func TestSourceCountsBadLines(t *testing.T) {
	good := strings.ReplaceAll(designExample, "\n", "")
	var c danmu.Counters
	s := &Source{In: strings.NewReader(good + "\n{}\n" + good + "\n"), Counters: &c}
	out := make(chan danmu.Event, 4)
	if err := s.Run(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || c.Get("decode_error:bad_event") != 1 {
		t.Fatalf("events %d, bad %d", len(out), c.Get("decode_error:bad_event"))
	}
}

func TestOverlongLine(t *testing.T) {
	d := NewDecoder(strings.NewReader(strings.Repeat("x", MaxLine+10)))
	if _, err := d.Next(); err == nil || errors.Is(err, io.EOF) {
		t.Fatalf("err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(strings.ReplaceAll(designExample, "\n", "")))
	f.Add([]byte(`{"kind":"gift","time":"2026-01-01T00:00:00Z","gift":{"value_cents":-1}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := Parse(b)
		if err == nil && (!ev.Kind.Valid() || !ev.User.Role.Valid()) {
			t.Fatalf("accepted invalid %+v", ev)
		}
	})
}

// flaky records each Write and fails while fail is set.
type flaky struct {
	writes []string
	fail   bool
}

func (f *flaky) Write(p []byte) (int, error) {
	if f.fail {
		return 0, errors.New("no space left on device")
	}
	f.writes = append(f.writes, string(p))
	return len(p), nil
}

// A line writer hands each event over whole, at once, and carries on
// after a failed write.
func TestLineWriter(t *testing.T) {
	ev, err := Parse([]byte(strings.ReplaceAll(designExample, "\n", "")))
	if err != nil {
		t.Fatal(err)
	}
	f := &flaky{}
	w := NewLineWriter(f)
	if err := w.Write(ev); err != nil || len(f.writes) != 1 || !strings.HasSuffix(f.writes[0], "}\n") {
		t.Fatalf("%v: %q", err, f.writes)
	}
	f.fail = true
	if err := w.Write(ev); err == nil || !strings.HasPrefix(err.Error(), "replay: record:") {
		t.Fatalf("failed write: %v", err)
	}
	f.fail = false
	ev.Text = "右"
	if err := w.Write(ev); err != nil || len(f.writes) != 2 || !strings.Contains(f.writes[1], `"text":"右"`) {
		t.Fatalf("after recovery: %v: %q", err, f.writes)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}
