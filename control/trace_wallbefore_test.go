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
		if want := `{"kind":"output","time":"2026-11-29T00:00:00Z","wall_before":"2026-11-28T14:59:59.98Z","target":"pan","action":"move","value":1}`; len(lines) != 4 || lines[1] != want {
			t.Fatalf("trace:\n%s\nwant line 2:\n%s", buf.String(), want)
		}
		both := safety.Output{Time: afternoon, Wall: night, WallBefore: night.Add(-time.Hour), Target: "pan", Action: actuators.ActionAngle}
		line, err := appendOutput(nil, &both, new(jsonw.TimeCache))
		if want := `{"kind":"output","time":"2026-11-28T15:00:00Z","wall":"2026-11-29T00:00:00Z","wall_before":"2026-11-28T23:00:00Z","target":"pan","action":"move","value":0}` + "\n"; err != nil || string(line) != want {
			t.Fatalf("with both: %s (%v), want %s", line, err, want)
		}
		for _, park := range []bool{true, false} {
			l := monitor.Limits{Axes: []monitor.AxisLimits{{Name: "pan", Role: "pan", Min: -45, Max: 45, Speed: 90}},
				Location: time.UTC, Sessions: monitor.SessionLimits{QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour}}
			body := buf.String()
			if park {
				body = strings.Replace(body, lines[3]+"\n", "", 1)
			}
			m := monitor.New(l)
			if err := monitor.ReadTrace(strings.NewReader(body), m); err != nil {
				t.Fatal(err)
			}
			if v := m.Violations(); park && len(v) > 0 || !park && (len(v) != 1 || v[0].Rule != "quiet_hours") {
				t.Errorf("park only %v: the monitor found %v", park, v)
			}
		}
	}
}
