package monitor

import (
	"fmt"
	"strings"
	"testing"
)

// gapRun1 is a first run that lights the laser after its hold and turns it
// off in time: nothing to report.
const gapRun1 = `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":true}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"tilt","action":"move","value":20}
{"kind":"output","time":"2026-11-22T10:00:02Z","target":"laser","action":"switch","value":1}
{"kind":"output","time":"2026-11-22T10:00:10Z","target":"laser","action":"switch","value":0}
`

// gapLine is a gap line after gapRun1's lines, and the lines its run wrote
// on after it (unchecked: lines are lost before them; a resume line's
// state alone is read, and no stop is in force: TestStopPastAGapIsCarriedOver).
const gapLine = `{"kind":"gap","time":"2026-11-22T10:00:10.02Z","lost":3}
{"kind":"output","time":"2026-11-22T10:00:30Z","target":"pan","action":"move","value":40}
{"kind":"resume","time":"2026-11-22T10:00:31Z"}
{"kind":"decision","time":"2026-11-22T10:00:31Z","text":"左"}
`

// gapRun2 is a later run appended to the same trace that lights the
// laser while it homes: a hold violation, at its line 4.
const gapRun2 = `{"kind":"restart","time":"2026-11-22T12:00:00Z","keep_state":true}
{"kind":"output","time":"2026-11-22T12:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T12:00:00Z","target":"tilt","action":"move","value":20}
{"kind":"output","time":"2026-11-22T12:00:00.1Z","target":"laser","action":"switch","value":1}
{"kind":"output","time":"2026-11-22T12:00:05Z","target":"laser","action":"switch","value":0}
`

// One gap line (a full disk, once) no longer leaves every run appended to
// the trace after it unchecked: that run's part ends at the gap, the lines
// it wrote on after it are skipped up to the next restart line, and the
// runs from there are checked; the gap is still the error ReadTrace
// returns, after them. Before, reading stopped at the gap line for good,
// and the later run's violation was never found.
func TestReadTraceGoesOnPastAGap(t *testing.T) {
	gapAt := strings.Count(gapRun1, "\n") + 1
	for _, c := range []struct{ name, in string }{
		{"whole lines", gapRun1 + gapLine + gapRun2},
		{"a line cut short before the gap", gapRun1 + `{"kind":"output","ti` + "\n" + gapLine + gapRun2},
		{"a torn line after the gap, the restart glued on", gapRun1 + gapLine + `{"kind":"output","time":"2026-11-22T10:00:40Z","tar` + gapRun2},
		{"nothing written on after the gap", gapRun1 + strings.SplitAfter(gapLine, "\n")[0] + gapRun2},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := baseLimits()
			withHold(&l)
			m := New(l)
			err := ReadTraceWarn(strings.NewReader(c.in), m, func(error) {})
			gap := gapAt
			if strings.Contains(c.name, "cut short") {
				gap++
			}
			want := fmt.Sprintf("monitor: trace line %d: 3 line(s) lost from 2026-11-22T10:00:10.02Z on", gap)
			if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "what the run did from here cannot be checked") {
				t.Errorf("err %v, want %q…", err, want)
			}
			run2 := strings.Count(c.in, "\n") - strings.Count(gapRun2, "\n") + 1 // its restart line
			var got []string
			for _, v := range m.Violations() {
				got = append(got, fmt.Sprintf("%d %s", v.Line, v.Rule))
			}
			if want := fmt.Sprintf("[%d hold]", run2+3); fmt.Sprint(got) != want {
				t.Errorf("violations %v, want %s\n%s", got, want, list(m))
			}
		})
	}
}

// Past a gap, a line the trace does not write is still an error, and a
// gap in a later run is told to warn, the first gap the error.
func TestReadTraceAfterAGap(t *testing.T) {
	t.Run("unknown kind", func(t *testing.T) {
		in := gapRun1 + gapLine + `{"kind":"chat","time":"2026-11-22T10:00:40Z"}` + "\n" + gapRun2
		err := ReadTraceWarn(strings.NewReader(in), New(baseLimits()), nil)
		if want := `monitor: trace line 10: unknown kind "chat"`; err == nil || err.Error() != want {
			t.Errorf("err %v, want %q", err, want)
		}
	})
	t.Run("a second gap", func(t *testing.T) {
		gap2 := `{"kind":"gap","time":"2026-11-22T12:00:05.02Z","lost":1}` + "\n"
		var warnings []string
		m := New(baseLimits())
		err := ReadTraceWarn(strings.NewReader(gapRun1+gapLine+gapRun2+gap2), m, func(err error) { warnings = append(warnings, err.Error()) })
		if want := "monitor: trace line 6: 3 line(s) lost"; err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("err %v, want %q…", err, want)
		}
		if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "monitor: trace line 15: 1 line(s) lost from 2026-11-22T12:00:05.02Z on") {
			t.Errorf("warnings %q", warnings)
		}
	})
	t.Run("a gap alone", func(t *testing.T) {
		// The run's restart line cut off to make room for its gap line.
		err := ReadTrace(strings.NewReader(`{"kind":"gap","time":"2026-11-22T10:00:00Z","lost":1}`+"\n"), New(baseLimits()))
		if want := "monitor: trace line 1: 1 line(s) lost"; err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("err %v, want %q…", err, want)
		}
	})
}

// The outputs read before a gap held until the first line lost, the gap's
// time: the laser lit past its budget by then is found, at the gap line.
func TestReadTraceGapEndsTheRunAtItsTime(t *testing.T) {
	l := baseLimits()
	budget(&l)
	in := strings.Join(strings.SplitAfter(litLines, "\n")[:3], "") +
		`{"kind":"gap","time":"2026-11-22T10:00:30Z","lost":1}` + "\n"
	m := New(l)
	if err := ReadTrace(strings.NewReader(in), m); err == nil {
		t.Fatal("no error for the gap")
	}
	var got []string
	for _, v := range m.Violations() {
		got = append(got, fmt.Sprintf("%d %s", v.Line, v.Rule))
	}
	if fmt.Sprint(got) != "[4 light_budget]" {
		t.Errorf("violations %v\n%s", got, list(m))
	}
}
