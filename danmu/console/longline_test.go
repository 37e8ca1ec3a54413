package console

import (
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/cattease/cattease/danmu"
)

// A line longer than MaxLine (a paste gone wrong) is cut, as the doc says,
// and the source carries on with the next line: one long line must not end
// the stream.
func TestLongLineIsCutAndTheSourceGoesOn(t *testing.T) {
	long := strings.Repeat("左", MaxLine) // 3 × MaxLine bytes
	exact := strings.Repeat("x", MaxLine)
	tests := []struct {
		name string
		in   string
		want []string // the events' texts
	}{
		{"long line, then more", long + "\n右\n", []string{cutTo(long), "右"}},
		{"long line last, no newline", "右\n" + long, []string{"右", cutTo(long)}},
		{"long CRLF line", long + "\r\n右\r\n", []string{cutTo(long), "右"}},
		{"a line of MaxLine bytes is whole", exact + "\n右", []string{exact, "右"}},
		{"one byte more is cut", exact + "yz\n右", []string{exact, "右"}},
		{"two long lines", long + "\n" + long + "\n激光\n", []string{cutTo(long), cutTo(long), "激光"}},
	}
	for _, tt := range tests {
		for _, r := range []struct {
			how string
			in  io.Reader
		}{
			{"whole", strings.NewReader(tt.in)},
			{"a byte at a time", iotest.OneByteReader(strings.NewReader(tt.in))},
		} {
			var got []danmu.Event
			err := (&Source{In: r.in}).Stream(t.Context(), func(evs []danmu.Event) error {
				got = append(got, evs...)
				return nil
			})
			if err != nil {
				t.Errorf("%s, read %s: %v", tt.name, r.how, err)
			}
			if len(got) != len(tt.want) {
				t.Errorf("%s, read %s: %d events, want %d", tt.name, r.how, len(got), len(tt.want))
				continue
			}
			for i, ev := range got {
				if ev.Text != tt.want[i] {
					t.Errorf("%s, read %s: event %d has %d bytes %.12q…, want %d bytes %.12q…", tt.name, r.how, i, len(ev.Text), ev.Text, len(tt.want[i]), tt.want[i])
				}
				if len(ev.Text) > MaxLine || !utf8.ValidString(ev.Text) {
					t.Errorf("%s, read %s: event %d: %d bytes, valid UTF-8 %v", tt.name, r.how, i, len(ev.Text), utf8.ValidString(ev.Text))
				}
			}
			// Line numbers count the long line once.
			if last := got[len(got)-1]; last.ID != "console-"+strconv.Itoa(len(tt.want)) {
				t.Errorf("%s, read %s: last id %q", tt.name, r.how, last.ID)
			}
		}
	}
}

// cutTo is what a cut line of s keeps: the whole characters in its first
// MaxLine bytes.
func cutTo(s string) string {
	b := s[:MaxLine]
	for !utf8.ValidString(b) {
		b = b[:len(b)-1]
	}
	return b
}
