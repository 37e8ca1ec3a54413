package monitor

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func failed(o op) op { o.action = "failed " + o.action; return o }

// An output the driver did not take (Event.Failed, a trace line's
// "error") was not delivered: its target keeps its state for every rule.
func TestFailedOutputs(t *testing.T) {
	treat := func(l *Limits) { l.Switches = append(l.Switches, SwitchLimits{Name: "treat"}) }
	runCases(t, []ruleCase{
		{name: "a failed off leaves the laser lit", lim: budget,
			ops: []op{mv(0, "pan", 0), on(0), failed(off(5 * s)), off(25 * s)}, want: []string{"light_budget"}},
		{name: "a delivered off", lim: budget,
			ops: []op{mv(0, "pan", 0), on(0), off(5 * s), off(25 * s)}},
		{name: "a failed angle did not move the servo", lim: noAccel,
			ops: []op{mv(0, "pan", 0), failed(mv(tick, "pan", 1.8)), mv(2*tick, "pan", 3.6)}, want: []string{"speed"}},
		{name: "a delivered angle", lim: noAccel,
			ops: []op{mv(0, "pan", 0), mv(tick, "pan", 1.8), mv(2*tick, "pan", 3.6)}},
		{name: "a failed switch-on during a stop lit nothing", lim: treat,
			ops: []op{mv(0, "pan", 0), stopAt(tick), failed(op{2 * tick, "treat", "switch", 1})}},
		{name: "a delivered one", lim: treat,
			ops: []op{mv(0, "pan", 0), stopAt(tick), {2 * tick, "treat", "switch", 1}}, want: []string{"stop"}},
		{name: "a failed homing is no homing", keepHomes: true,
			ops: []op{failed(mv(0, "pan", 0)), mv(time.Second, "pan", 5)}, want: []string{"home"}},
	})
}

// ReadTrace reads a line's "error" as an output not delivered: a laser
// whose off failed stayed lit.
func TestReadTraceFailedOff(t *testing.T) {
	const trace = `{"kind":"output","time":"2026-11-29T10:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-29T10:00:00Z","target":"laser","action":"switch","value":1}
{"kind":"output","time":"2026-11-29T10:00:05Z","target":"laser","action":"switch","value":0%s}
{"kind":"output","time":"2026-11-29T10:00:25Z","target":"laser","action":"switch","value":0}
`
	for _, c := range []struct {
		err  string
		want []string
	}{{"", nil}, {`,"error":"gpio: write: input/output error"`, []string{"light_budget"}}} {
		l := baseLimits()
		budget(&l)
		m := New(l)
		if err := ReadTrace(strings.NewReader(strings.Replace(trace, "%s", c.err, 1)), m); err != nil {
			t.Fatal(err)
		}
		if got := rules(m); !slices.Equal(got, c.want) {
			t.Errorf("off %q: %v, want %v\n%s", c.err, got, c.want, list(m))
		}
	}
}
