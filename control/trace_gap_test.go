package control

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// disk is a writer that takes at most room more bytes (negative: no
// limit), as a full disk does: a write past it is cut short.
type disk struct {
	b    strings.Builder
	room int
}

func (d *disk) Write(p []byte) (int, error) {
	if d.room < 0 {
		d.b.Write(p)
		return len(p), nil
	}
	n := min(len(p), d.room)
	d.b.Write(p[:n])
	d.room -= n
	if n < len(p) {
		return n, errors.New("no space left on device")
	}
	return n, nil
}

// A line trace that lost lines on a full disk writes, with the first line
// it can write again, a gap line: how many it lost and the time of the
// first, on a line of its own after a line cut short. Without it the
// trace read as whole, the lost lines never there; Close writes the gap
// of lines lost at the end and says how many were lost.
func TestLineTraceGap(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	out := func(ms int, v float64) safety.Output {
		return safety.Output{Time: t0.Add(time.Duration(ms) * time.Millisecond), Target: "laser", Action: actuators.ActionSwitch, Value: v}
	}
	for _, c := range []struct {
		name string
		room int // bytes left after the first line
		want string
	}{
		{"none left", 0, `{"kind":"gap","time":"2026-11-22T10:00:00.02Z","lost":2}`},
		{"a line cut short", 30, "{\"kind\":\"output\",\"time\":\"2026-\n" + `{"kind":"gap","time":"2026-11-22T10:00:00.02Z","lost":2}`},
	} {
		d := &disk{room: -1}
		tr := NewLineTrace(d)
		tr.Output(out(0, 0))
		d.room = c.room
		tr.Output(out(20, 1))
		tr.Stop(t0.Add(40 * time.Millisecond))
		d.room = -1
		tr.Output(out(60, 0))
		first := `{"kind":"output","time":"2026-11-22T10:00:00Z","target":"laser","action":"switch","value":0}` + "\n"
		want := first + c.want + "\n" + `{"kind":"output","time":"2026-11-22T10:00:00.06Z","target":"laser","action":"switch","value":0}` + "\n"
		if got := d.b.String(); got != want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, want)
		}
		if err := tr.Close(); err == nil || !strings.Contains(err.Error(), "2 line(s) could not be written: no space left on device") || tr.Failed() != 2 {
			t.Errorf("%s: Close %v, %d failed", c.name, err, tr.Failed())
		}
	}

	// Lost at the end: Close writes the gap line if it can.
	d := &disk{room: -1}
	tr := NewLineTrace(d)
	d.room = 0
	tr.Output(out(20, 1))
	d.room = -1
	if err := tr.Close(); err == nil {
		t.Error("Close: no error")
	}
	if got, want := d.b.String(), `{"kind":"gap","time":"2026-11-22T10:00:00.02Z","lost":1}`+"\n"; got != want {
		t.Errorf("at Close:\n got %q\nwant %q", got, want)
	}

	// Nothing lost: no gap, no error.
	d = &disk{room: -1}
	tr = NewLineTrace(d)
	tr.Output(out(0, 1))
	if err := tr.Close(); err != nil || strings.Contains(d.b.String(), "gap") {
		t.Errorf("nothing lost: %v, %q", err, d.b.String())
	}
}
