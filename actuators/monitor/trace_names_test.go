package monitor

import (
	"errors"
	"strings"
	"testing"
)

// litTrace lights "laser" for five minutes.
const litTrace = `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":false}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"tilt","action":"move","value":20}
{"kind":"output","time":"2026-11-22T10:00:00.02Z","target":"laser","action":"switch","value":1}
{"kind":"output","time":"2026-11-22T10:05:00Z","target":"laser","action":"switch","value":0}
`

// An output to an axis or a switch the rules do not name is an error
// naming it: before, the Monitor ignored it, and a trace checked against
// rules whose switch is called beam instead of laser passed, unchecked.
func TestReadTraceUnknownTarget(t *testing.T) {
	l := baseLimits()
	budget(&l)
	if err := ReadTrace(strings.NewReader(litTrace), New(l)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		rename  func(*Limits)
		want    string
		wantErr error
	}{
		{func(l *Limits) { l.Switches[0].Name = "beam" }, `monitor: trace line 4: no switch of that name in the rules: "laser"`, errNoSwitch},
		{func(l *Limits) { l.Axes[0].Name = "yaw" }, `monitor: trace line 2: no axis of that name in the rules: "pan"`, errNoAxis},
	} {
		l := baseLimits()
		budget(&l)
		c.rename(&l)
		err := ReadTrace(strings.NewReader(litTrace), New(l))
		if !errors.Is(err, c.wantErr) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("err %v, want %s", err, c.want)
		}
	}
	// An axis's name on a switch output, or the reverse, is no more known.
	for _, line := range []string{
		`{"kind":"output","time":"2026-11-22T10:00:00Z","target":"pan","action":"switch","value":1}`,
		`{"kind":"output","time":"2026-11-22T10:00:00Z","target":"laser","action":"move","value":1}`,
		`{"kind":"output","time":"2026-11-22T10:00:00Z","target":"laser","action":"detach","value":0}`,
	} {
		if err := ReadTrace(strings.NewReader(line), New(baseLimits())); err == nil {
			t.Errorf("%s: no error", line)
		}
	}
}
