package control

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/match"
	"github.com/cattease/cattease/control/room"
	"github.com/cattease/cattease/danmu"
)

// switchGate is what the engine needs of a rig to forbid the laser from
// chat (关激光); the play layer and the envelope have it.
type switchGate interface {
	Enable(name string, on bool) bool
}

// moderate carries out a moderator's command: 禁言 NAME [DURATION],
// 解禁 NAME, 包场 NAME [DURATION], 收场, 暂停, 恢复, 关激光, 开激光, 模式 NAME.
// The command's allow (moderator or owner, checked by config) has passed.
func (e *Engine) moderate(now time.Time, ev *danmu.Event, cmd *command, d Decision) Decision {
	name, dur, err := e.modArgs(ev.Platform, cmd.moderate, ev.Text)
	if err != nil {
		d.Text = clip(ev.Text)
		return with(d, Dropped, ReasonBadValue)
	}
	return e.moderateAs(now, modReq{platform: ev.Platform, by: ev.User, verb: cmd.moderate, arg: name, dur: dur}, d)
}

// modReq is a moderation command to carry out.
type modReq struct {
	platform  string     // where NAME is looked up and muted; "" is every platform
	by        danmu.User // who gave it
	verb, arg string
	dur       time.Duration
	// everywhere: an unmute lifts NAME's mutes on every platform (the
	// panel's, naming no platform: the streamer sees every mute).
	everywhere bool
}

// modArgs reads what follows the command word: 禁言 and 包场 take NAME
// [DURATION] ("禁言 猫奴 10m"), the others the rest as one argument
// (解禁's NAME, 模式's policy), if anything. The name is passed on as
// typed, invisible characters and all: the directory compares names
// exactly, and cleans one only to find a viewer no name matches (see
// room.Directory.Resolve). Words of invisible characters only (a
// zero-width space pasted at the end) are dropped off the end. After a
// NAME, a last word that is not a duration is refused, rather than read
// as part of the name, unless a viewer seen lately has the whole as
// their name.
func (e *Engine) modArgs(platform, verb, text string) (string, time.Duration, error) {
	f := strings.FieldsFunc(text, unicode.IsSpace)
	for len(f) > 2 && match.Visible(f[len(f)-1]) == "" {
		f = f[:len(f)-1]
	}
	if len(f) <= 1 {
		return "", 0, nil
	}
	f = f[1:]
	if (verb != "timeout" && verb != "exclusive") || len(f) < 2 {
		return strings.Join(f, " "), 0, nil
	}
	last := f[len(f)-1]
	d, ok := modDuration(last)
	switch {
	case ok && d <= 0:
		return "", 0, errors.New("control: duration must be positive")
	case ok:
		return strings.Join(f[:len(f)-1], " "), d, nil
	}
	name := strings.Join(f, " ")
	if _, err := e.room.dir.Resolve(platform, name); err == nil { // a name of several words, seen
		return name, 0, nil
	}
	return "", 0, fmt.Errorf("control: %q is not a duration", last)
}

// modDuration reads a moderator's duration: the units of rules.yaml
// (30m, 1h, 90s, 3分钟), days (1d, 1天), or a bare number of minutes (10),
// full-width digits and letters as well, invisible characters dropped.
func modDuration(s string) (time.Duration, bool) {
	s = width.Fold.String(match.Visible(s))
	unit := time.Minute
	if n, ok := strings.CutSuffix(s, "天"); ok {
		s, unit = n, 24*time.Hour
	} else if n, ok := strings.CutSuffix(s, "d"); ok {
		s, unit = n, 24*time.Hour
	} else if d, err := config.ParseDuration(s); err == nil {
		return time.Duration(d), true
	}
	if s == "" || strings.Trim(s, "0123456789.") != "" {
		return 0, false
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return time.Duration(min(n*float64(unit), 1<<62)), true // max_timeout cuts it down
}

func (e *Engine) moderateAs(now time.Time, q modReq, d Decision) Decision {
	mod := e.rules.room.mod
	switch q.verb {
	case "timeout", "exclusive":
		t, r := e.target(q.platform, q.by, q.arg)
		if r != "" {
			d.Target = q.arg
			return with(d, Dropped, r)
		}
		d.Target = t.Label()
		if q.verb == "timeout" {
			d.Until = now.Add(bound(q.dur, mod.Timeout.D(), mod.MaxTimeout.D()))
			e.mute(now, t, d.Until)
		} else {
			dur := bound(q.dur, mod.Exclusive.D(), mod.MaxExclusive.D())
			d.Until = e.room.excl.Start(now, t, dur, byWhom(d.Platform)).Until
		}
	case "untimeout":
		d.Target = q.arg
		if r := e.unmute(q); r != "" {
			return with(d, Dropped, r)
		}
	case "end_exclusive":
		if !e.room.excl.End(now) {
			return with(d, Dropped, ReasonNoTarget)
		}
	case "pause", "unpause":
		if cut := e.setPaused(now, q.verb == "pause"); len(cut) > 0 {
			e.after = func() { e.dropAll(now, cut, ReasonPaused) }
		}
	case "laser_forbid", "laser_allow":
		if r := e.setLasers(q.verb == "laser_allow"); r != "" {
			return with(d, Dropped, r)
		}
	case "policy":
		p, ok := policyWord(q.arg)
		if !ok {
			d.Target = q.arg
			return with(d, Dropped, ReasonBadValue)
		}
		e.switchPolicy(now, p, true)
		d.Policy = p
		return with(d, Accepted, ReasonPolicy)
	default:
		return with(d, Dropped, ReasonBadValue)
	}
	return with(d, Accepted, ReasonModeration)
}

// mute mutes t until the given time. What they have waiting is refused
// as their next command would be, and told after the mute's own decision.
// A mute never holds a moderator's commands (see gate).
func (e *Engine) mute(now time.Time, t room.Target, until time.Time) {
	e.room.mutes.Mute(now, t, until)
	cut := e.exec.cut(func(j *job) bool {
		return j.dec.Role.Rank() < danmu.RoleModerator.Rank() &&
			t.Is(j.dec.Platform, danmu.User{ID: j.dec.UserID, Name: j.dec.UserName, Masked: j.dec.Masked})
	})
	if len(cut) > 0 {
		e.after = func() {
			for i := range cut {
				e.dropUntil(now, &cut[i], ReasonTimeout, until)
			}
		}
	}
}

// unmute ends the mute of the viewer q names: on q's platform and among
// the mutes on every platform, or, q.everywhere, on every platform.
func (e *Engine) unmute(q modReq) actuators.Reason {
	t, r := e.target(q.platform, q.by, q.arg)
	if r != "" {
		return r
	}
	if q.everywhere {
		t.Platform = ""
	}
	if !e.room.mutes.Unmute(t) {
		return ReasonNoTarget
	}
	return ""
}

// target resolves a moderator's NAME. Nobody may mute or take over from
// the owner, and only the owner may act on a moderator.
func (e *Engine) target(platform string, by danmu.User, arg string) (room.Target, actuators.Reason) {
	t, err := e.room.dir.Resolve(platform, arg)
	switch {
	case errors.Is(err, room.ErrMasked):
		return t, ReasonMaskedTarget
	case err != nil:
		return t, ReasonNoTarget
	}
	if u, ok := e.room.dir.User(platform, t); ok && u.Role.Rank() >= danmu.RoleModerator.Rank() &&
		by.Role.Rank() <= u.Role.Rank() {
		return t, ReasonPermission
	}
	return t, ""
}

func byWhom(platform string) string {
	if platform == "panel" {
		return "panel"
	}
	return "moderator"
}

// bound is d, or def when d is 0, at most max.
func bound(d, def, max time.Duration) time.Duration {
	if d <= 0 {
		d = def
	}
	return min(d, max)
}

// rigState is what the engine reads of a rig to tell a laser the panel
// disabled; the envelope, the play layer and the remote rigs have it.
type rigState interface {
	Snapshot() safety.State
}

// SetLaser is the streamer's own laser switch (the panel, Home
// Assistant): it allows or forbids the laser on the rig, and whatever
// chat's 关激光 had noted of that laser is forgotten, so that 开激光 can
// never lift what the streamer chose. The forbid is kept in
// Options.LaserFile, as chat's is (RestoreLasers). It reports whether the
// switch exists: one of the rules' hardware section, or a laser the rig
// knows of (a remote rig's agent's, named otherwise on the Pi: rigLasers),
// is switched, and its forbid kept, whatever the rig answered (a remote
// rig whose link is down holds it all the same, and sends it again), a
// warning logged when the rig did not take it; for any other name,
// whether the rig took it. SetLaserReason says why the rig did not.
func (e *Engine) SetLaser(name string, on bool) bool {
	why, known := e.setLaser(name, on)
	return why == "" || known
}

// SetLaserReason is SetLaser, answering why the switch was not taken: ""
// taken (a forbid a remote rig holds for a link down counts: it is sent
// again until its agent takes it); unknown_output, no such switch; for an
// allow the rig refused, the rig's reason: link (a remote rig's agent did
// not answer: the run's forbid holds there still, switch it on again once
// the Pi answers), permission (a forbid of another side holds the laser:
// on a Pi, the run side's, which only the run side lifts). The forbid of
// the streamer's own switch is lifted all the same.
func (e *Engine) SetLaserReason(name string, on bool) actuators.Reason {
	why, _ := e.setLaser(name, on)
	return why
}

// setLaser carries out SetLaser: why the rig did not take it ("" taken),
// and whether the switch is one the rules or the rig name (known).
func (e *Engine) setLaser(name string, on bool) (why actuators.Reason, known bool) {
	e.mu.Lock()
	defer e.saveLasers() // after the lock's release
	defer e.mu.Unlock()
	g, ok := e.rig.(switchGate)
	if !ok {
		return ReasonUnknownOutput, false
	}
	delete(e.chatOff, name)
	_, known = e.rules.file.Hardware.Switches[name]
	known = known || slices.Contains(e.rigLasers(), name)
	if known {
		setOff(&e.panelOff, name, !on)
	}
	e.lasersChanged()
	why = e.enableReason(g, name, on)
	switch {
	case why == "":
	case !known:
		return ReasonUnknownOutput, false
	case !on:
		e.opts.Log.Warn("the rig did not confirm the laser switch's forbid (a remote rig's link is down?): it holds here all the same, and a remote rig is sent it again until its agent takes it", "switch", name)
		return "", true
	case why == actuators.ReasonLink:
		e.opts.Log.Warn("the rig did not confirm the laser switch's allow (a remote rig's link is down?): the laser may stay forbidden there; switch it on again once the rig answers", "switch", name)
	case why == ReasonPermission:
		e.opts.Log.Warn("the rig refused the laser switch's allow: a forbid of another side holds the laser (on a Pi, the run side's: its panel's laser switch, chat's 关激光, a Home Assistant device's Laser allowed), which only that side lifts; the streamer's own forbid is lifted", "switch", name)
	default:
		e.opts.Log.Warn("the rig refused the laser switch's allow", "switch", name, "reason", why)
	}
	return why, known
}

// laserReasons is a rig that says why it did not take the streamer's
// laser switch (mqtt.Fanout.EnableReason): "" taken (a forbid held for a
// link down counts), link (a remote rig's agent did not answer),
// unknown_output (no rig has the switch), else the agent's refusal.
type laserReasons interface {
	EnableReason(name string, on bool) actuators.Reason
}

// enableReason switches the laser on g, answering why g did not take it
// ("" taken). A rig that does not say why (no laserReasons) and refuses
// is taken to have not answered if its laser is forbidden from several
// sides, which is a remote rig's (chatSwitch): link; else to hold a
// forbid of another side (a Pi's agent, which refuses the Pi's allow
// while the run side forbids the laser): permission. A forbid it refuses
// has no such switch (unknown_output), or is one it did not confirm.
func (e *Engine) enableReason(g switchGate, name string, on bool) actuators.Reason {
	if lr, ok := g.(laserReasons); ok {
		switch why := lr.EnableReason(name, on); why {
		case actuators.ReasonDisabled:
			return ReasonPermission // the Pi's own forbid, or its run side's
		default:
			return why
		}
	}
	if g.Enable(name, on) {
		return ""
	}
	if _, sided := g.(chatSwitch); sided || !on {
		return actuators.ReasonLink
	}
	return ReasonPermission
}

// setLasers carries out 关激光 and 开激光. Chat's forbid is kept apart from
// the panel's laser switch, which sets the same flag on the rig: 关激光
// notes the lasers it turns off, and 开激光 turns on only those. While the
// panel keeps a laser disabled, 开激光 is refused (permission) and changes
// nothing; the panel and Home Assistant switch through SetLaser, which
// forgets chat's note, so a laser chat had forbidden and the streamer then
// switched off stays off. Both are kept across a restart (RestoreLasers).
//
// On a rig forbidden from several sides (chatSwitch), 关激光 forbids on
// every rig, but notes as chat's only a laser that neither the streamer's
// switch nor the run on some rig forbids already (runForbids: a forbid
// the engine did not give, kept by a remote rig from before the start),
// unless chat had noted it: 开激光, which lifts the run's forbid on every
// rig, lifts only what chat forbade. A laser chat did not note stays
// forbidden until the streamer's switch allows it.
//
// The lasers are the rules' and those the rig knows of (rigLasers: a
// remote rig's agent's, which the Pi may name otherwise, or the rules
// not name at all). On a rig that says why a switch was not taken
// (chatReasons), 关激光 is reported
// (unknown_output) when no rig took the forbid of any of them but for a
// link down (a remote rig holds it then, and sends it again); 开激光 not
// confirmed for a link down keeps chat's note, and is reported (link):
// 开激光 again once the Pi is back lifts it; refused by a Pi's own panel's
// forbid, it is reported (permission).
func (e *Engine) setLasers(allow bool) actuators.Reason {
	g, ok := e.rig.(switchGate)
	if !ok {
		return ReasonUnknownOutput
	}
	// rules that name no laser still reach the lasers the rig names (a
	// remote rig's agent's)
	lasers := slices.Compact(slices.Sorted(slices.Values(slices.Concat(e.rules.room.lasers, e.rigLasers()))))
	if len(lasers) == 0 {
		return ReasonUnknownOutput
	}
	if e.chatOff == nil {
		e.chatOff = map[string]bool{}
	}
	disabled := e.disabledSwitches()
	if allow {
		var runOff, byName map[string]bool
		if rf, ok := g.(runForbids); ok {
			runOff = setOf(rf.RunForbidden())
		}
		if rf, ok := g.(runNames); ok {
			byName = setOf(rf.RunForbiddenByName())
		}
		for _, name := range lasers {
			held := disabled[name]
			if !slices.Contains(e.rules.room.lasers, name) {
				// A laser only the rig names (a Pi's, named otherwise)
				// that followed the run's forbid of the rules' lasers
				// (mqtt) is lifted with it; any other forbid of it
				// holds: the streamer's own, the run's of it by name
				// that the engine did not give (a remote rig's kept from
				// before this start, or taken over from its agent),
				// which 开激光 would not lift, or another side's.
				held = e.panelOff[name] || byName[name] || disabled[name] && !runOff[name]
			}
			if held && !e.chatOff[name] {
				return ReasonPermission // the panel's disable holds
			}
		}
	}
	cg, sides := g.(chatSwitch)
	var runOff map[string]bool // read before this forbid joins it
	if rf, ok := g.(runForbids); ok && sides && !allow {
		runOff = map[string]bool{}
		for _, name := range rf.RunForbidden() {
			runOff[name] = true
		}
	}
	cr, why := g.(chatReasons)
	done, kept, link, took := true, false, false, false
	for _, name := range lasers {
		switch {
		case allow && e.chatOff[name] && sides && why:
			switch cr.EnableChatReason(name, true) {
			case actuators.ReasonLink:
				link = true // the run's forbid holds: chat's note too
				continue
			case "", ReasonUnknownOutput: // taken, or no rig has it
			default:
				kept = true // a Pi's own panel forbids it still
			}
			delete(e.chatOff, name)
		case allow && e.chatOff[name] && sides:
			kept = !cg.EnableChat(name, true) || kept
			delete(e.chatOff, name)
		case allow && e.chatOff[name]:
			done = g.Enable(name, true) && done
			delete(e.chatOff, name)
		case !allow && sides:
			// to every rig, whatever the engine holds: a forbid kept by
			// one rig alone (AdoptPanelForbids) is not the others'. A
			// remote rig holds the forbid on the run side whether or not
			// its agent took it (its broker down, the Pi away) and sends
			// it again until it does: 关激光 is done either way.
			if why {
				took = cr.EnableChatReason(name, false) == "" || took
			} else {
				g.Enable(name, false)
				took = true
			}
			if e.panelOff[name] {
				continue // the streamer's holds: nothing of chat's to note
			}
			if e.chatOff[name] || !runOff[name] {
				e.chatOff[name] = true
			}
		case !allow && !disabled[name]:
			done = g.Enable(name, false) && done
			e.chatOff[name] = true
		}
	}
	e.lasersChanged()
	switch {
	case !done, !allow && sides && !took:
		return ReasonUnknownOutput
	case link:
		return actuators.ReasonLink // 开激光 again once the Pi answers
	case kept:
		return ReasonPermission // a Pi's own panel forbids it still
	}
	return ""
}

// chatReasons is a chatSwitch that says why a rig did not take chat's
// laser switch (mqtt.Fanout): "" taken (a forbid held on the run side for
// a link down counts), link (the Pi did not answer: the run's forbid
// holds), permission (a Pi's own panel forbids the laser), unknown_output
// (no rig has the switch).
type chatReasons interface {
	EnableChatReason(name string, on bool) actuators.Reason
}

// laserNamer is a rig that knows lasers the rules may not name (a remote
// rig learns its agent's from its state: mqtt.Fanout.LaserNames).
type laserNamer interface {
	LaserNames() []string
}

// rigLasers are the lasers the rig knows of (laserNamer), nil if it does
// not say.
func (e *Engine) rigLasers() []string {
	if ln, ok := e.rig.(laserNamer); ok {
		return ln.LaserNames()
	}
	return nil
}

// runForbids is a rig that says which switches the run forbids on it (on
// any of its rigs: mqtt.Fanout), whoever gave the forbid: the engine, or
// an earlier run whose forbid a remote rig kept.
type runForbids interface {
	RunForbidden() []string
}

// runNames is a runForbids that names the switches the run forbids by
// their own name on some rig (mqtt.Fanout.RunForbiddenByName), apart
// from the lasers a rig names that only followed the run's forbid of the
// rules' lasers (a Pi's laser named otherwise, forbidden when its agent
// first named it), which the allow of those lifts with them.
type runNames interface {
	RunForbiddenByName() []string
}

// setOf is names as a set.
func setOf(names []string) map[string]bool {
	out := make(map[string]bool, len(names))
	for _, name := range names {
		out[name] = true
	}
	return out
}

// chatSwitch is a rig whose laser is forbidden from several sides (the
// remote rigs: the run's, each Home Assistant device's, the Pi's own
// panel), each kept apart: chat's allow lifts the run's forbid alone and
// never one given on the Pi, and false says one still holds. On such a
// rig chat's forbid is passed on whatever the rig shows, since a forbid
// from another side does not stand for the run's; on one with a single
// flag (the envelope), a laser it shows disabled was the panel's.
type chatSwitch interface {
	EnableChat(name string, on bool) bool
}

// disabledSwitches reads which switches the rig holds disabled; empty
// when the rig does not say.
func (e *Engine) disabledSwitches() map[string]bool {
	rs, ok := e.rig.(rigState)
	if !ok {
		return nil
	}
	st := rs.Snapshot()
	out := make(map[string]bool, len(st.Switches))
	for _, s := range st.Switches {
		out[s.Name] = s.Disabled
	}
	return out
}

// policyWord reads a policy from chat: its name or a Chinese word.
func policyWord(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(match.Visible(s))) {
	case PolicyQueue, "排队", "队列":
		return PolicyQueue, true
	case PolicyLatest, "最新", "抢":
		return PolicyLatest, true
	case PolicyVote, "投票", "民主":
		return PolicyVote, true
	case PolicyFair, "轮流", "公平":
		return PolicyFair, true
	}
	return "", false
}

// Moderate carries out a moderation action from the panel, as the owner:
// timeout, untimeout, exclusive or end_exclusive. The decision is recorded
// like a moderator's, with platform "panel".
func (e *Engine) Moderate(now time.Time, m Moderation) (Decision, error) {
	switch m.Action {
	case "timeout", "untimeout", "exclusive", "end_exclusive":
	default:
		return Decision{}, fmt.Errorf("control: unknown moderation %q", m.Action)
	}
	if m.For < 0 || len(m.Target) > room.MaxNameLen {
		return Decision{}, errors.New("control: bad moderation arguments")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	owner := danmu.User{Name: "panel", Role: danmu.RoleOwner}
	d := Decision{Time: now, EventID: fmt.Sprintf("panel-%d", now.UnixNano()), Platform: "panel",
		UserName: "panel", Role: danmu.RoleOwner, Text: m.Action + " " + m.Target, Rule: m.Action}
	platform, name, named := e.panelPlatform(m.Target)
	d = e.moderateAs(now, modReq{platform: platform, by: owner, verb: m.Action, arg: name, dur: m.For,
		everywhere: !named}, d)
	e.emit(d)
	if f := e.after; f != nil { // what the action dropped, told after it
		e.after = nil
		f()
	}
	return d, nil
}

// panelPlatform reads the platform of a viewer the panel names, which
// carries none: the one written before the name ("douyu:12345678",
// named), else the one the directory saw the name, or the uid on one
// platform only, on; else "", every platform (a mute by a uid cattease
// has not seen, or seen on two platforms, holds on each).
func (e *Engine) panelPlatform(target string) (platform, name string, named bool) {
	if p, rest, ok := config.SplitPlatform(strings.TrimSpace(target)); ok && p != "" {
		return p, rest, true
	}
	return e.room.dir.PlatformOf(target), target, false
}
