package control

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay/jsonw"
)

// The trace says when an emergency stop was taken and when it was lifted,
// from the engine that asked, so that the monitor can hold the rig's
// outputs in between to what the README promises of a stop.

// Stop and resume lines are what encoding/json writes of their kind and
// time, from each of the three writers, in order among the others.
func TestTraceStopLines(t *testing.T) {
	at := time.Date(2026, 11, 22, 10, 0, 0, 85e6, time.FixedZone("CST", 8*3600))
	out := safety.Output{Time: at, Target: "laser", Action: actuators.ActionSwitch}
	var want bytes.Buffer
	for _, kind := range []string{"stop", "output", "resume"} {
		if kind == "output" {
			want.Write(must(appendOutput(nil, &out, new(jsonw.TimeCache))))
			continue
		}
		if err := refEncode(&want, struct {
			Kind string    `json:"kind"`
			Time time.Time `json:"time"`
		}{kind, at}); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.HasPrefix(want.String(), `{"kind":"stop","time":"2026-11-22T10:00:00.085+08:00"}`+"\n") {
		t.Fatalf("the reference is not the line meant:\n%s", want.String())
	}
	for _, mk := range []func(*bytes.Buffer) *Trace{
		func(b *bytes.Buffer) *Trace { return NewTrace(b) },
		func(b *bytes.Buffer) *Trace { return NewLineTrace(b) },
		func(b *bytes.Buffer) *Trace { return NewPipedTrace(b) },
	} {
		var buf bytes.Buffer
		tr := mk(&buf)
		tr.Stop(at)
		tr.Output(out)
		tr.Resume(at)
		if err := tr.Close(); err != nil {
			t.Fatal(err)
		}
		if buf.String() != want.String() {
			t.Errorf("got\n%s\nwant\n%s", buf.String(), want.String())
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// callLog is a rig that writes down Stop and Resume as they return, in one
// log with the trace's stop and resume lines. Its first Stop can be held
// until the test lets it return.
type callLog struct {
	roundTripRig
	mu    sync.Mutex
	calls []string
	hold  chan struct{} // the first Stop waits for it to close; nil: no wait
	held  chan struct{} // closed when the first Stop waits
}

func (r *callLog) add(s string) { r.mu.Lock(); r.calls = append(r.calls, s); r.mu.Unlock() }
func (r *callLog) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.calls
	r.calls = nil
	return c
}

func (r *callLog) Stop(time.Time) safety.Report {
	if h := r.hold; h != nil {
		r.hold = nil
		close(r.held)
		<-h
	}
	r.add("rig stop")
	return safety.Report{}
}

func (r *callLog) Resume(time.Time) safety.Report { r.add("rig resume"); return safety.Report{} }

// A stop line follows the rig's taking the stop, and a resume line comes
// before the rig is told, whichever side asks: chat, the panel (and
// SIGUSR1, Home Assistant and a kept stop, which call Engine.Stop too).
// So the lines bound only outputs the rig sent while stopped; a resume
// between the rig's stop and the engine's lock, after which the engine
// stops the rig again, is followed by a stop line after that second stop.
func TestStopLinesFollowTheRig(t *testing.T) {
	rig := &callLog{}
	eng, err := New(compileText(t, testRules), rig, Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng.TraceStops(func(time.Time) { rig.add("trace stop") }, func(time.Time) { rig.add("trace resume") })
	u := func(text string) danmu.Event {
		return danmu.Event{Platform: "test", Kind: danmu.KindChat, ID: text, Time: t0, Text: text,
			User: danmu.User{ID: "m", Role: danmu.RoleModerator}}
	}
	stop, resume := []string{"rig stop", "trace stop"}, []string{"trace resume", "rig resume"}
	for _, c := range []struct {
		name string
		do   func()
		want []string
	}{
		{"chat 停", func() { eng.Handle(t0, u("停")) }, stop},
		{"chat 继续", func() { eng.Handle(t0, u("继续")) }, resume},
		{"panel stop", func() { eng.Stop(t0) }, stop},
		{"panel resume", func() { eng.Resume(t0) }, resume},
		{"a resume while the rig stops", func() {
			rig.hold, rig.held = make(chan struct{}), make(chan struct{})
			hold := rig.hold
			done := make(chan struct{})
			go func() { eng.Stop(t0); close(done) }()
			<-rig.held
			eng.Resume(t0)
			close(hold)
			<-done
		}, []string{"trace resume", "rig resume", "rig stop", "rig stop", "trace stop"}},
	} {
		if got := rig.take(); len(got) > 0 {
			t.Fatalf("before %s: %v", c.name, got)
		}
		c.do()
		if got := rig.take(); strings.Join(got, ", ") != strings.Join(c.want, ", ") {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// stopRules drive a pan/tilt laser: fast sweeps and the laser, a stop and
// a resume for moderators.
const stopRules = `
hardware:
  driver: mock
  axes:
    pan: {min: -45°, max: 45°, home: 0°, speed: 180°/s}
    tilt: {min: 5°, max: 40°, home: 20°, speed: 90°/s}
  switches:
    laser: {laser: false, max_on: 60s, cooldown: 10s}
play: {policy: queue, queue_size: 8, pace: 20ms}
limits:
  global: {every: 10ms, burst: 50}
commands:
  - {name: laser, aliases: [激光], do: {switch: laser, on: true, for: 30s}}
  - {name: left, aliases: [左扫], do: {move: pan, to: -40°}}
  - {name: right, aliases: [右扫], do: {move: pan, to: 40°}}
  - {name: stop, aliases: [停], do: {stop: true}, allow: moderator}
  - {name: resume, aliases: [继续], do: {resume: true}, allow: moderator}
`

// ignoresStop is an envelope whose Stop and Resume do nothing: a broken
// rig, for the monitor to catch.
type ignoresStop struct{ *safety.Envelope }

func (ignoresStop) Stop(time.Time) safety.Report   { return safety.Report{} }
func (ignoresStop) Resume(time.Time) safety.Report { return safety.Report{} }

// A real engine, envelope and mock outputs, traced: stops from chat and
// the panel in the middle of laser play and fast sweeps, resumes, play
// again. The monitor reads the trace and finds every stop kept: the laser
// dark at the next tick, the servos braking within their acceleration,
// then limp, nothing switched on until the resume. A rig that ignores the
// stop gives the same trace lines around outputs that break all of it,
// and the monitor says so.
func TestStopsThroughTheEngineKeepTheRule(t *testing.T) {
	for _, broken := range []bool{false, true} {
		trace, lim := stopPlay(t, broken)
		m := monitor.New(lim)
		if err := monitor.ReadTrace(strings.NewReader(trace), m); err != nil {
			t.Fatal(err)
		}
		if !broken {
			for _, v := range m.Violations() {
				t.Errorf("violation: %v", v)
			}
			continue
		}
		why := map[string]bool{}
		for _, v := range m.Violations() {
			if v.Rule == "stop" {
				why[v.Target] = true
			}
		}
		if !why["laser"] || !why["pan"] {
			t.Errorf("a rig that ignores the stop: the monitor found %v", m.Violations())
		}
	}
}

// stopPlay plays the stops through an engine on a traced envelope (or one
// that ignores the stop) and returns the trace and the monitor's limits,
// which it checks the trace exercises.
func stopPlay(t *testing.T, broken bool) (string, monitor.Limits) {
	t.Helper()
	ceiling := 60.0
	cfg := safety.Config{
		Axes: []safety.AxisLimits{
			{Name: "pan", Min: -45, Max: 45, Speed: 180, Accel: 900, DetachAfter: 200 * time.Millisecond},
			{Name: "tilt", Min: 5, Max: 40, Home: 20, Speed: 90, Accel: 600, DetachAfter: 200 * time.Millisecond},
		},
		Switches: []safety.SwitchLimits{{Name: "laser", Laser: true, MaxOn: 60 * time.Second, Cooldown: 10 * time.Second}},
		PanAxis:  "pan", TiltAxis: "tilt", Ceiling: &ceiling, DwellCap: 4 * time.Second, DeadMan: time.Minute,
	}
	lim := monitor.Limits{Ceiling: &ceiling, DwellCap: cfg.DwellCap, Location: time.UTC,
		Switches: []monitor.SwitchLimits{{Name: "laser", Laser: true, MaxOn: 60 * time.Second, Cooldown: 10 * time.Second}}}
	for _, a := range cfg.Axes {
		lim.Axes = append(lim.Axes, monitor.AxisLimits{Name: a.Name, Role: a.Name, Min: a.Min, Max: a.Max, Home: a.Home,
			Speed: a.Speed, Accel: a.Accel})
	}
	var buf bytes.Buffer
	tr := NewTrace(&buf)
	cfg.OnOutput = tr.Output
	outs := map[string]actuators.Actuator{
		"pan":   mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
		"tilt":  mock.New("tilt", actuators.KindAxis, mock.Limits{}, nil),
		"laser": mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil),
	}
	env, err := safety.NewAt(cfg, outs, t0)
	if err != nil {
		t.Fatal(err)
	}
	var rig Rig = env
	if broken {
		rig = ignoresStop{env}
	}
	eng, err := New(compileText(t, stopRules), rig, Options{OnDecision: tr.Decision})
	if err != nil {
		t.Fatal(err)
	}
	eng.TraceStops(tr.Stop, tr.Resume)
	now, n := t0, 0
	say := func(text string) {
		n++
		eng.Handle(now, danmu.Event{Platform: "test", Kind: danmu.KindChat, ID: fmt.Sprint(n), Time: now, Text: text,
			User: danmu.User{ID: fmt.Sprint("m", n), Role: danmu.RoleModerator}})
	}
	run := func(d time.Duration) {
		for end := now.Add(d); now.Before(end); {
			now = now.Add(env.Tick())
			eng.Tick(now)
			env.Step(context.Background(), now)
		}
	}
	env.Step(context.Background(), now) // the homing
	run(time.Second)                    // the hold after it: the servos surely home, the laser may light
	for _, round := range []struct {
		sweep string
		stop  func()
	}{
		{"左扫", func() { say("停") }},                                // chat
		{"右扫", func() { eng.Stop(now.Add(7 * time.Millisecond)) }}, // the panel, between two ticks
	} {
		// The servos went limp at rest (detach_after), and a stop leaves
		// them limp: the laser asked for wakes them, and rule limp holds
		// them still and the laser dark a settle time (0.7 s) before it
		// lights and the sweep may start.
		say("激光")
		run(800 * time.Millisecond)
		say(round.sweep)
		run(160 * time.Millisecond) // lit, still speeding up across the room
		round.stop()
		run(time.Second) // braked, limp
		say("激光")
		say(round.sweep) // refused: stopped
		run(100 * time.Millisecond)
		eng.Resume(now)
		run(100 * time.Millisecond)
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	trace := buf.String()
	// The trace holds what the rule is about: two stops, each in the
	// middle of a sweep, with the laser lit, then braking and a detach.
	if !broken {
		for i, part := range strings.Split(trace, `{"kind":"stop"`)[1:] {
			during, _, resumed := strings.Cut(part, `{"kind":"resume"`)
			if !resumed || !strings.Contains(during, `"target":"laser","action":"switch","value":0`) ||
				!strings.Contains(during, `"target":"pan","action":"move"`) || !strings.Contains(during, `"target":"pan","action":"detach"`) {
				t.Errorf("stop %d: not the stop meant (laser off, braking, limp):\n%s", i+1, during)
			}
		}
		if got := strings.Count(trace, `{"kind":"stop"`); got != 2 {
			t.Errorf("%d stop lines, want 2", got)
		}
	}
	return trace, lim
}
