package mqtt

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// envRig is an agent's rig that stops as the envelope does: stopped, the
// laser is off and every move and light is refused until Resume.
type envRig struct {
	mu       sync.Mutex
	pan      float64
	laserOn  bool
	disabled bool
	stopped  bool
	// allowedRunning counts the laser permissions given while the rig
	// was not stopped (the agent gives them back when its link returns)
	allowedRunning int
}

func (r *envRig) refuse() (safety.Report, bool) {
	if r.stopped {
		return safety.Refuse(actuators.ReasonStopped, time.Time{}), true
	}
	return safety.Report{}, false
}

func (r *envRig) MoveTo(_ time.Time, _ string, d float64) safety.Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rep, no := r.refuse(); no {
		return rep
	}
	r.pan = d
	return safety.Report{}
}

func (r *envRig) MoveBy(_ time.Time, _ string, d float64) safety.Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rep, no := r.refuse(); no {
		return rep
	}
	r.pan += d
	return safety.Report{}
}

func (r *envRig) Switch(_ time.Time, _ string, on bool, _ time.Duration) safety.Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !on {
		r.laserOn = false
		return safety.Report{}
	}
	if rep, no := r.refuse(); no {
		return rep
	}
	if r.disabled {
		return safety.Refuse(actuators.ReasonDisabled, time.Time{})
	}
	r.laserOn = true
	return safety.Report{}
}

func (r *envRig) Home(time.Time) safety.Report { return safety.Report{} }
func (r *envRig) Settled() bool                { return true }

func (r *envRig) Stop(time.Time) safety.Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped, r.laserOn = true, false
	return safety.Report{}
}

func (r *envRig) Resume(time.Time) safety.Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped = false
	return safety.Report{}
}

func (r *envRig) Enable(_ string, on bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.disabled = !on
	if !on {
		r.laserOn = false
	} else if !r.stopped {
		r.allowedRunning++
	}
	return true
}

func (r *envRig) Snapshot() safety.State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return safety.State{Stopped: r.stopped, Axes: []safety.AxisState{{Name: "pan", Pos: r.pan, Target: r.pan}},
		Switches: []safety.SwitchState{{Name: "laser", Laser: true, On: r.laserOn, Disabled: r.disabled}}}
}

func (r *envRig) is() (stopped, allowed bool, pan float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stopped, !r.disabled, r.pan
}

// splitRig is one rig of a run over the broker: its agent and rig on the
// Pi's side, its remote and bridge on the run side, and what its bridge
// logs.
type splitRig struct {
	name   string
	rig    *envRig
	agent  *Agent
	remote *Remote
	bridge *Bridge
	logs   *syncBuffer
}

// startSplitRigs starts, on the broker at url, one agent per name and a
// run side that drives them all with one engine (the shipped rules), as
// cattease run --rig …/cat --rig …/kitten with control: true does.
func startSplitRigs(t *testing.T, ctx context.Context, url string, names ...string) (*control.Engine, Fanout, []*splitRig) {
	t.Helper()
	f, err := config.Load("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := control.Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	var rigs []*splitRig
	var fan Fanout
	var conns []*Conn
	for _, name := range names {
		tp := Topics{Base: "cattease", Rig: name}
		s := &splitRig{name: name, rig: &envRig{}, logs: &syncBuffer{}}
		ac := NewConn(Options{URL: url, ClientID: "agent-" + name, Will: tp.AgentAvailability()})
		s.agent = &Agent{Topics: tp, Rig: s.rig}
		s.agent.Attach(ac)
		rc := NewConn(Options{URL: url, ClientID: "run-" + name, Will: tp.Availability()})
		s.remote = &Remote{Topics: tp}
		s.remote.Attach(rc)
		s.bridge = &Bridge{Topics: tp, Device: Device{Prefix: "homeassistant", Model: "laser", Policies: control.Policies()},
			Rig: s.remote, Control: true, Log: slog.New(slog.NewTextHandler(s.logs, nil))}
		startConn(t, ctx, ac)
		go s.agent.Run(ctx)
		rigs, fan, conns = append(rigs, s), append(fan, s.remote), append(conns, rc)
	}
	// as runRemoteParts: the engine on every rig, then each rig's bridge
	eng, err := control.New(rules, fan, control.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range rigs {
		s.bridge.Engine = eng
		s.bridge.Attach(conns[i])
		startConn(t, ctx, conns[i])
		go s.remote.Run(ctx)
		go s.bridge.Run(ctx)
	}
	return eng, fan, rigs
}

// published is the state a rig's bridge last published, as Home
// Assistant reads it.
func published(w *stateWatch, name string) State {
	w.mu.Lock()
	defer w.mu.Unlock()
	var s State
	json.Unmarshal(w.got["cattease/"+name+"/state"], &s)
	return s
}

// stateWatch records the last state each rig's bridge published.
type stateWatch struct {
	mu  sync.Mutex
	got map[string][]byte
	c   *Conn
}

func watchStates(t *testing.T, ctx context.Context, url string) *stateWatch {
	t.Helper()
	w := &stateWatch{got: map[string][]byte{}, c: NewConn(Options{URL: url, ClientID: "ha"})}
	w.c.Handle("cattease/+/state", func(m Message) { w.mu.Lock(); w.got[m.Topic] = m.Payload; w.mu.Unlock() })
	startConn(t, ctx, w.c)
	return w
}

// press publishes a command as Home Assistant does (not retained), and
// waits until the rig's bridge has carried it out (logged it).
func (s *splitRig) press(t *testing.T, ctx context.Context, w *stateWatch, cmd, payload string) {
	t.Helper()
	said := "command=" + cmd
	before := strings.Count(s.logs.String(), said)
	if err := w.c.Publish(ctx, s.bridge.Topics.Set(cmd), []byte(payload), false, 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 3*time.Second, s.name+" carried out "+cmd, func() bool { return strings.Count(s.logs.String(), said) > before })
}

// With two rigs on one run, each Home Assistant device's emergency stop,
// resume and laser switch act on its own rig, and its state says that
// rig's. The reviewer's sequence: kitten's laser forbidden, cat stopped,
// then cat's laser allowed and kitten's Resume pressed. Before, the
// second pair lifted the first on both rigs: kitten's laser was allowed
// by cat's switch, and cat's stop (a door sensor's automation) was lifted
// by kitten's Resume. Neither does the run's laser switch or resume lift
// a device's, nor a device's resume the run's stop.
func TestDevicesActOnTheirOwnRig(t *testing.T) {
	br := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w := watchStates(t, ctx, br.URL)
	eng, fan, rigs := startSplitRigs(t, ctx, br.URL, "cat", "kitten")
	cat, kitten := rigs[0], rigs[1]
	for _, s := range rigs {
		waitFor(t, 5*time.Second, s.name+"'s link up", s.agent.Link)
		waitFor(t, 5*time.Second, s.name+"'s state", func() bool { return s.remote.Online() && published(w, s.name).Link == "up" })
	}
	// what each rig is, on the Pi and in Home Assistant
	want := func(s *splitRig, stopped, allowed bool) {
		t.Helper()
		waitFor(t, 3*time.Second, s.name+"'s state published", func() bool {
			st := published(w, s.name)
			return st.Stopped == stopped && st.LaserAllowed == allowed
		})
		if gotStopped, gotAllowed, _ := s.rig.is(); gotStopped != stopped || gotAllowed != allowed {
			t.Errorf("%s: stopped %v, laser allowed %v; want %v, %v", s.name, gotStopped, gotAllowed, stopped, allowed)
		}
	}
	want(cat, false, true)
	want(kitten, false, true)

	kitten.press(t, ctx, w, CmdLaser, "OFF")
	cat.press(t, ctx, w, CmdEStop, "PRESS")
	want(cat, true, true)
	want(kitten, false, false)
	cat.press(t, ctx, w, CmdLaser, "ON")
	kitten.press(t, ctx, w, CmdResume, "PRESS")
	want(cat, true, true)      // stopped still: kitten's Resume is not cat's
	want(kitten, false, false) // forbidden still: cat's switch is not kitten's
	if eng.Status(time.Now()).Stopped {
		t.Error("a device's stop stopped the whole run")
	}

	// chat plays on the rig that is not stopped, and never on the other
	if rep := fan.MoveBy(time.Now(), "pan", 5); rep.Refused {
		t.Errorf("a move with kitten playing: %v", rep)
	}
	if _, _, pan := cat.rig.is(); pan != 0 {
		t.Errorf("cat moved while its device's stop holds: pan %v", pan)
	}
	if _, _, pan := kitten.rig.is(); pan != 5 {
		t.Errorf("kitten did not move: pan %v", pan)
	}

	// the run's laser switch (the panel's) leaves kitten's device's choice
	if !eng.SetLaser("laser", true) {
		t.Error("the panel's laser switch refused")
	}
	want(kitten, false, false)

	// the run's stop holds every rig; kitten's Resume does not lift it
	eng.Stop(time.Now())
	want(kitten, true, false)
	kitten.press(t, ctx, w, CmdResume, "PRESS")
	want(kitten, true, false)
	if !strings.Contains(kitten.logs.String(), "not this device's") {
		t.Errorf("kitten's Resume of the run's stop not refused:\n%s", kitten.logs.String())
	}
	// the run's resume lifts its own stop, not cat's device's
	eng.Resume(time.Now())
	want(kitten, false, false)
	want(cat, true, true)
	// cat's Resume lifts cat's stop; kitten's switch allows kitten's laser
	cat.press(t, ctx, w, CmdResume, "PRESS")
	kitten.press(t, ctx, w, CmdLaser, "ON")
	want(cat, false, true)
	want(kitten, false, true)
}

// quickRemote is a remote whose agent (quickAgent) answers every request
// at once, on a clock the test sets.
func quickRemote() (*Remote, *quickAgent, *time.Time) {
	now := time.Unix(1000, 0)
	r := &Remote{Topics: Topics{Base: "cattease", Rig: "cat"}, session: "s", waiting: map[uint64]chan Reply{},
		Now: func() time.Time { return now }, started: now}
	a := &quickAgent{r: r}
	r.conn = a
	a.stopped(false)
	return r, a, &now
}

func (a *quickAgent) ops() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return strings.Join(a.sent, " ")
}

func (a *quickAgent) forget() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sent = nil
}

// stopped publishes the agent's state: stopped or not, taken now, and
// whether a stop given on the Pi holds.
func (a *quickAgent) stopped(stopped bool) {
	a.mu.Lock()
	local := a.local
	a.mu.Unlock()
	b, _ := json.Marshal(agentState{State: safety.State{Stopped: stopped}, Link: true, LocalStop: &local})
	a.r.onState(Message{Payload: b})
}

// piStop gives (or ends) a stop on the Pi, and publishes the state.
func (a *quickAgent) piStop(on bool) {
	a.mu.Lock()
	a.local = on
	a.mu.Unlock()
	a.stopped(on)
}

// A device's stop holds its rig until that device's Resume: the run's
// resume does not send the agent one, nor does the device's while the
// run's stop holds; and a device's Resume lifts nothing it did not stop.
func TestRemoteHoldEndsOnlyByItsDevice(t *testing.T) {
	r, a, _ := quickRemote()
	r.Hold(time.Time{})
	if got := a.ops(); got != "stop" {
		t.Fatalf("the device's stop sent %q", got)
	}
	if !r.Snapshot().Stopped {
		t.Error("the rig's snapshot does not say stopped")
	}
	if rep := r.MoveBy(time.Time{}, "pan", 1); !rep.Refused || rep.Reason != actuators.ReasonStopped {
		t.Errorf("a move while held: %+v", rep)
	}
	r.Stop(time.Time{})   // the run's stop (the panel)
	r.Resume(time.Time{}) // and its resume
	if got := a.ops(); got != "stop stop" {
		t.Errorf("sent %q: the run's resume lifted the device's stop", got)
	}
	r.Stop(time.Time{})
	a.forget()
	if err := r.Release(time.Time{}); err == nil || !strings.Contains(err.Error(), "run's stop") {
		t.Errorf("the device's resume under the run's stop: %v", err)
	}
	if got := a.ops(); got != "" {
		t.Errorf("sent %q: the device's resume lifted the run's stop", got)
	}
	r.Resume(time.Time{})
	if got := a.ops(); got != "resume" {
		t.Errorf("the run's resume, nothing else holding: sent %q", got)
	}

	// a stop from the Pi (its panel, or one kept from before): a device's
	// Resume neither lifts it nor one it began on top of it (the agent
	// refuses the resume)
	a.forget()
	a.piStop(true)
	if err := r.Release(time.Time{}); err == nil || !strings.Contains(err.Error(), "not this device's") {
		t.Errorf("a device's resume of a stop not its own: %v", err)
	}
	r.Hold(time.Time{})
	if err := r.Release(time.Time{}); err == nil || !strings.Contains(err.Error(), "given on the Pi") {
		t.Errorf("a device's resume of its stop on top of the Pi's: %v", err)
	}
	if got := a.ops(); got != "stop resume" {
		t.Errorf("sent %q, want the device's stop and its resume", got)
	}
	if r.isHeld() {
		t.Error("the device's stop holds after its Resume")
	}
}

// crossingAgent is a quickAgent on which a stop arrives while the
// resume is on its way: as Remote.Stop sets its marks before it sends.
type crossingAgent struct{ *quickAgent }

func (c crossingAgent) Publish(ctx context.Context, topic string, b []byte, retain bool, expiry uint32) error {
	if bytes.Contains(b, []byte(`"op":"resume"`)) {
		c.r.mu.Lock()
		c.r.runStop, c.r.stops = true, c.r.stops+1
		c.r.mu.Unlock()
	}
	return c.quickAgent.Publish(ctx, topic, b, retain, expiry)
}

// A resume never undoes a stop that crossed it: the stop is sent again
// after it.
func TestRemoteResumeCrossedByAStop(t *testing.T) {
	r, a, _ := quickRemote()
	r.conn = crossingAgent{a}
	r.Hold(time.Time{})
	if err := r.Release(time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got := a.ops(); got != "stop resume stop" {
		t.Errorf("sent %q, want the stop sent again after the resume it crossed", got)
	}
}

// A rig found running while its device's stop holds (its agent restarted
// without it, or was resumed on the Pi, or the stop never reached it) is
// stopped again, once its state is at least LinkTimeout younger than the
// last stop sent, and at most once every LinkTimeout.
func TestRemoteHoldStopsARigFoundRunning(t *testing.T) {
	r, a, now := quickRemote()
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	keep := func() { r.keepStopped(log); r.beat(context.Background()) } // as Run
	r.Hold(time.Time{})
	a.forget()
	a.stopped(false) // a state from before the stop arrived
	keep()
	if got := a.ops(); got != "" {
		t.Fatalf("sent %q on a state that may predate the stop", got)
	}
	*now = now.Add(LinkTimeout)
	a.stopped(false)
	keep()
	if got := a.ops(); got != "stop" {
		t.Fatalf("a rig running under its device's stop: sent %q", got)
	}
	if !strings.Contains(logs.String(), "stopping it again") {
		t.Errorf("not logged:\n%s", logs.String())
	}
	*now = now.Add(LinkTimeout / 2)
	a.stopped(false)
	keep()
	if got := a.ops(); got != "stop" {
		t.Errorf("sent %q: stopped again within LinkTimeout", got)
	}
	if err := r.Release(time.Time{}); err != nil {
		t.Fatal(err)
	}
	a.forget()
	*now = now.Add(2 * LinkTimeout)
	a.stopped(false)
	keep()
	if got := a.ops(); got != "" {
		t.Errorf("sent %q after the device's resume", got)
	}
}

// failingResume refuses the resume (no report: link).
type failingResume struct{ *quickAgent }

func (f failingResume) Publish(ctx context.Context, topic string, b []byte, retain bool, expiry uint32) error {
	if bytes.Contains(b, []byte(`"op":"resume"`)) {
		return context.DeadlineExceeded
	}
	return f.quickAgent.Publish(ctx, topic, b, retain, expiry)
}

// A device's resume the agent did not take leaves the device's stop in
// force, so that the device can press Resume again.
func TestRemoteReleaseNotTakenHoldsStill(t *testing.T) {
	r, a, _ := quickRemote()
	r.conn = failingResume{a}
	r.Hold(time.Time{})
	if err := r.Release(time.Time{}); err == nil || !strings.Contains(err.Error(), "press Resume again") {
		t.Errorf("a resume not taken: %v", err)
	}
	if !r.isHeld() {
		t.Error("the device's stop was dropped though the rig did not resume")
	}
	r.conn = a
	if err := r.Release(time.Time{}); err != nil || r.isHeld() {
		t.Errorf("pressed again: %v, held %v", err, r.isHeld())
	}
}

// A laser a device forbade stays forbidden whatever the run's laser
// switch says (the panel's, chat's 开激光), until that device allows it;
// and one the run forbade stays forbidden whatever the device says, until
// the run allows it: the laser is allowed only when neither forbids it.
func TestRemoteDeviceLaserForbidHolds(t *testing.T) {
	r, a, _ := quickRemote()
	if err := r.Allow("laser", false); err != nil {
		t.Fatal(err)
	}
	a.forget()
	if !r.Enable("laser", true) {
		t.Error("the run's allow refused")
	}
	if got := a.ops(); got != "" {
		t.Errorf("the run's allow sent %q over the device's forbid", got)
	}
	r.Enable("laser", false)
	if got := a.ops(); got != "enable" {
		t.Errorf("the run's forbid sent %q", got)
	}
	a.forget()
	// the run forbids it too: the device's allow leaves the run's forbid
	if err := r.Allow("laser", true); err == nil || !strings.Contains(err.Error(), "run's laser switch") {
		t.Errorf("the device's allow under the run's forbid: %v", err)
	}
	if got := a.ops(); got != "" {
		t.Errorf("the device's allow sent %q over the run's forbid", got)
	}
	if rep := r.Switch(time.Time{}, "laser", true, time.Second); !rep.Refused || rep.Reason != actuators.ReasonDisabled {
		t.Errorf("the laser lit while the run forbids it: %+v", rep)
	}
	r.Enable("laser", true)
	if got := a.ops(); got != "enable" {
		t.Errorf("the run's allow, nothing else forbidding: sent %q", got)
	}
}
