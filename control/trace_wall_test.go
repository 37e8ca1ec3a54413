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
		if want := `{"kind":"output","time":"2026-11-28T15:01:00Z","wall":"2026-11-29T00:01:00Z","target":"laser","action":"switch","value":1}`; len(lines) != 3 || lines[1] != want {
			t.Fatalf("trace:\n%s\nwant line 2:\n%s", buf.String(), want)
		}
		if strings.Contains(lines[0], "wall") {
			t.Errorf("an output on the wall clock's time carries it again: %s", lines[0])
		}
		m := monitor.New(monitor.Limits{Axes: []monitor.AxisLimits{{Name: "pan", Role: "pan", Min: -45, Max: 45, Speed: 90}},
			Switches: []monitor.SwitchLimits{{Name: "laser", Laser: true}}, Location: time.UTC,
			Sessions: monitor.SessionLimits{QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour}})
		if err := monitor.ReadTrace(&buf, m); err != nil {
			t.Fatal(err)
		}
		if v := m.Violations(); len(v) != 1 || v[0].Rule != "quiet_hours" {
			t.Errorf("the monitor found %v, want the laser lit in quiet hours", v)
		}
	}
}
