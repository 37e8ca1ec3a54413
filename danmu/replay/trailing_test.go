package replay

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/cattease/cattease/danmu"
)

// A line holds one event and nothing else. Two events glued together (a
// lost newline, two writers racing on one file), or an event followed by
// anything, is a bad line: read as one event, the rest would be lost with
// no count and no error.
func TestTrailingDataIsABadLine(t *testing.T) {
	good := strings.ReplaceAll(designExample, "\n", "")
	second := strings.Replace(good, `"text":"左3"`, `"text":"激光"`, 1)
	for i, line := range []string{
		good + second,
		good + " " + second,
		good + " garbage",
		good + "}",
		good + "]",
		good + ",",
		good + " 1",
		good + `"x"`,
		good + " null",
		good + "\x00",
	} {
		if ev, err := Parse([]byte(line)); !errors.Is(err, ErrBadEvent) {
			t.Errorf("#%d event + %.20q: Parse = %q, %v; want ErrBadEvent", i, line[len(good):], ev.Text, err)
		}
		// The same through a stream: counted, and the next line still read.
		var c danmu.Counters
		var got []string
		s := &Source{In: strings.NewReader(line + "\n" + good + "\n"), Counters: &c}
		err := s.Stream(t.Context(), func(evs []danmu.Event) error {
			got = append(got, evs[0].Text)
			return nil
		})
		if err != nil || len(got) != 1 || got[0] != "左3" || c.Get("decode_error:bad_event") != 1 {
			t.Errorf("#%d: events %q, err %v, counters %v; want the good line only and one bad_event", i, got, err, c.Snapshot())
		}
	}
	// Lines in the writer's own form take the fast reader, which must
	// refuse the same, whether or not it has read the line's shape before.
	ev, err := Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	w, err := AppendEvent(nil, ev)
	if err != nil {
		t.Fatal(err)
	}
	w = w[:len(w)-1] // without its newline
	var p lineParser
	for i, line := range [][]byte{w, append(w[:len(w):len(w)], w...), append(w[:len(w):len(w)], " x"...), append(w[:len(w):len(w)], '}')} {
		var got danmu.Event
		err := p.parseLine(line, &got)
		if (i == 0) != (err == nil) {
			t.Errorf("writer form #%d (%d bytes): %v", i, len(line), err)
		}
	}
	// Whitespace around the event is not data.
	for _, line := range []string{good + " \t\r", " \t" + good, good + "\n"} {
		if _, err := Parse([]byte(line)); err != nil {
			t.Errorf("%q: %v", line, err)
		}
	}
	// The error says what is wrong and where the line is.
	d := NewDecoder(strings.NewReader(good + "\n" + good + " garbage\n"))
	if _, err := d.Next(); err != nil {
		t.Fatal(err)
	}
	_, err = d.Next()
	if err == nil || errors.Is(err, io.EOF) || !strings.Contains(err.Error(), "line 2: bad event: ") {
		t.Errorf("err = %v", err)
	}
}
