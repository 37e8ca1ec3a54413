package monitor

import (
	"fmt"
	"strings"
	"testing"
)

// tornCase is a trace whose first run lights the laser and is cut off by a
// power cut (what the cut leaves is torn), then a second run whose outputs
// break the speed limit: a trace read on past the torn line finds that.
func tornTrace(torn string) string {
	return `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":true}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T10:00:00.02Z","target":"laser","action":"switch","value":1}
` + torn + `{"kind":"restart","time":"2026-11-22T12:00:00Z","keep_state":true}
{"kind":"output","time":"2026-11-22T12:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T12:00:00.02Z","target":"pan","action":"move","value":3.1}
`
}

// A torn line (a power cut's partial line or NUL bytes, then the next
// run's restart line) no longer makes the whole trace unreadable: that
// run's part ends at the line before, everything off, a warning names the
// line, and the runs after it are checked. Before, verify refused the
// trace.
func TestReadTraceTornLine(t *testing.T) {
	partial := `{"kind":"output","time":"2026-11-22T10:00:00.04Z","target":"pa`
	for _, c := range []struct {
		name, torn string
		line       int
	}{
		{"partial line", partial + "\n", 4},
		{"NUL bytes", strings.Repeat("\x00", 4096) + "\n", 4},
		{"NUL bytes past the line cap", strings.Repeat("\x00", 3*MaxLine) + "\n", 4},
		{"the restart glued on", partial, 4},
		{"NUL bytes past the line cap, the restart glued on", strings.Repeat("\x00", 3*MaxLine), 4},
		{"two torn lines", partial + "\n" + "\x00\x00\x00\n", 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := baseLimits()
			noAccel(&l)
			budget(&l)
			m := New(l)
			var warnings []string
			err := ReadTraceWarn(strings.NewReader(tornTrace(c.torn)), m, func(err error) { warnings = append(warnings, err.Error()) })
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) == 0 || !strings.HasPrefix(warnings[0], fmt.Sprintf("monitor: trace line %d cannot be read (", c.line)) {
				t.Fatalf("warnings %q", warnings)
			}
			// The laser went off with the first run, at its last line: the
			// two hours to the restart are not light. The second run's
			// speed violation is found.
			if got := fmt.Sprint(rules(m)); got != "[speed]" {
				t.Fatalf("violations %s\n%s", got, list(m))
			}
		})
	}
}

// Torn lines and nothing that can be read is still an error.
func TestReadTraceNothingReadable(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"\x00\x00\x00\n", "monitor: trace line 1: "},
		// A line that can be read after the torn one: the run went on.
		{`{"kind":"output","time":"2026-11-22T10:0` + "\n" + `{"kind":"decision","time":"2026-11-22T10:00:00Z"}` + "\n",
			"monitor: trace line 2: the run goes on after a line that could not be read"},
		{strings.Repeat("x", 2*MaxLine), "monitor: trace line 1: "},
	} {
		warned := 0
		err := ReadTraceWarn(strings.NewReader(c.in), New(baseLimits()), func(error) { warned++ })
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%.20q: err %v", c.in, err)
		}
	}
}

// A full disk tears a line in the middle of a run, and the run writes on
// after it. Its later lines used to be skipped up to the next restart, so
// verify said ok to a run that went on breaking every limit; now such a
// trace cannot be verified. A line of the wrong shape (a value of another
// type, a bad time) is no cut either: an error, as before the torn lines.
func TestReadTraceRunGoesOnAfterTornLine(t *testing.T) {
	partial := `{"kind":"output","time":"2026-11-22T10:00:00.04Z","target":"pa`
	for _, c := range []struct{ name, in, want string }{
		{"an output after a torn line", partial + "\n" +
			`{"kind":"output","time":"2026-11-22T10:00:01Z","target":"pan","action":"move","value":40}` + "\n",
			"monitor: trace line 5: the run goes on after a line that could not be read"},
		{"a decision after NUL bytes", "\x00\x00\n" + `{"kind":"decision","time":"2026-11-22T10:00:01Z"}` + "\n",
			"monitor: trace line 5: the run goes on after a line that could not be read"},
		{"a value of another type", `{"kind":"output","time":"2026-11-22T10:00:01Z","target":"pan","action":"move","value":"40"}` + "\n",
			"monitor: trace line 4: json: cannot unmarshal"},
		{"a bad time", `{"kind":"output","time":"10 o'clock","target":"pan","action":"move","value":4}` + "\n",
			"monitor: trace line 4: parsing time"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := tornTrace(c.in)
			in = in[:strings.Index(in, `{"kind":"restart","time":"2026-11-22T12`)] // the run's own lines only
			err := ReadTraceWarn(strings.NewReader(in), New(baseLimits()), func(error) {})
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("err %v, want %q", err, c.want)
			}
		})
	}
}
