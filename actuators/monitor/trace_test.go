package monitor

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

const sampleTrace = `{"kind":"decision","time":"2026-11-29T10:00:00Z","event_id":"1","user_id":"u","text":"激光","rule":"laser","decision":"accepted","reason":""}
{"kind":"output","time":"2026-11-29T10:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-29T10:00:00.02Z","target":"pan","action":"move","value":3.1}

{"kind":"output","time":"2026-11-29T10:00:00.04Z","target":"laser","action":"switch","value":1}
{"kind":"restart","time":"2026-11-29T10:00:10Z","keep_state":true}
{"kind":"output","time":"2026-11-29T10:00:10Z","target":"laser","action":"switch","value":1}
{"kind":"output","time":"2026-11-29T10:00:25Z","target":"pan","action":"detach","value":0,"error":"i2c: busy"}`

func TestReadTrace(t *testing.T) {
	l := baseLimits()
	noAccel(&l)
	budget(&l)
	m := New(l)
	if err := ReadTrace(strings.NewReader(sampleTrace), m); err != nil {
		t.Fatal(err)
	}
	got := rules(m)
	if fmt.Sprint(got) != "[light_budget speed]" {
		t.Fatalf("rules %v\n%s", got, list(m))
	}
	want := "2026-11-29T10:00:00.02Z speed pan: moved 3.1° in 20ms (limit 1.8°)"
	if s := m.Violations()[0].String(); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
	// The laser stays lit to the end of the trace: 25 s in one window.
	if v := m.Violations()[1]; v.Time != t0.Add(25*s) {
		t.Errorf("light budget at %v", v.Time)
	}
}

func TestReadTraceErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"{\"kind\":\"output\"}\n", "line 1: no time"},
		{"\n\n{\"kind\":", "line 3: unexpected end of JSON input"},
		{`{"kind":"output","time":"2026-11-29T10:00:00Z","target":"pan","action":"spin"}`, `line 1: unknown action "spin"`},
		{`{"kind":"output","time":"2026-11-29T10:00:00Z","action":"move"}`, "line 1: no target"},
		{`{"kind":"output","time":"2026-11-29T10:00:00Z","target":"laser","action":"switch","value":2}`, "line 1: switch value"},
		{`{"kind":"output","time":"yesterday","target":"pan","action":"move"}`, "line 1: parsing time"},
		{`{"kind":"decision"}` + "\n" + strings.Repeat(" ", MaxLine+1) + "\n", "line 2: longer than"},
	} {
		err := ReadTrace(strings.NewReader(c.in), New(baseLimits()))
		if err == nil || !strings.HasPrefix(err.Error(), "monitor: trace ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.40q: err %v, want %q", c.in, err, c.want)
		}
	}
}

func FuzzReadTrace(f *testing.F) {
	f.Add([]byte(sampleTrace))
	f.Add([]byte(`{"kind":"restart","time":"2026-11-29T10:00:00Z"}` + "\n" +
		`{"kind":"output","time":"0001-01-01T00:00:00.000000001Z","target":"laser","action":"switch","value":1}`))
	f.Add([]byte(`{"kind":"output","time":"9999-12-31T23:59:59Z","target":"tilt","action":"move","value":1e308}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l := baseLimits()
		budget(&l)
		l.DwellCap, l.DailyLaser, l.Location = 4*s, time.Hour, time.UTC
		l.Sessions = SessionLimits{MaxPlay: time.Minute, Rest: time.Minute, QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour}
		l.Zones = []Zone{{Name: "z", PanMin: -10, PanMax: 10, TiltMin: 10, TiltMax: 30}}
		m := New(l)
		_ = ReadTrace(strings.NewReader(string(data)), m)
		if m.Count() < len(m.Violations()) || len(m.Violations()) > MaxStored {
			t.Fatalf("count %d, stored %d", m.Count(), len(m.Violations()))
		}
	})
}

// TestLongLitInterval: 250 years of light (as long as int64 nanoseconds
// allow) take no longer than a few days.
func TestLongLitInterval(t *testing.T) {
	l := fullLimits()
	m := New(l)
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	m.Output(Event{Time: start, Target: "laser", Action: "switch", Value: 1})
	began := time.Now()
	m.End(time.Date(2150, 1, 1, 0, 0, 0, 0, time.UTC))
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	n := map[string]int{}
	for _, v := range m.Violations() {
		n[v.Rule]++
	}
	if n["daily"] < maxDays || n["quiet_hours"] < maxDays/2 || n["dwell"] != 1 || n["session"] != 1 || n["light_budget"] != 1 {
		t.Errorf("violations %v", n)
	}
}
