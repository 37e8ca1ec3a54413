package monitor

import (
	"slices"
	"strings"
	"testing"
)

// A stop the run took after it lost lines (past its gap line, where its
// lines are skipped, unchecked) is kept on the hardware over a restart
// that keeps the state: the next run's angles under it are flagged as
// they are without the gap. The stop and resume lines past a gap were
// once skipped whole, and such a stop forgotten.
func TestStopPastAGapIsCarriedOver(t *testing.T) {
	const gap = `{"kind":"gap","time":"2026-11-22T10:00:10.02Z","lost":3}
{"kind":"output","time":"2026-11-22T10:00:30Z","target":"pan","action":"move","value":40}
`
	const stop = `{"kind":"stop","time":"2026-11-22T10:00:31Z"}
`
	const resume = `{"kind":"resume","time":"2026-11-22T10:00:40Z"}
`
	next := func(keep string) string {
		return `{"kind":"restart","time":"2026-11-22T12:00:00Z","keep_state":` + keep + `}
{"kind":"output","time":"2026-11-22T12:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T12:00:00Z","target":"tilt","action":"move","value":20}
`
	}
	for _, c := range []struct {
		name, in string
		want     []string
	}{
		{"a stop past the gap, kept", gapRun1 + gap + stop + next("true"), []string{"stop", "stop"}},
		{"the same without the gap", gapRun1 + stop + next("true"), []string{"stop", "stop"}},
		{"a stop past the gap, resumed past it", gapRun1 + gap + stop + resume + next("true"), nil},
		{"a stop before the gap, resumed past it", gapRun1 + stop + gap + resume + next("true"), nil},
		{"a stop past the gap, a dry run's restart", gapRun1 + gap + stop + next("false"), nil},
		{"a stop before the gap, kept", gapRun1 + stop + gap + next("true"), []string{"stop", "stop"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := baseLimits()
			withHold(&l)
			m := New(l)
			err := ReadTrace(strings.NewReader(c.in), m)
			if strings.Contains(c.in, `"gap"`) != (err != nil) {
				t.Errorf("err %v", err)
			}
			if got := rules(m); !slices.Equal(got, c.want) {
				t.Errorf("rules %v, want %v\n%s", got, c.want, list(m))
			}
		})
	}
}
