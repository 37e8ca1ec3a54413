package control

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
)

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
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if want := `{"kind":"output","time":"2026-11-29T00:02:00Z","exit":true,"target":"pan","action":"move","value":0.5}`; len(lines) != 5 || lines[3] != want || strings.Contains(lines[1], "exit") {
			t.Fatalf("trace:\n%s\nwant line 4:\n%s", buf.String(), want)
		}
		for _, marked := range []bool{true, false} {
			l := monitor.Limits{Axes: []monitor.AxisLimits{{Name: "pan", Role: "pan", Min: -45, Max: 45, Speed: 90}},
				Switches: []monitor.SwitchLimits{{Name: "laser", Laser: true}},
				Location: time.UTC, Sessions: monitor.SessionLimits{QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour}}
			body := buf.String()
			if !marked {
				body = strings.ReplaceAll(body, `"exit":true,`, "")
			}
			m := monitor.New(l)
			if err := monitor.ReadTrace(strings.NewReader(body), m); err != nil {
				t.Fatal(err)
			}
			if v := m.Violations(); marked && len(v) > 0 || !marked && (len(v) != 1 || v[0].Rule != "quiet_hours") {
				t.Errorf("marked %v: the monitor found %v", marked, v)
			}
		}
	}
}
