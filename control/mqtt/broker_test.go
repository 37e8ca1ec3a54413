package mqtt

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// fakeRig records the calls the agent makes and reports a laser rig.
type fakeRig struct {
	mu       sync.Mutex
	calls    []string
	laserOn  bool
	disabled bool
	pan      float64
}

func (f *fakeRig) log(s string) safety.Report {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, s)
	return safety.Report{}
}
func (f *fakeRig) MoveTo(_ time.Time, _ string, d float64) safety.Report {
	f.mu.Lock()
	f.pan = d
	f.mu.Unlock()
	return f.log("move_to")
}
func (f *fakeRig) MoveBy(_ time.Time, _ string, d float64) safety.Report {
	f.mu.Lock()
	f.pan += d
	f.mu.Unlock()
	return f.log("move_by")
}
func (f *fakeRig) Switch(_ time.Time, _ string, on bool, _ time.Duration) safety.Report {
	f.mu.Lock()
	if f.disabled && on {
		f.mu.Unlock()
		return safety.Refuse(actuators.ReasonDisabled, time.Time{})
	}
	f.laserOn = on
	f.mu.Unlock()
	return f.log("switch")
}
func (f *fakeRig) Home(time.Time) safety.Report   { return f.log("home") }
func (f *fakeRig) Stop(time.Time) safety.Report   { return f.log("stop") }
func (f *fakeRig) Resume(time.Time) safety.Report { return f.log("resume") }
func (f *fakeRig) Settled() bool                  { return true }
func (f *fakeRig) Enable(_ string, on bool) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.disabled = !on
	if !on {
		f.laserOn = false
	}
	return true
}
func (f *fakeRig) Snapshot() safety.State {
	f.mu.Lock()
	defer f.mu.Unlock()
	return safety.State{Axes: []safety.AxisState{{Name: "pan", Pos: f.pan, Target: f.pan}},
		Switches: []safety.SwitchState{{Name: "laser", Laser: true, On: f.laserOn, Disabled: f.disabled}}}
}
func (f *fakeRig) lit() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.laserOn }

// waitFor polls cond: the broker is a real process with its own timing.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > within {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

func startConn(t *testing.T, ctx context.Context, c *Conn) {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { c.Run(ctx, []byte("offline")); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, 5*time.Second, "connected", c.Up)
}

func TestRemoteAgentOverBroker(t *testing.T) {
	b := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tp := Topics{Base: "cattease", Rig: "t1"}
	rig := &fakeRig{}
	ac := NewConn(Options{URL: b.URL, ClientID: "agent", Will: tp.AgentAvailability()})
	agent := &Agent{Topics: tp, Rig: rig}
	agent.Attach(ac)
	rc := NewConn(Options{URL: b.URL, ClientID: "run", Will: tp.Availability()})
	remote := &Remote{Topics: tp}
	remote.Attach(rc)
	startConn(t, ctx, ac)
	startConn(t, ctx, rc)
	go agent.Run(ctx)
	go remote.Run(ctx)
	waitFor(t, 3*time.Second, "link up", agent.Link)

	if rep := remote.MoveBy(time.Now(), "pan", -5); rep.Refused {
		t.Fatalf("move refused: %v", rep)
	}
	if rep := remote.Switch(time.Now(), "laser", true, 5*time.Second); rep.Refused || !rig.lit() {
		t.Fatalf("laser: %v, lit %v", rep, rig.lit())
	}
	waitFor(t, 2*time.Second, "the agent's state on the run side", func() bool {
		st := remote.Snapshot()
		return len(st.Axes) == 1 && st.Axes[0].Pos == -5
	})

	b.Stop()
	dark := waitFor(t, 2*time.Second, "laser off after the broker stopped", func() bool { return !rig.lit() })
	if dark > time.Second {
		t.Errorf("laser dark %v after the broker stopped, want within 1s", dark)
	}
	if rep := remote.MoveBy(time.Now(), "pan", 1); !rep.Refused || rep.Reason != actuators.ReasonLink {
		t.Errorf("request without a broker: %v, want refused (link)", rep)
	}

	b.Start()
	waitFor(t, 5*time.Second, "link back", agent.Link)
	if rep := remote.Switch(time.Now(), "laser", true, 5*time.Second); rep.Refused {
		t.Errorf("laser after the link came back: %v", rep)
	}
}

// fakeEngine records the bridge's commands.
type fakeEngine struct {
	mu      sync.Mutex
	stopped bool
	paused  bool
	policy  string
	rig     Rig      // SetLaser's; nil = allow
	played  []string // the rules injected
}

func (e *fakeEngine) Status(time.Time) control.Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	return control.Status{Policy: e.policy, Stopped: e.stopped, Paused: e.paused}
}
func (e *fakeEngine) Stop(time.Time)   { e.mu.Lock(); e.stopped = true; e.mu.Unlock() }
func (e *fakeEngine) Resume(time.Time) { e.mu.Lock(); e.stopped = false; e.mu.Unlock() }
func (e *fakeEngine) SetPaused(p bool) { e.mu.Lock(); e.paused = p; e.mu.Unlock() }
func (e *fakeEngine) SetPolicy(p string) error {
	e.mu.Lock()
	e.policy = p
	e.mu.Unlock()
	return nil
}
func (e *fakeEngine) Inject(_ time.Time, rule string) (control.Decision, error) {
	e.mu.Lock()
	e.played = append(e.played, rule)
	e.mu.Unlock()
	return control.Decision{}, nil
}
func (e *fakeEngine) SetLaser(name string, on bool) bool {
	return e.rig == nil || e.rig.Enable(name, on)
}
func (e *fakeEngine) isStopped() bool { e.mu.Lock(); defer e.mu.Unlock(); return e.stopped }

func TestBridgeCommandsAndUnpublish(t *testing.T) {
	b := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tp := Topics{Base: "cattease", Rig: "t2"}
	dev := Device{Prefix: "homeassistant", Version: "test", Model: "laser", Policies: []string{"queue", "latest"}}
	rig := &fakeRig{}
	eng := &fakeEngine{policy: "queue", rig: rig}
	bc := NewConn(Options{URL: b.URL, Will: tp.Availability()})
	br := &Bridge{Topics: tp, Device: dev, Engine: eng, Rig: rig, Control: true}
	br.Attach(bc)

	var mu sync.Mutex
	got := map[string][]byte{}
	watch := NewConn(Options{URL: b.URL})
	record := func(m Message) { mu.Lock(); got[m.Topic] = m.Payload; mu.Unlock() }
	configs := Discovery(tp, dev)
	for _, c := range configs {
		watch.Handle(c.Topic, record)
	}
	watch.Handle(tp.State(), record)
	startConn(t, ctx, bc)
	go br.Run(ctx)
	startConn(t, ctx, watch)
	topicOf := func(component, object string) string {
		return "homeassistant/" + component + "/cattease_t2/" + object + "/config"
	}
	var estop struct {
		Command string `json:"command_topic"`
	}
	waitFor(t, 3*time.Second, "discovery", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got[topicOf("button", "estop")]) > 0 && len(got[tp.State()]) > 0
	})
	mu.Lock()
	json.Unmarshal(got[topicOf("button", "estop")], &estop)
	mu.Unlock()
	if err := watch.Publish(ctx, estop.Command, []byte("PRESS"), false, 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 2*time.Second, "stopped by the e-stop button", eng.isStopped)
	waitFor(t, 2*time.Second, "stopped in the state", func() bool {
		mu.Lock()
		defer mu.Unlock()
		var s State
		return json.Unmarshal(got[tp.State()], &s) == nil && s.Stopped
	})
	watch.Publish(ctx, tp.Set(CmdLaser), []byte("OFF"), false, 0)
	waitFor(t, 2*time.Second, "laser forbidden", func() bool { return rig.Snapshot().Switches[0].Disabled })

	if err := Unpublish(ctx, watch, tp, dev); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 2*time.Second, "discovery cleared", func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range configs {
			if len(got[c.Topic]) > 0 {
				return false
			}
		}
		return true
	})
}

// The run side goes silent (hung, or its network gone) while the broker
// stays up: the agent darkens the laser after LinkTimeout.
func TestAgentDarkensWhenRunSideIsSilent(t *testing.T) {
	b := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tp := Topics{Base: "cattease", Rig: "t3"}
	rig := &fakeRig{}
	ac, rc := NewConn(Options{URL: b.URL}), NewConn(Options{URL: b.URL})
	agent, remote := &Agent{Topics: tp, Rig: rig}, &Remote{Topics: tp}
	agent.Attach(ac)
	remote.Attach(rc)
	startConn(t, ctx, ac)
	startConn(t, ctx, rc)
	go agent.Run(ctx)
	beats, silence := context.WithCancel(ctx)
	beating := make(chan struct{})
	go func() { remote.Run(beats); close(beating) }()
	waitFor(t, 3*time.Second, "link up", agent.Link)
	if rep := remote.Switch(time.Now(), "laser", true, 10*time.Second); rep.Refused || !rig.lit() {
		t.Fatalf("laser: %v", rep)
	}
	silence()
	<-beating
	start := time.Now()
	waitFor(t, 3*time.Second, "laser off", func() bool { return !rig.lit() })
	if d := time.Since(start); d > LinkTimeout+300*time.Millisecond {
		t.Errorf("laser dark %v after the last heartbeat, want about %v", d, LinkTimeout)
	}
	if rep := remote.Switch(time.Now(), "laser", true, time.Second); !rep.Refused || rep.Reason != actuators.ReasonLink {
		t.Errorf("laser request on a silent link: %v, want refused (link)", rep)
	}
}

// An agent with no run side yet keeps the laser forbidden; the first
// heartbeats give the permission back.
func TestAgentStartsDark(t *testing.T) {
	b := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tp := Topics{Base: "cattease", Rig: "t4"}
	rig := &fakeRig{}
	ac := NewConn(Options{URL: b.URL})
	agent := &Agent{Topics: tp, Rig: rig}
	agent.Attach(ac)
	startConn(t, ctx, ac)
	go agent.Run(ctx)
	waitFor(t, 2*time.Second, "laser forbidden before any run side", func() bool { return rig.Snapshot().Switches[0].Disabled })
	rc := NewConn(Options{URL: b.URL})
	remote := &Remote{Topics: tp}
	remote.Attach(rc)
	startConn(t, ctx, rc)
	go remote.Run(ctx)
	waitFor(t, 3*time.Second, "link up", agent.Link)
	if rig.Snapshot().Switches[0].Disabled {
		t.Error("laser still forbidden with the link up")
	}
}

// The run side exits cleanly (SIGTERM, Ctrl-C): its goodbye on its
// availability topic darkens the agent's laser at once, well before
// LinkTimeout.
func TestAgentDarkensOnRunSideExit(t *testing.T) {
	b := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tp := Topics{Base: "cattease", Rig: "t5"}
	rig := &fakeRig{}
	ac := NewConn(Options{URL: b.URL})
	rc := NewConn(Options{URL: b.URL, Will: tp.Availability()})
	agent, remote := &Agent{Topics: tp, Rig: rig}, &Remote{Topics: tp}
	agent.Attach(ac)
	remote.Attach(rc)
	startConn(t, ctx, ac)
	go agent.Run(ctx)
	run, exit := context.WithCancel(ctx)
	exited := make(chan struct{})
	go func() { runLinkedForTest(run, rc, remote.Run); close(exited) }()
	waitFor(t, 5*time.Second, "link up", agent.Link)
	if rep := remote.Switch(time.Now(), "laser", true, 10*time.Second); rep.Refused || !rig.lit() {
		t.Fatalf("laser: %v", rep)
	}
	start := time.Now()
	exit()
	<-exited
	waitFor(t, 3*time.Second, "laser off", func() bool { return !rig.lit() })
	if d := time.Since(start); d > LinkTimeout/2 {
		t.Errorf("laser dark %v after the run side exited, want well within %v", d, LinkTimeout)
	}
}

// runLinkedForTest is cmd/cattease's runLinked: the connection says
// goodbye ("offline") last.
func runLinkedForTest(ctx context.Context, c *Conn, part func(context.Context) error) {
	pctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { part(pctx); close(done) }()
	c.Run(ctx, []byte("offline"))
	cancel()
	<-done
}
