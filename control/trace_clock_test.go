package control

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu/replay/jsonw"
)

// The marks an output carries for the monitor's quiet hours ("wall",
// "wall_before", "exit") reach the trace from every writer, and the
// monitor reads them there.

// traceEach writes outs through each of the three trace writers and
// returns what each wrote.
func traceEach(t *testing.T, outs []safety.Output) []string {
	t.Helper()
	var got []string
	for _, mk := range []func(*bytes.Buffer) *Trace{
		func(b *bytes.Buffer) *Trace { return NewTrace(b) },
		func(b *bytes.Buffer) *Trace { return NewLineTrace(b) },
		func(b *bytes.Buffer) *Trace { return NewPipedTrace(b) },
	} {
		var buf bytes.Buffer
		tr := mk(&buf)
		for _, o := range outs {
			tr.Output(o)
		}
		if err := tr.Close(); err != nil {
			t.Fatal(err)
		}
		got = append(got, buf.String())
	}
	return got
}

// quietViolations reads trace with a pan axis and a laser, quiet hours
// 23:00-08:00 in UTC, and returns what the monitor found.
func quietViolations(t *testing.T, trace string) []monitor.Violation {
	t.Helper()
	m := monitor.New(monitor.Limits{Axes: []monitor.AxisLimits{{Name: "pan", Role: "pan", Min: -45, Max: 45, Speed: 90}},
		Switches: []monitor.SwitchLimits{{Name: "laser", Laser: true}}, Location: time.UTC,
		Sessions: monitor.SessionLimits{QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour}})
	if err := monitor.ReadTrace(strings.NewReader(trace), m); err != nil {
		t.Fatal(err)
	}
	return m.Violations()
}

// lines splits a trace into its lines.
func lines(trace string) []string { return strings.Split(strings.TrimSpace(trace), "\n") }

// An output that carries the wall clock's reading (Run's clock kept to
// real time across a step of the wall clock) is traced with it, and the
// monitor reads quiet hours on it: `cattease verify` fails a live trace
// that played at night by the wall clock, whatever the outputs' times.
func TestTraceCarriesTheWallClock(t *testing.T) {
	afternoon := time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC)
	night := afternoon.Add(9 * time.Hour)
	outs := []safety.Output{
		{Time: afternoon, Target: "pan", Action: actuators.ActionAngle, Value: 0},
		{Time: afternoon.Add(time.Minute), Wall: night.Add(time.Minute), Target: "laser", Action: actuators.ActionSwitch, Value: 1},
		{Time: afternoon.Add(2 * time.Minute), Wall: night.Add(2 * time.Minute), Target: "laser", Action: actuators.ActionSwitch, Value: 0},
	}
	for _, trace := range traceEach(t, outs) {
		ls := lines(trace)
		if want := `{"kind":"output","time":"2026-11-28T15:01:00Z","wall":"2026-11-29T00:01:00Z","target":"laser","action":"switch","value":1}`; len(ls) != 3 || ls[1] != want {
			t.Fatalf("trace:\n%s\nwant line 2:\n%s", trace, want)
		}
		if strings.Contains(ls[0], "wall") {
			t.Errorf("an output on the wall clock's time carries it again: %s", ls[0])
		}
		if v := quietViolations(t, trace); len(v) != 1 || v[0].Rule != "quiet_hours" {
			t.Errorf("the monitor found %v, want the laser lit in quiet hours", v)
		}
	}
}

// A step of the wall clock that Run follows at once moves the outputs'
// times with it: only the wall clock's reading the tick before shows it
// ("wall_before"). The monitor lets the park that follows a step into
// quiet hours through on it, and nothing after the park.
func TestTraceCarriesTheWallClockBeforeAStep(t *testing.T) {
	afternoon := time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC)
	night := afternoon.Add(9 * time.Hour)
	outs := []safety.Output{
		{Time: afternoon, Target: "pan", Action: actuators.ActionAngle, Value: 0},
		{Time: night, WallBefore: afternoon.Add(-20 * time.Millisecond), Target: "pan", Action: actuators.ActionAngle, Value: 1},
		{Time: night.Add(time.Second), Target: "pan", Action: actuators.ActionAngle, Value: 1}, // still parking
		{Time: night.Add(2 * time.Second), Target: "pan", Action: actuators.ActionAngle, Value: 2},
	}
	both := safety.Output{Time: afternoon, Wall: night, WallBefore: night.Add(-time.Hour), Target: "pan", Action: actuators.ActionAngle}
	line, err := appendOutput(nil, &both, new(jsonw.TimeCache))
	if want := `{"kind":"output","time":"2026-11-28T15:00:00Z","wall":"2026-11-29T00:00:00Z","wall_before":"2026-11-28T23:00:00Z","target":"pan","action":"move","value":0}` + "\n"; err != nil || string(line) != want {
		t.Fatalf("with both: %s (%v), want %s", line, err, want)
	}
	for _, trace := range traceEach(t, outs) {
		ls := lines(trace)
		if want := `{"kind":"output","time":"2026-11-29T00:00:00Z","wall_before":"2026-11-28T14:59:59.98Z","target":"pan","action":"move","value":1}`; len(ls) != 4 || ls[1] != want {
			t.Fatalf("trace:\n%s\nwant line 2:\n%s", trace, want)
		}
		for _, park := range []bool{true, false} {
			body := trace
			if park {
				body = strings.Replace(body, ls[3]+"\n", "", 1)
			}
			if v := quietViolations(t, body); park && len(v) > 0 || !park && (len(v) != 1 || v[0].Rule != "quiet_hours") {
				t.Errorf("park only %v: the monitor found %v", park, v)
			}
		}
	}
}

// Run's park on its way out carries a mark to the trace ("exit":true),
// from which the monitor lets it bring the axes home in quiet hours; the
// same trace without the mark fails at the first of its angles.
func TestTraceMarksTheParkOnTheWayOut(t *testing.T) {
	evening := time.Date(2026, 11, 28, 22, 0, 0, 0, time.UTC)
	quiet := evening.Add(time.Hour)
	exit := quiet.Add(62 * time.Minute)
	outs := []safety.Output{
		{Time: evening, Target: "pan", Action: actuators.ActionAngle, Value: 0},
		{Time: quiet, Target: "pan", Action: actuators.ActionAngle, Value: 1}, // the park at 23:00
		{Time: exit, Target: "laser", Action: actuators.ActionSwitch, Value: 0, Exit: true},
		{Time: exit, Target: "pan", Action: actuators.ActionAngle, Value: 0.5, Exit: true},
		{Time: exit.Add(20 * time.Millisecond), Target: "pan", Action: actuators.ActionAngle, Value: 0, Exit: true},
	}
	for _, trace := range traceEach(t, outs) {
		ls := lines(trace)
		if want := `{"kind":"output","time":"2026-11-29T00:02:00Z","exit":true,"target":"pan","action":"move","value":0.5}`; len(ls) != 5 || ls[3] != want || strings.Contains(ls[1], "exit") {
			t.Fatalf("trace:\n%s\nwant line 4:\n%s", trace, want)
		}
		for _, marked := range []bool{true, false} {
			body := trace
			if !marked {
				body = strings.ReplaceAll(body, `"exit":true,`, "")
			}
			if v := quietViolations(t, body); marked && len(v) > 0 || !marked && (len(v) != 1 || v[0].Rule != "quiet_hours") {
				t.Errorf("marked %v: the monitor found %v", marked, v)
			}
		}
	}
}
