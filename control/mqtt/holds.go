package mqtt

import (
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// This rig's own Home Assistant device's stop and laser switch, and the
// run's laser switch, as the rules at the top of remote.go say.

// Hold is the emergency stop of this rig's own Home Assistant device: the
// agent stops the rig (laser off, motion braked, every output refused),
// and it stays stopped until Release, while the other rigs of the run
// play on. Every request but those that only make things safer is refused
// here meanwhile, the run's Resume does not end it, and a rig found
// running while it holds (its agent restarted without the stop, or was
// resumed on the Pi, or the stop never reached it) is stopped again. It
// is kept in StateFile.
func (r *Remote) Hold(time.Time) {
	r.mu.Lock()
	r.held = true
	r.stops++
	r.stopSure, r.blindSeq = false, 0
	r.mu.Unlock()
	rep := r.sendStop()
	r.save()
	if rep.Refused && r.Log != nil {
		r.Log.Warn("mqtt: the agent did not confirm its Home Assistant device's emergency stop; it holds, and is sent again when the agent answers",
			"rig", r.Topics.Rig, "reason", rep.Reason)
	}
}

// Release ends what Hold began. The rig resumes only if nothing else
// holds it stopped: the run's stop, or a stop given on the Pi (the agent
// refuses the resume then); the error says which holds, or that the agent
// did not take the resume (the device's stop then holds still). Without a
// stop of the device's in force it changes nothing, and says so if the
// rig is stopped by something else.
func (r *Remote) Release(time.Time) error {
	var was, runStop, stopped, heard, known bool
	rep, sent := r.resume(true, func() bool {
		was, runStop, stopped = r.held, r.runStop, r.state.Stopped
		heard, known = !r.stateAt.IsZero(), r.localKnown
		if !was || !runStop && !heard {
			// nothing of this device's to end, or an agent never heard
			// from to send the resume to: nothing lifted, nothing sent
			return false
		}
		r.held = false
		// an agent from before local_stop would end the Pi's stop too
		return !runStop && known
	})
	defer r.save()
	switch {
	case !was && (runStop || stopped):
		return fmt.Errorf("mqtt: rig %s: the stop in force is not this device's (the panel's, chat's, another device's or one kept from before): resume it there", r.Topics.Rig)
	case !was:
		return nil
	case runStop:
		return fmt.Errorf("mqtt: rig %s: this device's stop is lifted, but the run's stop (the panel, chat) still holds the rig", r.Topics.Rig)
	case !heard:
		return fmt.Errorf("mqtt: rig %s: the agent did not confirm the resume (%s); this device's stop still holds: press Resume again", r.Topics.Rig, actuators.ReasonLink)
	case !known:
		return fmt.Errorf("mqtt: rig %s: this device's stop is lifted, but the agent is from an older cattease and cannot say whether a stop given on the Pi holds too: the rig stays stopped until the panel's resume (the run's or the Pi's); update the agent", r.Topics.Rig)
	case sent && rep.Refused && rep.Reason == actuators.ReasonStopped:
		return fmt.Errorf("mqtt: rig %s: this device's stop is lifted, but a stop given on the Pi (its panel, a signal, cattease halt, or one kept from before the agent started) still holds the rig: resume it there", r.Topics.Rig)
	case sent && rep.Refused:
		// Not confirmed: the stop holds still (and if the agent did
		// resume, its report lost, keepStopped stops the rig again).
		r.mu.Lock()
		r.held, r.stopSent = true, r.now()
		r.mu.Unlock()
		return fmt.Errorf("mqtt: rig %s: the agent did not confirm the resume (%s); this device's stop still holds: press Resume again", r.Topics.Rig, rep.Reason)
	}
	return nil
}

// isHeld reports whether the device's stop is in force.
func (r *Remote) isHeld() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.held
}

// keepStopped has the rig stopped again when its state, taken at least
// LinkTimeout after a stop was last sent, says it runs while the device's
// stop or the run's holds (its agent restarted, or was resumed on the Pi,
// or the stop never reached it); at most once every LinkTimeout. The stop
// goes with the next heartbeat (stopAgain), which Run sends next.
func (r *Remote) keepStopped(log *slog.Logger) {
	r.mu.Lock()
	again := (r.held || r.runStop) && !r.state.Stopped && r.stateAt.After(r.stopSent) &&
		r.now().Sub(r.stopSent) >= LinkTimeout
	held := r.held
	if again {
		r.stopSure, r.blindSeq = false, 0
	}
	r.mu.Unlock()
	switch {
	case !again:
	case held:
		log.Warn("mqtt: the rig runs while its Home Assistant device's emergency stop holds (its agent restarted, or was resumed on the Pi); stopping it again", "rig", r.Topics.Rig)
	default:
		log.Warn("mqtt: the rig runs while the run's emergency stop holds (the stop did not reach it, its agent restarted, or it was resumed on the Pi); stopping it again: only the run's resume ends it", "rig", r.Topics.Rig)
	}
}

// forbidden reports whether the device or the run forbids the switch;
// r.mu held.
func (r *Remote) forbidden(name string) bool { return r.devOff[name] || r.runOff[name] }

// keepForbids has each switch forbidden here forbidden again when the
// agent's state, taken at least LinkTimeout after the forbid was last
// sent, shows it allowed (the agent restarted, the forbid was lost or
// sent while the Pi was unreachable, the Pi's panel allowed it); at most
// once every LinkTimeout a switch. The forbid goes with the next
// heartbeat (forbidAgain), which Run sends next.
func (r *Remote) keepForbids(log *slog.Logger) {
	r.mu.Lock()
	var again []string
	now := r.now()
	for _, sw := range r.state.Switches {
		sent := r.offSent[sw.Name]
		if !sw.Disabled && r.forbidden(sw.Name) && r.stateAt.After(sent) && now.Sub(sent) >= LinkTimeout {
			again = append(again, sw.Name)
			delete(r.offSure, sw.Name)
			delete(r.offSeq, sw.Name)
		}
	}
	r.mu.Unlock()
	for _, name := range again {
		log.Warn("mqtt: the agent allows a switch forbidden here (it restarted, or the forbid did not reach it); forbidding it again", "rig", r.Topics.Rig, "switch", name)
	}
}

// forbid sends the agent a forbid of the switch, noting when; until the
// agent takes this one, it is sent again before every heartbeat
// (forbidAgain).
func (r *Remote) forbid(name string) safety.Report {
	r.mu.Lock()
	if r.offSent == nil {
		r.offSent = map[string]time.Time{}
	}
	r.offSent[name] = r.now()
	delete(r.offSure, name)
	delete(r.offSeq, name)
	r.mu.Unlock()
	return r.call(Request{Op: OpEnable, Name: name})
}

// setFlag sets or clears name in *m, making the map if needed.
func setFlag(m *map[string]bool, name string, on bool) {
	if !on {
		delete(*m, name)
		return
	}
	if *m == nil {
		*m = map[string]bool{}
	}
	(*m)[name] = true
}

// Enable implements the run's laser switch (the panel's, chat's 开激光 and
// 关激光), which acts on every rig: it forbids or allows the switch as far
// as the run is concerned. The agent is told to allow it only when this
// rig's device does not forbid it too (Allow): then the permission is not
// passed on, and the answer is true (this rig keeps what its device
// chose). A forbid holds here even if the agent did not take it (see the
// rules above); the answer says whether it did. An allow the agent did
// not answer (the Pi unreachable) leaves the run's forbid in force here
// and in StateFile, as the agent holds it still. EnableReason says why it
// was not taken.
func (r *Remote) Enable(name string, on bool) bool { return r.EnableReason(name, on) == "" }

// EnableReason is Enable, answering why the agent did not take it: "" if
// it did (or, for an allow, this rig's device forbids the switch and
// nothing was sent), actuators.ReasonLink if it did not answer, else the
// agent's refusal (unknown_output: the Pi's rig has no such switch).
func (r *Remote) EnableReason(name string, on bool) actuators.Reason {
	if !on {
		r.mu.Lock()
		setFlag(&r.runOff, name, true)
		delete(r.runFollow, name) // forbidden by its own name now
		r.offTurn++
		r.mu.Unlock()
		defer r.save()
		return r.forbid(name).Reason
	}
	return r.allowRun(name, false)
}

// allowRun lifts the run's forbid of the switch and sends the agent the
// allow (keepLocal: marked keep_local, which a forbid given on the Pi
// refuses), unless this rig's device forbids it (then nothing is sent,
// and the answer is ""). The forbid is lifted before the allow is sent (a
// forbid sent again before a heartbeat never follows the allow) and given
// back when the agent did not answer (link), unless the run's switch
// changed meanwhile: the agent may hold it still, and it must not be left
// held by no side (every later allow of chat's refused as the panel's).
// An allow the agent refused (the Pi's own forbid holds: disabled; its
// rig has no such switch) lifts the run's forbid there too.
// The forbid given back is sent again before the next heartbeat, in case
// the agent did take the allow and its report was lost.
func (r *Remote) allowRun(name string, keepLocal bool) actuators.Reason {
	why := r.allowRunOne(name, keepLocal)
	if more, lifted := r.liftFollowers(name, keepLocal); lifted {
		return sumAllows(why, more)
	}
	return why
}

// liftFollowers lifts, once name (a laser of the rules) was allowed and
// the run forbids no laser of the rules any more, the run's forbids of
// the lasers that followed them (runFollow), by the same switch
// (keepLocal as the allow was); it answers why one was not taken, and
// whether there was one to lift.
func (r *Remote) liftFollowers(name string, keepLocal bool) (actuators.Reason, bool) {
	r.mu.Lock()
	var follow []string
	if slices.Contains(r.Lasers, name) && !r.anyRules(r.runOff) {
		follow = slices.Sorted(maps.Keys(r.runFollow))
		clear(r.runFollow)
	}
	r.mu.Unlock()
	if len(follow) == 0 {
		return "", false
	}
	why := r.allowRunOne(follow[0], keepLocal)
	for _, f := range follow[1:] {
		why = sumAllows(why, r.allowRunOne(f, keepLocal))
	}
	return why, true
}

// sumAllows sums up two allows' answers: a refusal other than
// unknown_output (no such switch: nothing to light) first, then "".
func sumAllows(a, b actuators.Reason) actuators.Reason {
	switch {
	case a != "" && a != actuators.ReasonUnknownOutput:
		return a
	case b != "" && b != actuators.ReasonUnknownOutput:
		return b
	case a == "" || b == "":
		return ""
	}
	return a
}

// allowRunOne is allowRun of the switch alone.
func (r *Remote) allowRunOne(name string, keepLocal bool) actuators.Reason {
	r.mu.Lock()
	was := r.runOff[name]
	delete(r.runFollow, name)
	setFlag(&r.runOff, name, false)
	r.offTurn++
	turn := r.offTurn
	dev := r.devOff[name]
	r.mu.Unlock()
	if dev {
		r.save()
		return ""
	}
	rep := r.call(Request{Op: OpEnable, Name: name, On: true, KeepLocal: keepLocal})
	if rep.Refused && rep.Reason == "" {
		rep.Reason = actuators.ReasonLink
	}
	if rep.Refused && was && rep.Reason == actuators.ReasonLink {
		r.mu.Lock()
		if r.offTurn == turn {
			setFlag(&r.runOff, name, true)
			delete(r.offSure, name)
			delete(r.offSeq, name)
		}
		r.mu.Unlock()
	}
	r.save()
	if rep.Refused {
		return rep.Reason
	}
	return ""
}

// EnableChat is chat's laser switch (关激光, 开激光), which acts on every
// rig as the run's panel's does (Enable), but for one thing: its allow
// never lifts a forbid given on the Pi's own panel. A forbid is Enable's.
// An allow lifts the run's forbid (the panel's switch, chat's 关激光) and,
// unless this rig's device forbids the laser too (then, as Enable, it
// sends nothing and answers true), sends the agent an allow marked
// keep_local, which the agent refuses while the Pi's panel forbids the
// laser: then the laser stays forbidden and the answer is false. An agent that does not say whether it forbids
// (local_off, from an older cattease), which would take the allow as a
// plain one, is sent none while it shows the laser forbidden: the answer
// is false, and the laser stays forbidden until the panel's laser switch
// (the run's or the Pi's) allows it. The run panel's Enable(true) does
// lift the Pi's forbid. EnableChatReason says why it was not taken.
func (r *Remote) EnableChat(name string, on bool) bool { return r.EnableChatReason(name, on) == "" }

// EnableChatReason is EnableChat, answering why the agent did not take
// it: "" if it did (or this rig's device forbids the switch: nothing
// sent), actuators.ReasonLink if the agent did not answer (the run's
// forbid holds here still, and 开激光 may be given again once the Pi is
// back), actuators.ReasonPermission only when the Pi's own panel forbids
// the laser (the agent refused the allow as disabled, or an agent from
// before shows it forbidden), else the agent's refusal.
func (r *Remote) EnableChatReason(name string, on bool) actuators.Reason {
	if !on {
		return r.EnableReason(name, false)
	}
	r.mu.Lock()
	old := !r.stateAt.IsZero() && !r.offKnown && !r.devOff[name] &&
		slices.ContainsFunc(r.state.Switches, func(sw safety.SwitchState) bool { return sw.Name == name && sw.Disabled })
	if old {
		setFlag(&r.runOff, name, false)
		r.offTurn++
	}
	r.mu.Unlock()
	if old {
		r.save()
		return actuators.ReasonPermission
	}
	switch why := r.allowRun(name, true); why {
	case actuators.ReasonDisabled:
		return actuators.ReasonPermission // the Pi's own panel forbids it
	default:
		return why
	}
}

// Allow is this rig's own device's laser switch: it forbids or allows the
// switch on this rig alone, as far as the device is concerned. The laser
// is allowed only when neither the run's switch (Enable) nor the Pi's own
// panel forbids it too: the allow sent is marked keep_local, which the
// agent refuses while a forbid given on the Pi holds, and an agent that
// does not say whether one does (local_off, from an older cattease) is
// sent none while it shows the switch forbidden. The error says which forbids, or that the agent refused. A
// forbid holds here even if the agent did not take it, and is kept in
// StateFile.
//
// A laser the agent's state named that the rules do not, forbidden by the
// device when it first named it because the device forbade a laser of the
// rules then (devFollow), is allowed with the last of those.
func (r *Remote) Allow(name string, on bool) error {
	err := r.allowDev(name, on)
	r.mu.Lock()
	var follow []string
	if on && slices.Contains(r.Lasers, name) && !r.anyRules(r.devOff) {
		follow = slices.Sorted(maps.Keys(r.devFollow))
		clear(r.devFollow)
	}
	r.mu.Unlock()
	for _, f := range follow {
		if e := r.allowDev(f, true); err == nil {
			err = e
		}
	}
	return err
}

// allowDev is Allow of the switch alone.
func (r *Remote) allowDev(name string, on bool) error {
	r.mu.Lock()
	delete(r.devFollow, name)
	setFlag(&r.devOff, name, !on)
	run := r.runOff[name]
	old := !r.stateAt.IsZero() && !r.offKnown
	if old {
		// what that agent shows allowed needs no allow
		old = slices.ContainsFunc(r.state.Switches, func(sw safety.SwitchState) bool { return sw.Name == name && sw.Disabled })
	}
	r.mu.Unlock()
	r.save()
	switch {
	case on && run:
		return fmt.Errorf("mqtt: rig %s: this device allows %s, but the run's laser switch (the panel, chat's 关激光) still forbids it", r.Topics.Rig, name)
	case on && old:
		return fmt.Errorf("mqtt: rig %s: this device allows %s, but the agent is from an older cattease and cannot say whether the Pi's own panel forbids it: it stays forbidden until the panel's laser switch (the run's or the Pi's) allows it; update the agent", r.Topics.Rig, name)
	case on:
		rep := r.call(Request{Op: OpEnable, Name: name, On: true, KeepLocal: true})
		switch {
		case rep.Refused && rep.Reason == actuators.ReasonDisabled:
			return fmt.Errorf("mqtt: rig %s: this device allows %s, but the Pi's own panel forbids it: allow it there", r.Topics.Rig, name)
		case rep.Refused:
			return fmt.Errorf("mqtt: rig %s: laser permission for %s refused (%s)", r.Topics.Rig, name, rep.Reason)
		}
	default:
		if rep := r.forbid(name); rep.Refused {
			return fmt.Errorf("mqtt: rig %s: the agent did not confirm the forbid of %s (%s); it holds here, and is sent again when the agent answers", r.Topics.Rig, name, rep.Reason)
		}
	}
	return nil
}

// LaserNames are the rig's lasers: those the rules name (Lasers) and
// those the agent's state shows, sorted.
func (r *Remote) LaserNames() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := slices.Clone(r.Lasers)
	for _, sw := range r.state.Switches {
		if sw.Laser {
			names = append(names, sw.Name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}
