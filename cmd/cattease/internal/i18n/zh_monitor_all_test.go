package i18n

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/monitor"
)

// A trace output, at an offset from the trace's start; action "restart"
// is a restart line.
type traceOp struct {
	at     time.Duration
	target string
	action string // move, switch; restart
	v      float64
	wall   time.Duration // the wall clock ahead of the time by this; 0: none written
	exit   bool          // marked as the park on the way out
}

// traceText writes ops as the lines of a trace, as run --trace does.
func traceText(start time.Time, ops []traceOp) string {
	var b strings.Builder
	for _, o := range ops {
		t := start.Add(o.at).UTC().Format(time.RFC3339Nano)
		if o.action == "restart" {
			fmt.Fprintf(&b, `{"kind":"restart","time":%q,"keep_state":false}`+"\n", t)
			continue
		}
		fmt.Fprintf(&b, `{"kind":"output","time":%q`, t)
		if o.wall != 0 {
			fmt.Fprintf(&b, `,"wall":%q`, start.Add(o.at+o.wall).UTC().Format(time.RFC3339Nano))
		}
		if o.exit {
			b.WriteString(`,"exit":true`)
		}
		fmt.Fprintf(&b, `,"target":%q,"action":%q,"value":%g}`+"\n", o.target, o.action, o.v)
	}
	return b.String()
}

func move(at time.Duration, axis string, v float64) traceOp {
	return traceOp{at: at, target: axis, action: "move", v: v}
}
func lit(at time.Duration, v float64) traceOp {
	return traceOp{at: at, target: "laser", action: "switch", v: v}
}

// homed is a process's start: its restart line and the homing.
func homed(ops ...traceOp) []traceOp {
	return append([]traceOp{{action: "restart"}, move(0, "pan", 0), move(0, "tilt", 20)}, ops...)
}

// walled sets the wall clock of ops ahead by d.
func walled(d time.Duration, ops []traceOp) []traceOp {
	for i := range ops {
		if ops[i].action != "restart" {
			ops[i].wall = d
		}
	}
	return ops
}

// monitorLimits is the shipped rig with every rule of the monitor on, and
// limits small enough for a short trace to break each.
func monitorLimits() monitor.Limits {
	ceiling := 38.0
	return monitor.Limits{
		Axes: []monitor.AxisLimits{
			{Name: "pan", Role: "pan", Min: -45, Max: 45, Home: 0, Speed: 90, Accel: 600, DutyMax: 2 * time.Second, DutyWindow: 10 * time.Second},
			{Name: "tilt", Role: "tilt", Min: 5, Max: 40, Home: 20, Speed: 60, Accel: 400},
		},
		Ceiling:    &ceiling,
		Zones:      []monitor.Zone{{Name: "window", PanMin: -45, PanMax: -32, TiltMin: 28, TiltMax: 40}},
		Switches:   []monitor.SwitchLimits{{Name: "laser", Laser: true, MaxOn: 20 * time.Second, Cooldown: 10 * time.Second}},
		DwellCap:   4 * time.Second,
		DailyLaser: 30 * time.Second,
		Location:   time.UTC,
		Sessions:   monitor.SessionLimits{MaxPlay: time.Minute, Rest: 2 * time.Minute, QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour},
	}
}

// englishWord is a word of two letters or more on its own: "20ms" and
// "1h0m0s" have none.
var englishWord = regexp.MustCompile(`\b[a-zA-Z]{2,}\b`)

// What verify prints of each violation the monitor finds reads in
// Chinese after the rule and its target, through the Writer of a Chinese
// terminal: each family of the core safety rules, from a hand-made trace
// that breaks it, printed as verify prints it. Only names stay English:
// the rule, the target, YAML keys.
func TestMonitorViolationsInChinese(t *testing.T) {
	s, ms := time.Second, time.Millisecond
	day := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	night := time.Date(2026, 11, 29, 23, 30, 0, 0, time.UTC)
	dusk := time.Date(2026, 11, 29, 22, 59, 50, 0, time.UTC)
	var shake []traceOp // pan shaken 0.1° every tick, within speed and accel
	for i := range 200 {
		shake = append(shake, move(2*s+time.Duration(i)*20*ms, "pan", float64(i%2)*0.1))
	}
	for _, c := range []struct {
		name  string
		start time.Time
		ops   []traceOp
		want  []string // English the monitor says, each translated
	}{
		{"motion", day, homed(move(2*s, "pan", 10), move(2*s+20*ms, "tilt", 20), move(3*s, "pan", 50), move(4*s, "tilt", 39)),
			[]string{"speed pan: moved 10° in 20ms (limit 1.8°)", "accel pan: velocity changed from 0°/s to 500°/s in 20ms (limit 12°/s)",
				"accel pan: stopped from 500°/s in one tick (limit 12°/s)", "range pan: angle 50° outside [-45°, 45°]",
				"ceiling tilt: angle 39° as far from straight down as the ceiling 38° or further"}},
		{"zone", day, homed(lit(2*s, 1), move(3*s, "pan", -40), move(3*s, "tilt", 30)),
			[]string{"keep_out window: lit dot path (0°, 20°)→(-40°, 30°) meets the zone"}},
		{"lit", day, homed(lit(2*s, 1), lit(5*time.Minute, 0)),
			[]string{"light_budget laser: lit 30s in the 30s before (limit 20s)", "dwell laser: lit dot within 1° of (0°, 20°) for over 4s in 8s",
				"daily laser: laser lit 4m58s on 2026-11-29 (limit 30s)", "session play: session of 4m58s without a rest of 2m0s (limit 1m1.38s)"}},
		{"duty", day, homed(shake...), []string{"duty pan: moved for 2.02s within 10s (limit 2s)"}},
		{"quiet", night, homed(lit(5*s, 1), lit(6*s, 0), move(60*s, "pan", 1)),
			[]string{"quiet_hours laser: laser lit during quiet hours 23:00-08:00",
				"quiet_hours pan: angle sent 31m0s into quiet hours 23:00-08:00 (park 1.38s)"}},
		{"wall", day, walled(14*time.Hour, homed(lit(5*s, 1), lit(6*s, 0), move(60*s, "pan", 1))),
			[]string{"quiet_hours laser: laser lit during quiet hours 23:00-08:00 (wall clock 2026-11-30 00:00:05)",
				"quiet_hours pan: angle sent 1h1m0s into quiet hours 23:00-08:00 (park 1.38s) (wall clock 2026-11-30 00:01:00)"}},
		{"exit", dusk, homed(move(5*s, "pan", 0.1), traceOp{at: 50 * s, target: "pan", action: "move", exit: true}, move(50*s+20*ms, "pan", 0)),
			[]string{"quiet_hours pan: angle sent 40s into quiet hours 23:00-08:00 (park 1.38s); marked as the park on the way out, yet the process went on"}},
		{"exit-lit", dusk, homed(move(5*s, "pan", 0.1), traceOp{at: 50 * s, target: "pan", action: "move", exit: true}, traceOp{at: 50*s + 20*ms, target: "laser", action: "switch", v: 1, exit: true}),
			[]string{"quiet_hours pan: angle sent 40s into quiet hours 23:00-08:00 (park 1.38s); marked as the park on the way out, which lit laser"}},
	} {
		mon := monitor.New(monitorLimits())
		if err := monitor.ReadTrace(strings.NewReader(traceText(c.start, c.ops)), mon); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var en bytes.Buffer
		var zh bytes.Buffer
		w := Wrap(&zh, Chinese)
		for _, v := range mon.Violations() { // as verify prints them
			fmt.Fprintf(&en, "violation: %s.jsonl:%d: %v\n", c.name, v.Line, v)
			fmt.Fprintf(w, "violation: %s.jsonl:%d: %v\n", c.name, v.Line, v)
		}
		for _, want := range c.want {
			if !strings.Contains(en.String(), " "+want+"\n") {
				t.Errorf("%s: the monitor did not say %q:\n%s", c.name, want, en.String())
			}
		}
		for _, line := range strings.Split(strings.TrimSuffix(zh.String(), "\n"), "\n") {
			_, detail, ok := strings.Cut(line, ": ") // after "违规：f:3：time rule target"
			if !strings.HasPrefix(line, "违规：") || !ok {
				t.Errorf("%s: %q", c.name, line)
				continue
			}
			for _, word := range englishWord.FindAllString(detail, -1) {
				if word != "ceiling" && word != "pan" && word != "laser" {
					t.Errorf("%s: English %q left in %q", c.name, word, line)
				}
			}
		}
		t.Logf("%s:\n%s", c.name, zh.String())
	}
}

// What verify prints of a trace line the monitor cannot read reads in
// Chinese, the file, line, and what the line says kept.
func TestMonitorTraceErrorsInChinese(t *testing.T) {
	at := `"time":"2026-11-29T10:00:00.04Z"`
	start := `{"kind":"restart","time":"2026-11-29T10:00:00Z","keep_state":false}` + "\n"
	for _, c := range []struct{ lines, want string }{
		{`{"kind":"output",` + at + `,"target":"pan","action":"spin","value":1}`,
			`cattease: T.jsonl: monitor: 轨迹第 2 行：未知的 action "spin"`},
		{`{"kind":"output",` + at + `,"target":"laser","action":"switch","value":2}`,
			`cattease: T.jsonl: monitor: 轨迹第 2 行：开关的 value 不是 0 也不是 1：2`},
		{`{"kind":"output","ti` + "\n" + `{"kind":"output",` + at + `,"target":"laser","action":"switch","value":1}`,
			"cattease: T.jsonl: monitor: 轨迹第 3 行：读不出来的一行之后，运行还在继续（磁盘写满会把运行中间的一行写残，断电只会写残最后一行）：它之后做了什么无法检查"},
		{`{"kind":"chat",` + at + `}`, `cattease: T.jsonl: monitor: 轨迹第 2 行：未知的 kind "chat"`},
	} {
		var b bytes.Buffer
		w := Wrap(&b, Chinese)
		warn := func(err error) { fmt.Fprintf(w, "warning: %s: %v\n", "T.jsonl", err) }
		err := monitor.ReadTraceWarn(strings.NewReader(start+c.lines+"\n"), monitor.New(monitorLimits()), warn)
		if err == nil {
			t.Fatalf("%s: read", c.lines)
		}
		fmt.Fprintln(w, fmt.Errorf("cattease: %s: %w", "T.jsonl", err)) // as verify prints it
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if got := lines[len(lines)-1]; got != c.want {
			t.Errorf("%s\n\tread %q\n\twant %q", err, got, c.want)
		}
		torn := "警告：T.jsonl：monitor: 轨迹第 2 行读不出来（这一行在中途断了（unexpected end of JSON input））：那次运行的轨迹到它之前为止，一切按关闭处理，从下一个 restart 行接着读"
		for _, l := range lines[:len(lines)-1] {
			if l != torn {
				t.Errorf("%s: warning %q\n\twant %q", c.lines, l, torn)
			}
		}
	}
}
