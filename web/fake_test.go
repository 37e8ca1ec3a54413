package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// fakeEngine records the control calls it gets.
type fakeEngine struct {
	mu       sync.Mutex
	calls    []string
	status   control.Status
	statuses int      // Status calls
	commands []string // Commands(); nil = left, circle, stop
	rig      *fakeRig // what SetLaser switches
	refuse   string   // a policy SetPolicy refuses, as an engine without its config does
	unkept   string   // LaserUnkept: what a restart would lose of the laser forbid; "" kept
}

func (e *fakeEngine) record(s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = append(e.calls, s)
}

func (e *fakeEngine) Calls() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.calls...)
}

func (e *fakeEngine) Status(time.Time) control.Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.statuses++
	return e.status
}

func (e *fakeEngine) Stop(time.Time)   { e.record("stop") }
func (e *fakeEngine) Resume(time.Time) { e.record("resume") }
func (e *fakeEngine) SetPaused(p bool) { e.record(fmt.Sprint("paused=", p)) }

func (e *fakeEngine) SetPolicy(p string) error {
	if p == e.refuse {
		return fmt.Errorf("control: policy %q needs its settings in rules.yaml", p)
	}
	if !slices.Contains(control.Policies(), p) {
		return fmt.Errorf("control: unknown policy %q", p)
	}
	e.record("policy=" + p)
	return nil
}

func (e *fakeEngine) Inject(now time.Time, rule string) (control.Decision, error) {
	if rule != "circle" {
		return control.Decision{}, fmt.Errorf("control: no command %q", rule)
	}
	e.record("inject=" + rule)
	return control.Decision{Time: now, Platform: "panel", Rule: rule, Outcome: control.Accepted, Reason: control.ReasonQueued}, nil
}

// SetLaser goes to rig, as control.Engine's does; nil = refused.
func (e *fakeEngine) SetLaser(name string, on bool) bool {
	return e.rig != nil && e.rig.Enable(name, on)
}

// LaserKept and LaserUnkept say what setUnkept set, as control.Engine's
// say while its laser file cannot be written.
func (e *fakeEngine) LaserKept() bool { return e.LaserUnkept() == "" }

func (e *fakeEngine) LaserUnkept() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.unkept
}

// setUnkept sets what a restart would lose of the laser forbid: "forbid",
// "allow", "both"; "" kept.
func (e *fakeEngine) setUnkept(lost string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.unkept = lost
}

func (e *fakeEngine) Commands() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.commands != nil {
		return e.commands
	}
	return []string{"left", "circle", "stop"}
}

// setCommands replaces the commands, as a reload of rules.yaml does.
func (e *fakeEngine) setCommands(c ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.commands = c
}

// setStatus replaces the status the engine reports.
func (e *fakeEngine) setStatus(s control.Status) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.status = s
}

// fakeModEngine is a fakeEngine with the engine's moderation.
type fakeModEngine struct {
	*fakeEngine
}

func (e fakeModEngine) Moderate(now time.Time, m control.Moderation) (control.Decision, error) {
	if m.Target == "nobody" {
		return control.Decision{}, fmt.Errorf("control: no viewer %q", m.Target)
	}
	e.record(fmt.Sprintf("%s %s %v", m.Action, m.Target, m.For))
	return control.Decision{Time: now, Platform: "panel", Target: m.Target, Outcome: control.Accepted,
		Reason: "moderation", Until: now.Add(m.For)}, nil
}

// fakeRig has one axis pair and a laser.
type fakeRig struct {
	mu    sync.Mutex
	state safety.State
	calls []string
}

func newFakeRig() *fakeRig {
	return &fakeRig{state: safety.State{
		Axes: []safety.AxisState{{Name: "pan", Pos: 10, Target: 10, Min: -45, Max: 45, Homed: true},
			{Name: "tilt", Pos: 20, Target: 20, Min: 5, Max: 40, Home: 20, Homed: true}},
		Switches: []safety.SwitchState{{Name: "laser", Laser: true, On: true}},
		Session:  safety.Session{Phase: "rest", Until: t0.Add(750 * time.Second)},
		Counts:   map[string]uint64{"clamped": 3, "keep_out": 1},
	}}
}

func (r *fakeRig) Snapshot() safety.State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

func (r *fakeRig) Enable(name string, on bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, fmt.Sprint(name, "=", on))
	return slices.ContainsFunc(r.state.Switches, func(sw safety.SwitchState) bool { return sw.Name == name })
}

// setSwitches replaces the rig's switches.
func (r *fakeRig) setSwitches(sws ...safety.SwitchState) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state.Switches = sws
}

// Calls returns what the rig was told to switch, "name=on".
func (r *fakeRig) Calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// browserServer is newTestServer on the wall clock (a page's timers run
// on it), served over HTTP for a browser until the test ends.
func browserServer(t *testing.T) (*Server, *fakeEngine, *fakeRig, *httptest.Server) {
	s, eng, rig := newTestServer(testToken)
	s.Now = time.Now
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, eng, rig, ts
}

func newTestServer(token string) (*Server, *fakeEngine, *fakeRig) {
	eng := &fakeEngine{status: control.Status{Policy: "queue", QueueLen: 2, QueueCap: 16,
		Cooldowns: map[string]time.Duration{"laser": 3 * time.Second}}}
	rig := newFakeRig()
	eng.rig = rig
	s := &Server{Engine: eng, Rig: rig, Token: token, Log: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return t0 }}
	return s, eng, rig
}

var errBadConfig = errors.New("rules.yaml:3:4: unknown key")
