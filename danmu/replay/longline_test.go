package replay

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// A line over MaxLine is one bad line, and the lines after it are read:
// before, the scanner's ErrTooLong came back from every later call, and
// replay, which skips bad lines, never reached the end of its input.
func TestOverlongLineIsOneBadLine(t *testing.T) {
	good := strings.ReplaceAll(designExample, "\n", "")
	long := strings.Replace(good, `"text":"左3"`, `"text":"`+strings.Repeat("左", 100_000)+`"`, 1) // 300 kB: gathered, read
	for _, c := range []struct {
		name, in string
		want     []string // "" an event, else the error's text
	}{
		{"between good lines", good + "\n" + strings.Repeat("x", 2*MaxLine) + "\n" + good + "\n",
			[]string{"", "replay: line 2: bad event: longer than 1048576 bytes", ""}},
		{"at the end, no newline", good + "\n" + strings.Repeat("x", MaxLine+10),
			[]string{"", "replay: line 2: bad event: longer than 1048576 bytes"}},
		{"just fits", strings.Repeat(" ", MaxLine-len(good)-1) + good + "\n" + good,
			[]string{"", ""}},
		{"one byte over", strings.Repeat(" ", MaxLine-len(good)) + good + "\n" + good,
			[]string{"replay: line 1: bad event: longer than 1048576 bytes", ""}},
		{"longer than the buffer", good + "\n" + long + "\n" + good + "\n", []string{"", "", ""}},
		{"two long ones", strings.Repeat("y", MaxLine) + "\n\n" + strings.Repeat("z", 3*MaxLine) + "\n" + good,
			[]string{"replay: line 1: bad event: longer than 1048576 bytes", "replay: line 3: bad event: longer than 1048576 bytes", ""}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := NewDecoder(strings.NewReader(c.in))
			var got []string
			for range 10 {
				ev, err := d.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				switch {
				case err == nil:
					got = append(got, "")
					if ev.Kind != "chat" {
						t.Errorf("event %+v", ev)
					}
				case errors.Is(err, ErrBadEvent):
					got = append(got, err.Error())
				default:
					t.Fatalf("not a bad line: %v", err)
				}
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Fatalf("got  %q\nwant %q", got, c.want)
			}
			if _, err := d.Next(); !errors.Is(err, io.EOF) {
				t.Fatalf("after the end: %v", err)
			}
		})
	}
}

// A read error ends the input: it is returned once, not as a bad line,
// and every call after it is io.EOF.
func TestReadErrorEndsTheInput(t *testing.T) {
	good := strings.ReplaceAll(designExample, "\n", "")
	d := NewDecoder(io.MultiReader(strings.NewReader(good+"\n"+good[:20]), iotest.ErrReader(errors.New("input/output error"))))
	if _, err := d.Next(); err != nil {
		t.Fatal(err)
	}
	_, err := d.Next()
	if err == nil || errors.Is(err, ErrBadEvent) || errors.Is(err, io.EOF) || err.Error() != "replay: line 2: input/output error" {
		t.Fatalf("read error: %v", err)
	}
	for range 3 {
		if _, err := d.Next(); !errors.Is(err, io.EOF) {
			t.Fatalf("after a read error: %v", err)
		}
	}
}
