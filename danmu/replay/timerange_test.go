package replay

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// timeLine is a moderator's 激光 at t, received at received ("": none).
func timeLine(t, received string) string {
	line := `{"kind":"chat","time":"` + t + `","user":{"id":"1","name":"m","role":"moderator"},"text":"激光"`
	if received != "" {
		line += `,"received":"` + received + `"`
	}
	return line + "}"
}

// A time the rig cannot count in nanoseconds since 1970 (UnixNano, which
// ends in 2262; the rig takes it to be positive) is a bad line naming its
// line number, in "time" and in "received" alike; the years 1970 to 2261
// are read.
func TestTimeOutsideUnixNano(t *testing.T) {
	in := strings.Join([]string{
		timeLine("2300-01-01T00:00:00Z", ""),
		timeLine("1600-01-01T00:00:00Z", ""),
		timeLine("2026-01-01T00:00:00Z", "2300-01-01T00:00:00Z"),
		timeLine("2026-01-01T00:00:00Z", "0001-01-02T00:00:00Z"),
		timeLine("2262-01-01T00:00:00Z", ""),
		timeLine("1969-12-31T23:59:59.999999999Z", ""),
		timeLine("1970-01-01T00:00:00Z", "2261-12-31T23:59:59.999999999Z"),
		timeLine("2261-12-31T23:59:59.999999999+00:00", ""),
		timeLine("1970-01-01T07:59:59+08:00", ""), // 1969 in UTC
		timeLine("2262-01-01T07:59:59+08:00", "2026-01-01T00:00:00Z"),
	}, "\n")
	d := NewDecoder(strings.NewReader(in))
	var got []string
	for {
		ev, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		switch {
		case errors.Is(err, ErrBadEvent):
			got = append(got, err.Error())
		case err != nil:
			t.Fatal(err)
		default:
			got = append(got, "read "+ev.Time.UTC().Format(time.RFC3339Nano))
		}
	}
	want := []string{
		"replay: line 1: bad event: time 2300-01-01T00:00:00Z is outside the years 1970 to 2261",
		"replay: line 2: bad event: time 1600-01-01T00:00:00Z is outside the years 1970 to 2261",
		"replay: line 3: bad event: received 2300-01-01T00:00:00Z is outside the years 1970 to 2261",
		"replay: line 4: bad event: received 0001-01-02T00:00:00Z is outside the years 1970 to 2261",
		"replay: line 5: bad event: time 2262-01-01T00:00:00Z is outside the years 1970 to 2261",
		"replay: line 6: bad event: time 1969-12-31T23:59:59.999999999Z is outside the years 1970 to 2261",
		"read 1970-01-01T00:00:00Z",
		"read 2261-12-31T23:59:59.999999999Z",
		"replay: line 9: bad event: time 1970-01-01T07:59:59+08:00 is outside the years 1970 to 2261",
		"read 2261-12-31T23:59:59Z",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzTimeRange: a line read has its times in the range, through the fast
// reader and encoding/json alike.
func FuzzTimeRange(f *testing.F) {
	for _, s := range []string{
		timeLine("2300-01-01T00:00:00Z", ""), timeLine("1600-01-01T00:00:00Z", ""),
		timeLine("2262-04-11T23:47:16.854775807Z", ""), timeLine("1677-09-21T00:12:43.145224192Z", ""),
		timeLine("2026-01-01T00:00:00Z", "9999-12-31T23:59:59Z"), timeLine("2026-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
		timeLine("2261-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z"), timeLine("1678-01-01T00:00:00Z", ""),
		strings.Replace(timeLine("2300-01-01T00:00:00Z", ""), `"kind"`, `"Kind"`, 1), // encoding/json's reader
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var (
			p  lineParser
			ev danmu.Event
		)
		if err := p.parseLine(b, &ev); err == nil && (!InRange(ev.Time) || !p.received.IsZero() && !InRange(p.received)) {
			t.Fatalf("%q: read time %v received %v", b, ev.Time, p.received)
		}
	})
}
