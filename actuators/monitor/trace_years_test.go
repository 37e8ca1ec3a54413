package monitor

import (
	"strings"
	"testing"
)

// A time the monitor's int64 nanoseconds since 1970 cannot count (before
// 1678 or after 2262 they wrap; before 1970 they are negative) is refused
// as a bad line, as a replay refuses it, not misread: the years 1970 to
// 2261.
func TestReadTraceTimesOutsideTheYears(t *testing.T) {
	const first = `{"kind":"output","time":"2026-11-29T10:00:00Z","target":"pan","action":"move","value":0}` + "\n"
	for _, c := range []struct{ line, want string }{
		{`{"kind":"output","time":"2300-01-01T00:00:00Z","target":"pan","action":"move","value":0}`,
			"monitor: trace line 2: time 2300-01-01T00:00:00Z is outside the years 1970 to 2261"},
		{`{"kind":"output","time":"1600-01-01T00:00:00Z","target":"pan","action":"move","value":0}`,
			"monitor: trace line 2: time 1600-01-01T00:00:00Z is outside the years 1970 to 2261"},
		{`{"kind":"output","time":"2262-01-01T00:00:00Z","target":"pan","action":"move","value":0}`,
			"time 2262-01-01T00:00:00Z is outside"},
		{`{"kind":"output","time":"1969-12-31T23:59:59.999999999Z","target":"pan","action":"move","value":0}`,
			"time 1969-12-31T23:59:59.999999999Z is outside"},
		{`{"kind":"output","time":"2026-11-29T10:00:01Z","wall":"2300-01-01T00:00:00Z","target":"pan","action":"move","value":0}`,
			"monitor: trace line 2: wall 2300-01-01T00:00:00Z is outside the years 1970 to 2261"},
		{`{"kind":"output","time":"2026-11-29T10:00:01Z","wall_before":"1600-01-01T00:00:00+08:00","target":"pan","action":"move","value":0}`,
			"monitor: trace line 2: wall_before 1600-01-01T00:00:00+08:00 is outside the years 1970 to 2261"},
		{`{"kind":"stop","time":"2300-01-01T00:00:00Z"}`, "line 2: time 2300-01-01T00:00:00Z is outside"},
		{`{"kind":"resume","time":"2300-01-01T00:00:00Z"}`, "line 2: time 2300-01-01T00:00:00Z is outside"},
		{`{"kind":"restart","time":"1600-01-01T00:00:00Z","keep_state":true}`, "line 2: time 1600-01-01T00:00:00Z is outside"},
	} {
		err := ReadTrace(strings.NewReader(first+c.line+"\n"), New(baseLimits()))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.line, err, c.want)
		}
	}
	// The ends of the years are read.
	for _, line := range []string{
		`{"kind":"output","time":"1970-01-01T00:00:00Z","target":"pan","action":"move","value":0}`,
		`{"kind":"output","time":"2261-12-31T23:59:59.999999999Z","target":"pan","action":"move","value":0}`,
		`{"kind":"output","time":"2026-11-29T10:00:00Z","wall":"2261-12-31T23:00:00Z","target":"pan","action":"move","value":0}`,
	} {
		if err := ReadTrace(strings.NewReader(line+"\n"), New(baseLimits())); err != nil {
			t.Errorf("%s: %v", line, err)
		}
	}
	// A line past a torn one: a restart at such a time is refused too.
	torn := first + `{"kind":"output","ti` + "\n" + `{"kind":"restart","time":"2300-01-01T00:00:00Z","keep_state":true}` + "\n"
	if err := ReadTrace(strings.NewReader(torn), New(baseLimits())); err == nil || !strings.Contains(err.Error(), "line 3: time 2300-01-01T00:00:00Z is outside") {
		t.Errorf("a restart past a torn line: err %v", err)
	}
}
