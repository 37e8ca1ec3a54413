package mqtt

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// The rules of a remote rig's stops and laser permission, on the run side.
//
// Three stops can hold a rig, and each is ended only by its own resume;
// the agent's envelope has one stopped flag for them all, so the agent is
// sent a resume only when none that the run side knows of holds:
//
//   - The run's stop (runStop): the run's panel, chat's 停, a signal on the
//     run side (Stop); it holds every rig. Every request but the safer
//     ones is refused here while it holds, and a rig found running
//     meanwhile (the stop never reached it, its agent restarted, or the
//     Pi's panel resumed it) is stopped again. Ended by the run's Resume
//     alone, which sends the agent a resume unless the device's stop
//     holds (then it logs that the device holds the rig). That resume is
//     a plain one: it also ends a stop given on the Pi, as the run's
//     resume always did.
//   - The device's stop (held): this rig's Home Assistant Emergency stop
//     (Hold). Every request but the safer ones is refused here while it
//     holds, and a rig found running meanwhile is stopped again
//     (keepStopped). Ended by that device's Resume (Release) alone: held is
//     lifted, and unless the run's stop holds the agent is sent a resume
//     marked keep_local, which it refuses while a stop given on the Pi
//     holds. An agent that does not say whether one holds (local_stop,
//     from an older cattease) is sent none: the rig stays stopped until
//     the panel's resume (the run's or the Pi's). A resume the agent did
//     not answer leaves held in force.
//   - The Pi's stop: its panel, SIGUSR1 or cattease halt on the Pi, or the
//     stop the Pi kept on disk from before the agent started. The agent
//     keeps it and says so in its state (local_stop); it ends with the
//     Pi's resume, or the run's.
//
// A stop sent while a resume is on its way is sent again after it. A stop
// in force (the run's or the device's) that the agent has not taken (its
// report did not come: the Pi unreachable, the broker restarting, the
// stop kept from before a restart of the run side) is sent again just
// before every heartbeat until it has: an agent back from an outage hears
// the stop before the heartbeat that gives it back its laser. What the
// agent took counts as taken only while nothing says it may have been
// lost since (doubt): the agent silent for longer than LinkTimeout and a
// half, its availability gone offline (its goodbye, or its will: it
// restarted), a state of an agent that has not heard this run side's
// heartbeat (it restarted), the run side's own connection dropped; then
// the stops and forbids in force are sent again before every heartbeat
// until the agent takes them anew.
//
// Two switches can forbid a laser here, each lifted only by its own allow:
// the run's (runOff: the panel's laser switch, chat's 关激光 and 开激光;
// Enable) and the device's (devOff: this rig's Home Assistant Laser
// allowed; Allow). The agent is told to allow a laser only when neither
// forbids it. While either does, a request to light it is refused here
// (disabled) whatever the agent says, the snapshot shows it forbidden, and
// an agent's state that shows it allowed (the agent restarted, the forbid
// was lost or sent while the Pi was unreachable, the Pi's panel allowed
// it) gets the forbid again (keepForbids). A forbid in force that the
// agent has not taken (its report, or a state taken after it that shows
// the switch forbidden with the link up), or may have lost since (doubt,
// above), is sent again just before every heartbeat (forbidAgain), as a
// stop is: the agent takes a forbid with its link down (it only makes
// things safer) and then does not give that laser back when the
// heartbeat comes, so a forbid kept from before a restart of the run
// side, or given while the Pi was unreachable, or held over an agent
// restarted meanwhile, is in force before autoplay on the Pi could light
// the laser. The Pi's own panel can forbid a
// laser too: the agent keeps that forbid apart and says that it does
// (local_off); a device's allow is marked keep_local, which the agent
// refuses while the Pi's forbid holds, and an agent that does not say
// (from an older cattease) is sent none while it shows the laser
// forbidden. The run's panel's allow (Enable) is a plain one: it also
// lifts the Pi's forbid, as the run's resume ends the Pi's stop; chat's
// (EnableChat) is marked keep_local, as a device's is.
//
// With StateFile set, held and devOff, runStop and runOff are kept there
// (written atomically at each change) and restored at start (Restore): a
// restart of the run side keeps the device's stop and forbid and the
// run's, each still ended by its own resume or allow alone. The Pi keeps
// its stop on disk itself. With NoDeviceControl (no Home Assistant
// device can act on the rig), a device's stop and forbid kept there are
// restored as the run's: nothing else could lift them. Without StateFile
// (a dry run), a rig found stopped at the first state after the start, by
// neither its device nor the Pi, counts as under the run's stop
// (onState); and the stop and forbids the agent kept for the run over its
// own restart (run_stop, run_off) are the run's here too. The run's engine
// did not give them: it is told (OnRunHoldsAdopted), and stops as it does
// at the start with a stop kept here.

// Remote is the run side's view of one agent's rig: a control.Rig whose
// every call is a request over the broker. A call waits ReplyWait for the
// agent's report; without one it counts as refused with reason "link".
// Settled and Snapshot come from the state the agent publishes.
type Remote struct {
	Topics Topics
	Now    func() time.Time // nil = time.Now
	Log    *slog.Logger     // nil = no log
	// Lasers are the lasers the rules name: a device's forbid covers them
	// before the agent has said which it has.
	Lasers []string
	// StateFile, if set, keeps the device's and the run's stops and laser
	// forbids across a restart of the run side (Restore reads it).
	StateFile string
	// NoDeviceControl says that the rig's Home Assistant device cannot
	// act on it (mqtt.control off: its command topics are not heard):
	// Restore carries a device's stop and forbid kept in StateFile over
	// as the run's, which the panel's resume and laser switch lift.
	NoDeviceControl bool
	// OnRunHoldsAdopted, if set, is told the run's stop (stop) and laser
	// forbids (forbids) taken over from the agent at its first state,
	// which the run's engine did not give: the stop and forbids the
	// agent kept for the run over its own restart, or a rig found
	// stopped by neither its device nor the Pi. The engine is to stop,
	// as at a start under a kept stop, and take the forbids as the
	// panel's (control.Engine.AdoptPanelForbids); else its panel and
	// overlay say playing, and chat's commands are accepted and dropped
	// by the rig. It is called on Run's goroutine, never the one that
	// receives: it may call Stop, which waits for the agent's report.
	// Set it before Run.
	OnRunHoldsAdopted func(stop bool, forbids []string)

	conn    Publisher
	session string
	seq     atomic.Uint64
	sending sync.Mutex // taking a sequence number and publishing: in seq order
	saving  sync.Mutex // writing StateFile: one at a time, the newest last
	disk    *kept      // what StateFile holds, as far as known (nil: not known; empty: no file); saving held

	mu      sync.Mutex
	waiting map[uint64]chan Reply
	moved   uint64    // the number of the last move the agent carried out
	movedAt time.Time // when it said so
	done    uint64    // the number of the last request the state was taken after
	counted bool      // the state is numbered for this session (agents from before do not)
	state   safety.State
	stateAt time.Time // when the last state arrived; zero = never
	started time.Time // when Run started; zero = not yet
	link    bool      // the agent's link as it last said
	// whether a stop given on the Pi holds, as the agent last said;
	// localKnown is false for an agent that does not say (from before)
	local, localKnown bool
	// whether the agent says which switches are forbidden on the Pi
	// (false for one from before, which would let a device's allow lift
	// such a forbid)
	offKnown bool

	// This rig's own stop and laser switch, its Home Assistant device's
	// (DeviceRig), kept apart from the run's, which act on every rig; see
	// the rules above.
	held      bool      // the device's emergency stop is in force
	runStop   bool      // the run's emergency stop (the panel, chat, a signal) is in force
	stateSeen bool      // the agent's state has come since this run side started
	stops     uint64    // counts the stops: a resume that crossed one sends it again
	stopSent  time.Time // when a stop (the device's or the run's) was last sent
	// stopSure: the agent took the last stop sent (its report, or a state
	// taken after it); while a stop holds that it has not, one goes
	// before every heartbeat (stopAgain), numbered blindSeq
	stopSure bool
	blindSeq uint64
	devOff   map[string]bool      // the lasers the device forbade
	runOff   map[string]bool      // the switches the run forbade
	offSent  map[string]time.Time // when a forbid was last sent to the agent, by switch
	// offSure: the agent took the forbid of the switch (its report on the
	// forbid numbered offSeq, or a state taken after it that shows the
	// switch forbidden with the link up) and nothing since says it may
	// have lost it (doubt); while a switch forbidden here is not, its
	// forbid goes before every heartbeat (forbidAgain)
	offSure map[string]bool
	offSeq  map[string]uint64 // the number of the last forbid sent, by switch; none after a doubt
	// offTurn counts the changes of runOff: an allow not confirmed gives
	// its forbid back only if nothing changed it meanwhile (allowRun)
	offTurn uint64
	// strange: the lasers of the agent's state that the rules do not
	// name (Lasers), each logged once (onState)
	strange map[string]bool
	// runFollow, devFollow: the strange lasers forbidden at once when
	// the agent's state first named them, by the run and by the device,
	// because that side forbade a laser of the rules then (a forbid given
	// before the agent was heard from: its Pi booting, the broker down,
	// a forbid kept from before a restart of the run side); each is
	// lifted with the last of that side's forbids of the rules' lasers
	// (liftFollowers), by the same switch: chat's 开激光 lifts what
	// followed chat's 关激光
	runFollow, devFollow map[string]bool
	// oldAgent: the agent's state did not say which stop and forbids of
	// the run side it keeps (run_stop, run_off: from an older cattease),
	// logged once
	oldAgent bool
	// adoptStop, adoptOff: the run's stop and forbids taken over from
	// the agent's first state, not yet told (OnRunHoldsAdopted)
	adoptStop bool
	adoptOff  []string
	// unkeptSince: since when the agent's state says that what it holds
	// of the run's is not kept on the Pi's disk (run_unkept; zero: it
	// is); unkeptSaid: the run side warned of it (sayUnkept)
	unkeptSince time.Time
	unkeptSaid  bool
	// wake: Run sends its heartbeat now, with the forbids not taken yet
	// before it (a laser learned from the agent's state)
	wake chan struct{}
}

var (
	_ control.Rig = (*Remote)(nil)
	_ DeviceRig   = (*Remote)(nil)
)

// Attach subscribes the remote to c's reports and the agent's state.
// Call before c.Run.
func (r *Remote) Attach(c *Conn) { r.attach(c) }

func (r *Remote) attach(c link) {
	r.conn = c
	r.session = randomHex(8)
	r.waiting = map[uint64]chan Reply{}
	r.wake = make(chan struct{}, 1)
	c.Handle(r.Topics.Report(), r.onReply)
	c.Handle(r.Topics.AgentState(), r.onState)
	c.Handle(r.Topics.AgentAvailability(), r.onAgentAvailability)
	c.OnDown(func() {
		// the agent may restart, or lose its link, unseen meanwhile
		r.mu.Lock()
		lost := r.doubt()
		r.mu.Unlock()
		r.sayDoubt(lost)
	})
}

// doubt forgets that the agent took the stop and the forbids in force,
// when something says it may have lost them (see the rules above): they
// are sent again before every heartbeat until it takes them anew. It
// returns the switches forbidden here whose forbid counted as taken.
// r.mu held.
func (r *Remote) doubt() (lost []string) {
	r.stopSure, r.blindSeq = false, 0
	for name, sure := range r.offSure {
		if sure && r.forbidden(name) {
			lost = append(lost, name)
		}
	}
	slices.Sort(lost)
	clear(r.offSure)
	clear(r.offSeq)
	return lost
}

// sayDoubt logs that the forbids of lost, which the agent had taken, are
// sent again (doubt).
func (r *Remote) sayDoubt(lost []string) {
	if len(lost) > 0 && r.Log != nil {
		r.Log.Warn("mqtt: the agent may have lost the laser forbid (it restarted, or went out of reach); forbidding it again before its next heartbeat",
			"rig", r.Topics.Rig, "switches", lost)
	}
}

// onAgentAvailability hears the agent's availability: anything but
// "online" (its goodbye, its will, a cleared topic) means that the agent
// that took the stops and forbids may be gone, and the next one not have
// them.
func (r *Remote) onAgentAvailability(m Message) {
	if string(m.Payload) == "online" {
		return
	}
	r.mu.Lock()
	lost := r.doubt()
	r.mu.Unlock()
	r.sayDoubt(lost)
}

func (r *Remote) now() time.Time { return nowOr(r.Now) }

// Run sends heartbeats every HeartbeatEvery until ctx is done, keeps the
// device's stop, the run's and the forbidden lasers in force on the
// agent, and logs when the agent comes and goes.
func (r *Remote) Run(ctx context.Context) error {
	log := r.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(HeartbeatEvery)
	defer t.Stop()
	r.mu.Lock()
	r.started = r.now()
	r.mu.Unlock()
	online, since := false, r.now()
	for {
		r.tellAdopted()
		r.beat(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-r.wake:
			continue // a forbid learned from the agent's state goes now
		case <-t.C:
		}
		r.keepStopped(log) // its stop goes before the next heartbeat
		r.keepForbids(log)
		r.sayUnkept(log)
		up := r.Online()
		switch {
		case up && !online:
			log.Info("mqtt: agent online", "rig", r.Topics.Rig)
		case !up && online:
			log.Warn("mqtt: agent silent; its chat commands are refused (link) until it is back", "rig", r.Topics.Rig)
			since = r.now()
		case !up && r.now().Sub(since) > 5*time.Second:
			log.Warn("mqtt: no agent answers; start cattease agent on the Pi with the same broker and rig name", "rig", r.Topics.Rig, "requests", r.Topics.Request())
			since = r.now().Add(time.Minute) // again in a minute
		}
		online = up
	}
}

// beat sends a heartbeat, after a stop in force that the agent has not
// taken yet (stopAgain) and the forbids in force it has not (forbidAgain):
// an agent whose link comes back with this heartbeat has them before it
// gives its laser back. An agent silent for longer than a link may be
// quiet may have restarted or lost its link meanwhile (doubt).
func (r *Remote) beat(ctx context.Context) {
	r.mu.Lock()
	last := r.stateAt
	if last.IsZero() {
		last = r.started
	}
	var lost []string
	if !last.IsZero() && r.now().Sub(last) > LinkTimeout+time.Second/2 {
		lost = r.doubt()
	}
	r.mu.Unlock()
	r.sayDoubt(lost)
	// the lasers named before the forbids are sent: one learned after
	// (onState) is named with the next heartbeat, after its forbid
	var lasers []string // rules naming no laser: nothing said, as before
	if len(r.Lasers) > 0 {
		lasers = r.LaserNames()
	}
	r.stopAgain(ctx)
	r.forbidAgain(ctx)
	r.mu.Lock()
	stop := (r.held || r.runStop) && !r.stopSure
	r.mu.Unlock()
	b, err := json.Marshal(Heartbeat{Session: r.session, Sent: r.now().UnixNano(), Lasers: lasers, Stop: stop})
	if err == nil {
		r.conn.Publish(ctx, r.Topics.Heartbeat(), b, false, expirySeconds)
	}
}

// call sends one request and waits for its report. Concurrent callers
// (the engine, the bridge, the panel) publish in sequence order: the
// agent refuses a request older than the last one it took.
func (r *Remote) call(req Request) safety.Report {
	if !req.Safer() {
		r.mu.Lock()
		stopped := (r.held || r.runStop) && req.Op != OpEnable
		off := req.Op == OpSwitch && req.On && r.forbidden(req.Name)
		r.mu.Unlock()
		switch {
		case stopped:
			// The device's stop or the run's holds: nothing moves or
			// lights until its resume, whatever the agent, which may not
			// have it, would do. A permission is no output: it is passed
			// on. (A resume is sent only once the stops it ends are
			// lifted here.)
			return safety.Refuse(actuators.ReasonStopped, time.Time{})
		case off:
			// Forbidden here (the device's switch or the run's): refused
			// whatever the agent allows, which may have forgotten it.
			return safety.Refuse(actuators.ReasonDisabled, time.Time{})
		}
	}
	if !req.Safer() && r.silent() {
		// No agent answers: refuse at once rather than wait ReplyWait
		// under the engine's lock. What can only make things safer is
		// sent all the same.
		return safety.Refuse(actuators.ReasonLink, time.Time{})
	}
	ch := make(chan Reply, 1)
	ctx, cancel := context.WithTimeout(context.Background(), ReplyWait)
	defer cancel()
	defer func() {
		r.mu.Lock()
		delete(r.waiting, req.Seq)
		r.mu.Unlock()
	}()
	if err := r.send(ctx, &req, ch); err != nil {
		return safety.Refuse(actuators.ReasonLink, time.Time{})
	}
	select {
	case rp := <-ch:
		rep := rp.report()
		if req.moves() && !rep.Refused {
			r.mu.Lock()
			r.moved, r.movedAt = max(r.moved, req.Seq), r.now()
			r.mu.Unlock()
		}
		return rep
	case <-ctx.Done():
		return safety.Refuse(actuators.ReasonLink, time.Time{})
	}
}

// send numbers req, registers ch for its reply and publishes it, one
// request at a time (the numbers go out in order). The lock is released
// by a defer: a panic in the client, handed on to the run's handler,
// must not leave the next call waiting on it.
func (r *Remote) send(ctx context.Context, req *Request, ch chan Reply) error {
	r.sending.Lock()
	defer r.sending.Unlock()
	return r.sendLocked(ctx, req, ch)
}

// sendLocked is send with r.sending held. A nil ch registers nothing: a
// stop sent so is not waited for, but its report is noted (onReply).
func (r *Remote) sendLocked(ctx context.Context, req *Request, ch chan Reply) error {
	req.Session, req.Seq, req.Sent = r.session, r.seq.Add(1), r.now().UnixNano()
	r.mu.Lock()
	if ch != nil {
		r.waiting[req.Seq] = ch
	} else if req.Op == OpStop {
		r.blindSeq = req.Seq
	}
	if req.Op == OpEnable && !req.On {
		if r.offSeq == nil {
			r.offSeq = map[string]uint64{}
		}
		r.offSeq[req.Name] = req.Seq
	}
	r.mu.Unlock()
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	return r.conn.Publish(ctx, r.Topics.Request(), b, false, expirySeconds)
}

func (r *Remote) onReply(m Message) {
	var rp Reply
	if json.Unmarshal(m.Payload, &rp) != nil || rp.Session != r.session {
		return
	}
	r.mu.Lock()
	ch := r.waiting[rp.Seq]
	if rp.Seq != 0 && rp.Seq == r.blindSeq && !rp.Refused {
		r.stopSure = true // the stop sent again has reached the agent
	}
	// a forbid the agent took, or of a switch it does not have (nothing
	// there to light)
	if rp.Seq != 0 && (!rp.Refused || rp.Reason == actuators.ReasonUnknownOutput) {
		for name, seq := range r.offSeq {
			if seq == rp.Seq {
				setFlag(&r.offSure, name, true)
			}
		}
	}
	r.mu.Unlock()
	if ch != nil {
		select {
		case ch <- rp:
		default:
		}
	}
}

func (r *Remote) onState(m Message) {
	var st agentState
	if json.Unmarshal(m.Payload, &st) != nil {
		return
	}
	r.mu.Lock()
	r.state, r.stateAt, r.link = st.State, r.now(), st.Link
	r.done, r.counted = st.DoneSeq, st.DoneSession == r.session
	r.localKnown = st.LocalStop != nil
	r.local = r.localKnown && *st.LocalStop
	r.offKnown = st.LocalOff != nil
	switch {
	case !st.RunUnkept:
		r.unkeptSince = time.Time{}
	case r.unkeptSince.IsZero():
		r.unkeptSince = r.now()
	}
	var lost []string
	if !r.counted && !st.Link {
		// an agent whose link is down and that has not heard this run
		// side's heartbeat: it restarted (or this run side did), and may
		// not have the stops and forbids of this one when its link comes
		// up
		lost = r.doubt()
	}
	if st.Stopped && r.blindSeq != 0 && r.counted && r.done >= r.blindSeq {
		r.stopSure = true // taken after the stop sent again: its report was lost
	}
	if r.counted && st.Link {
		// taken after a forbid, with the link up (so with nothing held
		// back to give), and showing the switch forbidden: it took it
		for _, sw := range st.Switches {
			if seq := r.offSeq[sw.Name]; sw.Disabled && r.forbidden(sw.Name) && seq != 0 && r.done >= seq {
				setFlag(&r.offSure, sw.Name, true)
			}
		}
	}
	var strange, byRun, byDev []string
	for _, sw := range st.Switches {
		if sw.Laser && !slices.Contains(r.Lasers, sw.Name) && !r.strange[sw.Name] {
			setFlag(&r.strange, sw.Name, true)
			strange = append(strange, sw.Name)
			// the side that forbids a laser of the rules forbids this one
			// too, as the forbid would have had it named then
			if r.anyRules(r.runOff) && !r.runOff[sw.Name] {
				setFlag(&r.runOff, sw.Name, true)
				setFlag(&r.runFollow, sw.Name, true)
				r.offTurn++
				delete(r.offSure, sw.Name)
				delete(r.offSeq, sw.Name)
				byRun = append(byRun, sw.Name)
			}
			if r.anyRules(r.devOff) && !r.devOff[sw.Name] {
				setFlag(&r.devOff, sw.Name, true)
				setFlag(&r.devFollow, sw.Name, true)
				delete(r.offSure, sw.Name)
				delete(r.offSeq, sw.Name)
				byDev = append(byDev, sw.Name)
			}
		}
	}
	old := false
	var adopted []string // the run's holds the agent kept, taken here
	if st.RunOff == nil && !r.oldAgent {
		r.oldAgent, old = true, true
	}
	if !r.stateSeen {
		// A rig already stopped when the run side starts, by neither its
		// device nor the Pi, was stopped by the run before a restart that
		// kept no StateFile (a dry run, or one from before the run's stop
		// was kept there; the Pi kept the stop): it stays the run's, so
		// only the run's resume ends it, never a device's Resume.
		r.stateSeen = true
		if st.Stopped && !r.held && !r.local {
			r.runStop = true
			r.stopSure = true
			r.adoptStop = true
		}
		// What the agent kept as the run's (its RunFile, over its own
		// restart: this side's requests, the run's or a device's) is the
		// run's here too, unless this side kept it as a device's: a run
		// side without its StateFile (a dry run, a state directory lost)
		// would otherwise send a device's Resume or Laser allowed ON,
		// which the agent cannot tell from chat's, and it would lift them.
		if st.RunStop != nil && *st.RunStop && !r.runStop && !r.held {
			r.runStop, r.stopSure = true, true
			r.adoptStop = true
			adopted = append(adopted, "stop")
		}
		if st.RunOff != nil {
			for _, name := range *st.RunOff {
				if !r.runOff[name] && !r.devOff[name] { // a device's kept here is its own
					setFlag(&r.runOff, name, true)
					adopted = append(adopted, name)
					r.adoptOff = append(r.adoptOff, name)
				}
			}
		}
		if r.adoptStop || len(r.adoptOff) > 0 {
			signal(r.wake) // Run tells the engine now
		}
	}
	r.mu.Unlock()
	r.sayDoubt(lost)
	if len(byRun) > 0 || len(byDev) > 0 || len(adopted) > 0 {
		r.save()
	}
	if len(adopted) > 0 && r.Log != nil {
		r.Log.Warn("mqtt: the agent holds the run's stop or laser forbid from before (kept on the Pi over a restart): it holds here too, until the run's resume (the panel's, chat's 继续) or the panel's laser switch lifts it",
			"rig", r.Topics.Rig, "holds", adopted)
	}
	if len(strange) > 0 {
		// the agent holds it dark until a heartbeat names it: that
		// heartbeat goes now, after its forbid if one holds
		signal(r.wake)
	}
	if len(strange) > 0 && r.Log != nil {
		r.Log.Warn("mqtt: the agent's rig has a laser that the run's rules do not name: give the run side's hardware section the lasers of the Pi's, by the same names; until then it is forbidden by each side that forbids a laser of the rules when the agent names it (the run's switch, chat's 关激光, a Home Assistant device's Laser allowed), and that side's allow of the rules' lasers lifts it, but a forbid kept for it counts as one of a switch renamed",
			"rig", r.Topics.Rig, "lasers", strange, "rules_lasers", r.Lasers, "forbidden_by_run", byRun, "forbidden_by_device", byDev)
	}
	if old && r.Log != nil {
		r.Log.Warn("mqtt: the agent is from an older cattease: it does not keep the run side's stop and laser forbid apart from the Pi's, nor over its own restart, so the Pi's panel's resume and allow end them until the run side sends them again; update the agent",
			"rig", r.Topics.Rig)
	}
}

// tellAdopted tells OnRunHoldsAdopted the run's stop and forbids taken
// over from the agent's first state, once; called by Run.
func (r *Remote) tellAdopted() {
	r.mu.Lock()
	stop, off := r.adoptStop, r.adoptOff
	r.adoptStop, r.adoptOff = false, nil
	r.mu.Unlock()
	if (stop || len(off) > 0) && r.OnRunHoldsAdopted != nil {
		r.OnRunHoldsAdopted(stop, off)
	}
}

// unkeptGrace is how long the agent's state may say that the run's holds
// are not kept on the Pi's disk before the run side warns: a write takes
// that long only when something is wrong (a full or failing SD card).
const unkeptGrace = 2 * time.Second

// sayUnkept warns when the agent's state has said for unkeptGrace that
// the run's stop and laser forbids it holds are not kept on the Pi's disk
// (run_unkept: its RunFile's write failed, and is tried again), and says
// when they are kept again.
func (r *Remote) sayUnkept(log *slog.Logger) {
	r.mu.Lock()
	since := r.unkeptSince
	warn := !since.IsZero() && !r.unkeptSaid && r.now().Sub(since) >= unkeptGrace
	back := since.IsZero() && r.unkeptSaid
	if warn || back {
		r.unkeptSaid = warn
	}
	r.mu.Unlock()
	switch {
	case warn:
		log.Warn("mqtt: the agent cannot keep the run's stop and laser forbid on the Pi's disk (its log says why: a full SD card, a read-only file system): they hold on the Pi, but an agent restarted before it can would not find those given or lifted since; it tries again every second",
			"rig", r.Topics.Rig)
	case back:
		log.Info("mqtt: the agent keeps the run's stop and laser forbid on the Pi's disk again", "rig", r.Topics.Rig)
	}
}

// anyRules reports whether off holds a laser of the rules (Lasers);
// r.mu held.
func (r *Remote) anyRules(off map[string]bool) bool {
	return slices.ContainsFunc(r.Lasers, func(name string) bool { return off[name] })
}

// MoveTo implements control.Rig.
func (r *Remote) MoveTo(_ time.Time, axis string, deg float64) safety.Report {
	return r.call(Request{Op: OpMoveTo, Name: axis, Value: deg})
}

// MoveBy implements control.Rig.
func (r *Remote) MoveBy(_ time.Time, axis string, delta float64) safety.Report {
	return r.call(Request{Op: OpMoveBy, Name: axis, Value: delta})
}

// Switch implements control.Rig.
func (r *Remote) Switch(_ time.Time, name string, on bool, d time.Duration) safety.Report {
	return r.call(Request{Op: OpSwitch, Name: name, On: on, For: int64(d)})
}

// Home implements control.Rig.
func (r *Remote) Home(time.Time) safety.Report { return r.call(Request{Op: OpHome}) }

// Stop implements control.Rig: the run's emergency stop (the panel, chat's
// 停, a signal), which stops every rig. It holds here from now on,
// whether or not the agent took it: every request but the safer ones is
// refused, and the stop is sent again until the agent takes it, and
// whenever the agent's state shows the rig running (keepStopped).
func (r *Remote) Stop(time.Time) safety.Report {
	r.mu.Lock()
	r.runStop = true
	r.stops++
	r.stopSure, r.blindSeq = false, 0
	running := !r.started.IsZero()
	r.mu.Unlock()
	rep := r.sendStop()
	r.save()
	if rep.Refused && running && r.Log != nil {
		r.Log.Warn("mqtt: the agent did not confirm the run's stop; it holds here, and is sent again until the agent takes it",
			"rig", r.Topics.Rig, "reason", rep.Reason)
	}
	return rep
}

// RunStopped reports whether the run's stop is in force on this rig:
// given since the start, or kept in StateFile from before it.
func (r *Remote) RunStopped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runStop
}

// sendStop sends the agent a stop and waits for its report, noting when
// it was sent and whether the agent took it.
func (r *Remote) sendStop() safety.Report {
	r.mu.Lock()
	r.stopSent = r.now()
	r.mu.Unlock()
	rep := r.call(Request{Op: OpStop})
	r.mu.Lock()
	r.stopSure = !rep.Refused
	r.mu.Unlock()
	return rep
}

// stopAgain sends the agent a stop, without waiting for its report
// (onReply notes it), if the device's stop or the run's holds and the
// agent has not taken the last one sent. It decides and sends under
// r.sending: a resume, which lifts its stop before it is sent, is never
// followed by a stop it lifted.
func (r *Remote) stopAgain(ctx context.Context) {
	r.sending.Lock()
	defer r.sending.Unlock()
	r.mu.Lock()
	again := (r.held || r.runStop) && !r.stopSure
	if again {
		r.stopSent = r.now()
	}
	r.mu.Unlock()
	if !again {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, ReplyWait)
	defer cancel()
	r.sendLocked(ctx, &Request{Op: OpStop}, nil)
}

// forbidAgain sends the agent a forbid of every switch forbidden here
// (by the device or the run) that it has not taken, or may have lost
// since (offSure), without waiting for the reports (onReply notes them).
// It decides and sends under r.sending: an allow, which lifts its forbid
// before it is sent, is never followed by a forbid it lifted.
func (r *Remote) forbidAgain(ctx context.Context) {
	r.sending.Lock()
	defer r.sending.Unlock()
	r.mu.Lock()
	var again []string
	for _, off := range []map[string]bool{r.runOff, r.devOff} {
		for name := range off {
			if !r.offSure[name] {
				again = append(again, name)
			}
		}
	}
	slices.Sort(again)
	again = slices.Compact(again)
	if len(again) > 0 && r.offSent == nil {
		r.offSent = map[string]time.Time{}
	}
	for _, name := range again {
		r.offSent[name] = r.now()
	}
	r.mu.Unlock()
	if len(again) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, ReplyWait)
	defer cancel()
	for _, name := range again {
		r.sendLocked(ctx, &Request{Op: OpEnable, Name: name}, nil)
	}
}

// Resume implements control.Rig: it ends the run's emergency stop. The
// rig stays stopped while its device's own stop holds (Hold): only that
// device's Resume ends it, and the log says so, the panel's resume
// otherwise doing nothing visible on this rig. A resume the agent does
// not confirm (the Pi unreachable: link) leaves the run's stop in force
// here and in StateFile, as the agent holds it still: the report is the
// refusal, the log says to resume again once the agent answers, and the
// stop is sent again (if the agent did resume, its report lost, it stops
// again).
func (r *Remote) Resume(time.Time) safety.Report {
	rep, _ := r.resumeRun(false, true)
	return rep
}

// resumeRun is Resume. With keepHeld, a rig its device holds keeps the
// run's stop too, and kept says so: nothing is sent to it either way, and
// Fanout.Resume lifts the run's stop there (resumeRun without keepHeld)
// only once another rig took the resume and the engine resumed; lifted
// before, a device's Resume given while the other rigs' reports are
// awaited would let the rig play under a run that stays stopped. say:
// log that the device holds the rig.
func (r *Remote) resumeRun(keepHeld, say bool) (rep safety.Report, kept bool) {
	var was bool
	rep, sent := r.resume(false, func() bool {
		was = r.runStop
		if keepHeld && r.held && r.runStop {
			kept = true
			return false
		}
		r.runStop = false
		return !r.held
	})
	if sent && rep.Refused && was {
		r.mu.Lock()
		r.runStop = true
		r.stopSure, r.blindSeq = false, 0
		r.mu.Unlock()
		if r.Log != nil {
			r.Log.Warn("mqtt: the agent did not confirm the run's resume; the run's stop holds here still: resume again (the panel's, chat's 继续) once the agent answers",
				"rig", r.Topics.Rig, "reason", rep.Reason)
		}
	}
	r.save()
	if !sent && say && r.Log != nil {
		r.Log.Warn("mqtt: the run's resume leaves the rig stopped: held by Home Assistant's Emergency stop of its own device, which only that device's Resume ends",
			"rig", r.Topics.Rig)
	}
	return rep, kept
}

// holdRunStop puts the run's stop back on r, and in StateFile, after a
// resume the engine did not take (Fanout.Resume).
func (r *Remote) holdRunStop() {
	r.mu.Lock()
	r.runStop = true
	r.mu.Unlock()
	r.save()
}

// resume sends the agent a resume (keepLocal: one it refuses while a stop
// given on the Pi holds) if lift, called with r.mu held, says that nothing
// the run side knows of holds the rig stopped any more; sent says whether
// it did. A stop that crossed it (sent after lift was asked, perhaps
// carried out before the resume) is sent again: a resume never undoes a
// later stop.
func (r *Remote) resume(keepLocal bool, lift func() bool) (rep safety.Report, sent bool) {
	r.mu.Lock()
	ok, stops := lift(), r.stops
	r.mu.Unlock()
	if !ok {
		return safety.Refuse(actuators.ReasonStopped, time.Time{}), false
	}
	rep = r.call(Request{Op: OpResume, KeepLocal: keepLocal})
	r.mu.Lock()
	crossed := r.stops != stops
	r.mu.Unlock()
	if crossed {
		r.sendStop()
	}
	return rep, true
}

// Settled reports whether every axis has reached its target, as the
// agent last said; with no recent state there is nothing to wait for. A
// state taken before the last move was carried out is not settled: it
// does not hold the move's target yet; for LinkTimeout at most, after
// which the state is read as it says (an agent that restarted numbers
// afresh). So is a state that is not numbered (an agent from before).
func (r *Remote) Settled() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stateAt.IsZero() || r.now().Sub(r.stateAt) > LinkTimeout {
		return true
	}
	if r.counted && r.done < r.moved && r.now().Sub(r.movedAt) < LinkTimeout {
		return false
	}
	for _, a := range r.state.Axes {
		if a.Pos != a.Target {
			return false
		}
	}
	return true
}

// Snapshot is the agent's last published state; stopped, too, while the
// device's stop or the run's holds, and a switch forbidden here (by the
// device or the run) shows forbidden whatever the agent says.
func (r *Remote) Snapshot() safety.State {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.state
	st.Stopped = st.Stopped || r.held || r.runStop
	st.Switches = slices.Clone(st.Switches)
	for i := range st.Switches {
		st.Switches[i].Disabled = st.Switches[i].Disabled || r.forbidden(st.Switches[i].Name)
	}
	return st
}

// silent reports whether the agent has said nothing for longer than a
// link may be quiet (since Run started, if it never spoke): then a request
// cannot be carried out and waiting for its report is pointless.
func (r *Remote) silent() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	last := r.stateAt
	if last.IsZero() {
		last = r.started
	}
	if last.IsZero() {
		return false // not running yet: try
	}
	return r.now().Sub(last) > LinkTimeout+time.Second/2
}

// Online reports whether the agent's state is recent and its link up.
func (r *Remote) Online() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.link && !r.stateAt.IsZero() && r.now().Sub(r.stateAt) <= LinkTimeout+time.Second/2
}
