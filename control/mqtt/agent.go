package mqtt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/internal/statefile"
)

// AgentRig is what the agent drives: the play layer in front of the
// envelope.
type AgentRig interface {
	control.Rig
	Snapshot() safety.State
	Enable(switchName string, on bool) bool
}

// Agent is the Pi's side of the split topology: it carries out the run
// side's requests on its own rig, publishes the rig's state, and keeps the
// laser dark while the link is lost (a broker disconnect, or LinkTimeout
// without a heartbeat); the envelope's dead man parks the rig after its
// own time. Set the fields, call Attach, then Run.
type Agent struct {
	Topics Topics
	Rig    AgentRig
	Log    *slog.Logger
	Now    func() time.Time // nil = time.Now
	// Every is the link check's and state publication's period; default
	// 100ms, so the laser goes dark within LinkTimeout + Every.
	Every time.Duration
	// LocalResumed, if set, is told when the run side's resume ended a
	// stop given on the Pi (Stop: its panel, a signal, cattease halt):
	// the Pi's panel engine, which that stop stopped, is resumed by it,
	// or the Pi's panel would show the rig stopped, and drop its pattern
	// buttons as stopped, while the rig plays. It is called after the
	// resume and its report, outside the agent's lock (it may call
	// Stop, Resume and Enable), on the goroutine that receives the
	// requests. Set it before the connection runs.
	LocalResumed func(now time.Time)
	// LocalAllowed, if set, is told when the run side's plain allow (its
	// panel's laser switch, not marked keep_local) lifted the forbid of
	// the switch given on the Pi (Enable: its panel, its panel engine):
	// the Pi's panel engine, which keeps that forbid over a restart, is
	// to forget it, or the laser the run side allowed would be forbidden
	// again when the agent restarts. It is called after the allow and
	// its report, outside the agent's lock (it may call Enable and
	// LocalForbids), on the goroutine that receives the requests; not
	// for a device's allow (keep_local), which such a forbid refuses,
	// nor for an allow that found none to lift. Set it before the
	// connection runs.
	LocalAllowed func(name string)
	// RunFile, if set, keeps the run side's stop and laser forbids on the
	// Pi (runStop, runOff: written atomically at each change, removed
	// when none holds), restored when the agent is attached: an agent
	// restarted while the run side is unreachable (the broker down, the
	// run side away) keeps them apart from the Pi's own, so the Pi's
	// panel's resume and allow end only the Pi's own, as before the
	// restart. Only the run side's resume and allow lift them; if the run
	// side is gone for good, removing the file (the agent stopped) gives
	// the Pi the rig back. An unreadable file holds the rig stopped and
	// every laser forbidden by the run side, the safe side. A write that
	// fails (a full SD card, a read-only file system) is logged and tried
	// again every second by Run until what the file holds is what the
	// agent holds; meanwhile the agent's state says so (run_unkept), and
	// the run side warns. It is written by Run apart from the requests,
	// after their reports: a slow SD card never holds back a report (the
	// run side would count the request as not taken: link) nor the
	// heartbeats after it; a restart before the write finds the run side
	// sending its stop and forbids again. Set it before Attach.
	RunFile string
	// writeRun writes RunFile (nil: statefile.Write); tests.
	writeRun func(name string, b []byte) error

	// onPanic is the Conn's: it is told of a panic on the goroutine that
	// publishes the state.
	onPanic func(what string, p any)

	conn Publisher
	mu   sync.Mutex
	j    Judge
	lost bool            // the laser was darkened for a lost link (or none yet)
	seen bool            // the link was up once
	held map[string]bool // lasers the agent forbade while the link is lost
	last []byte
	sent time.Time

	// local: a stop given on the Pi holds (Stop: its panel, a signal,
	// cattease halt; or the rig started stopped, kept on disk), as
	// opposed to the run side's (requests). The envelope has one stopped
	// flag: this is what tells a Home Assistant device's resume, which
	// must not end such a stop (Request.KeepLocal), from the rest.
	local bool
	// panelWaits: the Pi's resume was refused under the run side's stop
	// (Resume), which leaves its panel engine stopped: the run side's
	// resume that lifts the rig tells it (LocalResumed), as it does when
	// it ends a stop given here.
	panelWaits bool
	// localOff: the switches forbidden on the Pi (Enable: its panel, its
	// panel engine), as opposed to by the run side (requests): a Home
	// Assistant device's allow (Request.KeepLocal) does not lift them.
	localOff map[string]bool
	// runStop, runOff: the run side's stop (a request: the run's panel,
	// chat's 停, a Home Assistant device's stop) and the switches it
	// forbade (its laser switch, chat's 关激光, a device's), kept apart
	// from the Pi's as localOff is: the Pi's resume and allow (its panel)
	// end the Pi's own alone and leave the rig stopped and the laser
	// forbidden while the run side's hold (refused: stopped, and false),
	// which only the run side's resume and allow lift. Without them the
	// Pi's panel could light the laser, or move the rig, under the run's
	// forbid or stop until the run side sent it again.
	runStop bool
	runOff  map[string]bool
	// known: the lasers the run side's last heartbeat named (nil: a run
	// side from before, which does not say); a laser held dark for a
	// lost link is given back only once named (giveBack)
	known []string

	saving sync.Mutex    // writing RunFile: one at a time, the newest last
	keep   chan struct{} // Run's keeper of RunFile: write it now
	failed bool          // the last write of RunFile failed; saving held
	// onDisk: what RunFile holds as far as known (nil: not known, as
	// after an unreadable file); a.mu held
	onDisk *runKept

	again atomic.Bool   // its availability was cleared or said offline: say online again
	wake  chan struct{} // the state publisher: say it now
}

// Attach subscribes the agent to c's requests and heartbeats. Call before
// c.Run.
func (a *Agent) Attach(c *Conn) { a.attach(c) }

func (a *Agent) attach(c link) {
	a.conn, a.onPanic = c, c.panicked
	if a.Log == nil {
		a.Log = slog.New(slog.DiscardHandler)
	}
	a.lost = true // until the first heartbeat: Run darkens the laser
	// stopped from the start: the stop kept on disk from before, the Pi's
	a.local = a.Rig.Snapshot().Stopped
	a.restoreRun()
	a.wake = make(chan struct{}, 1)
	a.keep = make(chan struct{}, 1)
	c.Handle(a.Topics.Heartbeat(), a.onBeat)
	c.Handle(a.Topics.Request(), a.onRequest)
	c.Handle(a.Topics.Availability(), a.onRunSide)
	c.Handle(a.Topics.AgentAvailability(), a.onOwnAvailability)
	c.OnUp(func(ctx context.Context) {
		a.mu.Lock()
		a.j.Connected(true)
		a.last = nil
		a.mu.Unlock()
		c.Publish(ctx, a.Topics.AgentAvailability(), []byte("online"), true, 0)
	})
	c.OnDown(func() {
		a.mu.Lock()
		a.j.Connected(false)
		a.mu.Unlock()
		a.check() // at once: the laser goes dark now
	})
}

func (a *Agent) now() time.Time { return nowOr(a.Now) }

// log is a.Log, or no log when it is not set (before Attach).
func (a *Agent) log() *slog.Logger {
	if a.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return a.Log
}

// Run checks the link and publishes the rig's state until ctx is done.
func (a *Agent) Run(ctx context.Context) error {
	every := a.Every
	if every <= 0 {
		every = 100 * time.Millisecond
	}
	a.locked(func() {
		if !a.seen && a.lost { // no run side yet: dark until it is there
			a.darken(a.now())
			a.Log.Info("mqtt: waiting for the run side (cattease run --rig); laser off until it is there")
		}
	})
	// The state is published on its own: a publication stuck on a broker
	// that stopped reading never holds back the link check that darkens.
	pctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer stop()
	wg.Go(func() {
		defer recoverTo(a.onPanic, "the agent's state publisher")
		repeat(pctx, every, a.wake, func() {
			if a.again.Swap(false) {
				a.conn.Publish(pctx, a.Topics.AgentAvailability(), []byte("online"), true, 0)
			}
			a.publishState(pctx)
		})
	})
	if a.RunFile != "" {
		// RunFile is written after each request that changes the run
		// side's holds, and what it could not take is written again
		// until it does: a restart of the agent finds the run side's stop
		// and forbids it holds. On its own: a slow write never holds back
		// the link check, the requests' reports or the heartbeats. What
		// holds at the end is written last.
		wg.Go(func() {
			defer recoverTo(a.onPanic, "the agent's keeper of the run side's holds")
			repeat(pctx, time.Second, a.keep, a.saveRun)
			a.saveRun()
		})
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		a.check()
	}
}

// check darkens the lasers when the link is lost and gives the
// permission back when it returns.
func (a *Agent) check() {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	up := a.j.Up(now)
	switch {
	case !up && !a.lost:
		a.lost = true
		a.darken(now)
		a.Log.Warn("mqtt: link to the run side lost; laser off, requests refused until it is back")
	case up && a.lost:
		if !a.seen {
			// the first heartbeat may come before Run darkened the
			// lasers: what the run side does not name yet stays dark
			a.darken(now)
		}
		a.lost, a.seen = false, true
		a.giveBack()
		a.Log.Info("mqtt: link to the run side is up")
	case up:
		a.giveBack() // a laser the run side names only now
	}
}

// giveBack gives back the lasers held dark for a lost link, with the link
// up: those the run side forbids (taken meanwhile) stay forbidden, and
// one the run side's heartbeat does not name yet stays dark until it
// does: the run side learns of a laser named otherwise on the Pi only
// from the agent's state, and its forbid of the lasers (chat's 关激光
// given before the agent was heard from) then reaches that laser before
// the heartbeat that names it. a.mu held.
func (a *Agent) giveBack() {
	for name := range a.held {
		switch {
		case a.runOff[name]:
			delete(a.held, name)
		case a.known != nil && !slices.Contains(a.known, name):
		default:
			a.Rig.Enable(name, true)
			delete(a.held, name)
		}
	}
}

// darken switches every lit or allowed laser off and forbids it until the
// link is back, so that autoplay cannot light it meanwhile. One held dark
// already (not named by the run side yet) stays to be given back.
func (a *Agent) darken(now time.Time) {
	was := a.held
	a.held = map[string]bool{}
	for _, sw := range a.Rig.Snapshot().Switches {
		if !sw.Laser {
			continue
		}
		a.Rig.Switch(now, sw.Name, false, 0)
		if !sw.Disabled {
			a.Rig.Enable(sw.Name, false)
			a.held[sw.Name] = true
		} else if was[sw.Name] {
			a.held[sw.Name] = true
		}
	}
}

// Enable is the streamer's own switch on the Pi (its panel, its panel
// engine): give those a rig whose Enable is this one. With the link up it
// is the rig's Enable. While the link is lost the agent keeps every laser
// dark and records the streamer's choice for the link's return: off drops
// the laser from what the agent gives back (and forbids it now); on marks
// it to be given back, and it stays dark until the link is back. A forbid
// given here holds until the Pi's allow or the run side's (its panel's
// laser switch); a Home Assistant device's allow does not lift it. An
// allow lifts the Pi's own forbid alone: while the run side forbids the
// switch (its laser switch, chat's 关激光, a device's Laser allowed) it
// stays forbidden, the answer is false and the log says so; only the run
// side lifts its forbid.
func (a *Agent) Enable(name string, on bool) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if on && a.runOff[name] {
		delete(a.localOff, name)
		a.log().Warn("mqtt: the Pi's allow lifts the Pi's own forbid only: the run side's forbid (its panel's laser switch, chat's 关激光, a Home Assistant device's Laser allowed) still holds the switch; allow it there",
			"switch", name)
		return false
	}
	ok := a.enable(name, on)
	if ok || on {
		setFlag(&a.localOff, name, !on)
	}
	return ok
}

// enable is Enable with a.mu held. A laser the run side's heartbeat does
// not name yet stays dark on an allow, link up or not, and is given back
// once named (giveBack): the run side's forbid of it (chat's 关激光 given
// before the agent was heard from) reaches it before that heartbeat.
func (a *Agent) enable(name string, on bool) bool {
	if on && !a.lost && a.known != nil && !slices.Contains(a.known, name) && a.isLaser(name) {
		setFlag(&a.held, name, true)
		return true
	}
	if !a.lost || !a.isLaser(name) {
		delete(a.held, name) // decided now: not to be given back
		return a.Rig.Enable(name, on)
	}
	if !on {
		delete(a.held, name)
		return a.Rig.Enable(name, false)
	}
	if a.held == nil {
		a.held = map[string]bool{}
	}
	a.held[name] = true
	return true
}

func (a *Agent) isLaser(name string) bool {
	for _, sw := range a.Rig.Snapshot().Switches {
		if sw.Name == name {
			return sw.Laser
		}
	}
	return false
}

// Stop is the Pi's own emergency stop (its panel, SIGUSR1, cattease
// halt): give those a rig whose Stop is this one. A stop given here holds
// until the Pi's Resume or the run side's (its panel, chat's 继续); a Home
// Assistant device's Resume does not end it.
func (a *Agent) Stop(now time.Time) safety.Report {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.local, a.panelWaits = true, false
	return a.Rig.Stop(now)
}

// Resume is the Pi's own resume (its panel): it ends the Pi's stop. While
// the run side's stop holds (its panel, chat's 停, a Home Assistant
// device's stop) the rig stays stopped, the answer is refused (stopped)
// and the log says so: only the run side's resume ends that one.
func (a *Agent) Resume(now time.Time) safety.Report {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.runStop {
		a.local, a.panelWaits = false, true
		a.log().Warn("mqtt: the Pi's resume ends the Pi's own stop only: the run side's stop (its panel, chat's 停, a Home Assistant device's stop) still holds the rig; resume it there")
		return safety.Refuse(actuators.ReasonStopped, time.Time{})
	}
	rep := a.Rig.Resume(now)
	if !rep.Refused {
		a.local = false
	}
	return rep
}

// LocalForbids reports whether a forbid of the switch given on the Pi
// (Enable) holds.
func (a *Agent) LocalForbids(name string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.localOff[name]
}

// RunForbids reports whether a forbid of the switch given by the run side
// holds on the Pi.
func (a *Agent) RunForbids(name string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.runOff[name]
}

// RunStop reports whether the run side's stop holds on the Pi.
func (a *Agent) RunStop() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.runStop
}

// LocalStop reports whether a stop given on the Pi holds.
func (a *Agent) LocalStop() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.local
}

// Link reports whether the link to the run side is up.
func (a *Agent) Link() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.seen && !a.lost
}

func (a *Agent) onBeat(m Message) {
	var h Heartbeat
	if m.Retain || json.Unmarshal(m.Payload, &h) != nil {
		return
	}
	a.mu.Lock()
	now := a.now()
	a.j.Beat(now, h)
	if h.Lasers != nil {
		a.known = h.Lasers
	}
	stopped := h.Stop && !a.runStop
	if stopped { // as a stop request: before check gives a laser back
		a.runStop = true
		a.Rig.Stop(now)
	}
	a.mu.Unlock()
	if stopped {
		a.Log.Info("mqtt: the run side's stop came with its heartbeat (the stop sent before it was lost); the rig is stopped")
		signal(a.keep)
	}
	a.check()
}

// onRunSide hears the run side's availability: "offline" is its goodbye
// on a clean exit, or its will when its connection dies. The link counts
// as lost at once (the laser goes dark now, not after LinkTimeout), and
// the rig is parked if the link was up.
func (a *Agent) onRunSide(m Message) {
	if string(m.Payload) != "offline" {
		return
	}
	a.mu.Lock()
	now := a.now()
	was := a.seen && !a.lost
	a.j.Gone(now)
	a.mu.Unlock()
	a.check()
	if was {
		a.locked(func() { a.Rig.Home(now) })
		a.Log.Info("mqtt: the run side said goodbye; laser off, rig parked")
	}
}

// onOwnAvailability hears the agent's own availability topic. Anything
// but "online" arriving while connected leaves Home Assistant showing
// the rig unavailable until the next reconnection: cattease mqtt
// --unpublish clearing it, or the broker publishing the will of an
// earlier connection of this agent that it noticed dead only now. The
// agent says "online" again (retained), from the state publisher: a
// publication never waits on the client's receiving goroutine. What the
// broker hands over at subscription (retained) is not answered: OnUp says
// "online" anyway; nor is the agent's own goodbye on its way out: the
// connection publishes nothing more once it says it.
func (a *Agent) onOwnAvailability(m Message) {
	if m.Retain || string(m.Payload) == "online" {
		return
	}
	a.again.Store(true)
	signal(a.wake)
}

func (a *Agent) onRequest(m Message) {
	var r Request
	if m.Retain || json.Unmarshal(m.Payload, &r) != nil || len(r.Session) > 64 {
		return
	}
	// Admitted and carried out under one lock: a link lost in between
	// (check, darken) cannot come before an admitted laser request.
	var reason actuators.Reason
	var rep safety.Report
	var now time.Time
	var ended bool  // a stop given on the Pi, ended by this request
	var lifted bool // a forbid given on the Pi, lifted by this request
	a.locked(func() {
		now = a.now()
		reason = a.j.Admit(now, r)
		rep = safety.Refuse(reason, time.Time{})
		if reason == "" {
			was, off := a.local, r.Op == OpEnable && a.localOff[r.Name]
			rep = a.do(now, r)
			ended = was && !a.local
			if a.panelWaits && r.Op == OpResume && !rep.Refused && !a.runStop {
				ended, a.panelWaits = true, false
			}
			lifted = off && !a.localOff[r.Name]
		}
	})
	if reason != "" {
		a.Log.Debug("mqtt: request refused", "op", r.Op, "seq", r.Seq, "reason", reason)
	} else if r.Op == OpStop || r.Op == OpResume || r.Op == OpEnable {
		// Written off this goroutine, by Run's keeper (saveRun), which
		// tries again until it is kept: the report never waits for the
		// disk.
		signal(a.keep)
	}
	b, err := json.Marshal(replyOf(r, rep))
	if err == nil {
		// On the client's receive goroutine: a stalled broker must not hold
		// up every message after this one for longer than a report is worth.
		ctx, cancel := context.WithTimeout(context.Background(), ReplyWait)
		a.conn.Publish(ctx, a.Topics.Report(), b, false, expirySeconds)
		cancel()
	}
	if ended && a.LocalResumed != nil {
		a.LocalResumed(now)
	}
	if lifted && a.LocalAllowed != nil {
		a.LocalAllowed(r.Name)
	}
}

// do carries out an admitted request on the rig, with a.mu held.
func (a *Agent) do(now time.Time, r Request) safety.Report {
	switch r.Op {
	case OpMoveTo:
		return a.Rig.MoveTo(now, r.Name, r.Value)
	case OpMoveBy:
		return a.Rig.MoveBy(now, r.Name, r.Value)
	case OpSwitch:
		return a.Rig.Switch(now, r.Name, r.On, time.Duration(r.For))
	case OpHome:
		return a.Rig.Home(now)
	case OpStop:
		a.runStop = true
		return a.Rig.Stop(now)
	case OpResume:
		// the run side sends a resume only when none of its stops holds
		// (a resume it does not see confirmed sends its stop again)
		a.runStop = false
		if r.KeepLocal && a.local && a.Rig.Snapshot().Stopped {
			// a Home Assistant device's resume: the Pi's stop holds
			return safety.Refuse(actuators.ReasonStopped, time.Time{})
		}
		rep := a.Rig.Resume(now)
		if !rep.Refused {
			a.local = false
		}
		return rep
	case OpEnable:
		if r.On {
			// the run side sends an allow only when none of its forbids
			// holds (one it does not see confirmed is sent again)
			delete(a.runOff, r.Name)
		}
		if r.On && r.KeepLocal && a.localOff[r.Name] {
			// a Home Assistant device's allow, chat's: the Pi's forbid
			// holds
			return safety.Refuse(actuators.ReasonDisabled, time.Time{})
		}
		if !a.enable(r.Name, r.On) {
			return safety.Refuse(actuators.ReasonUnknownOutput, time.Time{})
		}
		if !r.On {
			setFlag(&a.runOff, r.Name, true)
		} else {
			// the run's allow ends the Pi's forbid too, as its resume
			// ends the Pi's stop
			delete(a.localOff, r.Name)
		}
		return safety.Report{}
	}
	return safety.Refuse(actuators.ReasonBadValue, time.Time{})
}

// agentState is what the agent publishes for the run side: the rig's
// state, taken after the request numbered DoneSeq of DoneSession was
// carried out (so a move's target is in it), the link, whether a stop
// given on the Pi holds (LocalStop) and which switches are forbidden on
// the Pi (LocalOff, sorted); each nil from an agent from before, which
// does not say. (The names are not "session": the embedded state's play
// session has that key.)
type agentState struct {
	safety.State
	Link        bool      `json:"link"`
	DoneSession string    `json:"done_session,omitempty"`
	DoneSeq     uint64    `json:"done_seq,omitempty"`
	LocalStop   *bool     `json:"local_stop,omitempty"`
	LocalOff    *[]string `json:"local_off,omitempty"`
	// RunStop and RunOff: whether the run side's stop holds on the Pi,
	// and the switches it forbids there (sorted); nil from an agent from
	// before, which does not keep them apart from the Pi's (the run side
	// warns once).
	RunStop *bool     `json:"run_stop,omitempty"`
	RunOff  *[]string `json:"run_off,omitempty"`
	// RunUnkept: what RunStop and RunOff say is not what the agent's
	// RunFile holds (its write failed, and is tried again): a restart of
	// the agent now would not find those given or lifted since.
	RunUnkept bool `json:"run_unkept,omitempty"`
}

// publishState sends the rig's snapshot when it changed, and at least
// every second (not retained: a run side that starts reads a fresh one).
func (a *Agent) publishState(ctx context.Context) {
	a.mu.Lock() // requests are carried out under a.mu: the last admitted one is done
	st := agentState{DoneSession: a.j.session, DoneSeq: a.j.lastSeq}
	local, runStop := a.local, a.runStop
	off := slices.Sorted(maps.Keys(a.localOff))
	runOff := slices.Sorted(maps.Keys(a.runOff))
	st.RunUnkept = a.unkept()
	a.mu.Unlock()
	if runOff == nil {
		runOff = []string{}
	}
	st.RunStop, st.RunOff = &runStop, &runOff
	st.State, st.Link = a.Rig.Snapshot(), a.Link()
	local = local && st.Stopped
	if off == nil {
		off = []string{} // said: none
	}
	st.LocalStop, st.LocalOff = &local, &off
	b, err := json.Marshal(st)
	if err != nil {
		return
	}
	now := a.now()
	a.mu.Lock()
	same := bytes.Equal(b, a.last) && now.Sub(a.sent) < time.Second
	a.mu.Unlock()
	if same || a.conn.Publish(ctx, a.Topics.AgentState(), b, false, expirySeconds) != nil {
		return
	}
	a.mu.Lock()
	a.last, a.sent = b, now
	a.mu.Unlock()
}

// locked runs f under a.mu, released by a defer: a panic in the rig,
// handed on to the run's handler, must not leave the agent's lock held
// (the link check, the state publisher and Run's end would wait on it).
func (a *Agent) locked(f func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f()
}

// runKept is what an agent keeps in its RunFile: the run side's stop and
// the switches it forbade.
type runKept struct {
	RunStop      bool     `json:"run_stop"`
	RunForbidden []string `json:"run_forbidden"`
}

// runHolds is what RunFile is to hold now; a.mu held.
func (a *Agent) runHolds() runKept {
	return runKept{RunStop: a.runStop, RunForbidden: slices.Sorted(maps.Keys(a.runOff))}
}

// same reports whether k holds what o does.
func (k runKept) same(o runKept) bool {
	return k.RunStop == o.RunStop && slices.Equal(k.RunForbidden, o.RunForbidden)
}

// unkept reports whether RunFile does not hold what the agent holds for
// the run side (a write failed, or is to come); a.mu held.
func (a *Agent) unkept() bool {
	return a.RunFile != "" && (a.onDisk == nil || !a.onDisk.same(a.runHolds()))
}

// restoreRun reads RunFile ("" keeps nothing; no file, nothing kept) and
// puts the run side's stop and forbids kept there back in force on the
// rig; an unreadable file holds the rig stopped and every laser forbidden
// by the run side. Called by attach.
func (a *Agent) restoreRun() {
	if a.RunFile == "" {
		return
	}
	var k runKept
	b, err := os.ReadFile(a.RunFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		a.onDisk = &runKept{}
		return
	case err == nil:
		err = json.Unmarshal(b, &k)
	}
	if err != nil {
		k = runKept{RunStop: true}
		for _, sw := range a.Rig.Snapshot().Switches {
			if sw.Laser {
				k.RunForbidden = append(k.RunForbidden, sw.Name)
			}
		}
		a.Log.Error("mqtt: the run side's stop and laser forbid kept on the Pi are unreadable: the rig is held stopped and every laser forbidden until the run side's resume and laser switch; if the run side is gone for good, stop the agent and remove the file",
			"file", a.RunFile, "err", err)
	}
	// what a restart would find there: the file as it reads, or, read
	// again, the same safe side
	slices.Sort(k.RunForbidden)
	disk := k
	disk.RunForbidden = slices.Clone(k.RunForbidden)
	a.onDisk = &disk
	now := a.now()
	if k.RunStop {
		a.runStop = true
		if !a.Rig.Snapshot().Stopped {
			a.Rig.Stop(now)
		}
	}
	for _, name := range k.RunForbidden {
		setFlag(&a.runOff, name, true)
		a.Rig.Enable(name, false)
	}
	if err == nil && (k.RunStop || len(k.RunForbidden) > 0) {
		a.Log.Warn("mqtt: kept from before this start: the run side's stop and laser forbid hold until the run side lifts them (its resume and laser switch, chat's 继续 and 开激光); the Pi's panel ends only the Pi's own; if the run side is gone for good, stop the agent and remove the file",
			"stopped", k.RunStop, "lasers_forbidden", k.RunForbidden, "file", a.RunFile)
	}
}

// saveRun writes the run side's stop and forbids to RunFile, the newest
// last; none holding, no file. What the file holds already is not
// written again. A failure is logged, once until a write succeeds: Run
// calls it again every second, and the agent's state says meanwhile that
// the holds are not kept (run_unkept).
func (a *Agent) saveRun() {
	if a.RunFile == "" {
		return
	}
	a.saving.Lock()
	defer a.saving.Unlock()
	a.mu.Lock()
	k := a.runHolds()
	same := a.onDisk != nil && a.onDisk.same(k)
	a.mu.Unlock()
	if same {
		a.keptAgain()
		return
	}
	var err error
	if !k.RunStop && len(k.RunForbidden) == 0 {
		err = statefile.Remove(a.RunFile)
	} else {
		var b []byte
		if b, err = json.Marshal(k); err == nil {
			write := a.writeRun
			if write == nil {
				write = statefile.Write
			}
			err = write(a.RunFile, b)
		}
	}
	if err != nil {
		if !a.failed {
			a.log().Error("mqtt: the run side's stop and laser forbid are not kept on the Pi: a restart of the agent would not find those given or lifted since; they hold until then, and the write is tried again every second",
				"file", a.RunFile, "err", err)
		}
		a.failed = true
		return
	}
	a.mu.Lock()
	a.onDisk = &k
	a.mu.Unlock()
	a.keptAgain()
}

// keptAgain logs that RunFile holds what the agent holds again, after a
// write that failed; a.saving held.
func (a *Agent) keptAgain() {
	if a.failed {
		a.failed = false
		a.log().Info("mqtt: the run side's stop and laser forbid are kept on the Pi again", "file", a.RunFile)
	}
}
