package mqtt

import (
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// Fanout drives several remote rigs as one (several cats, one room): each
// request goes to every rig at once, each rig applying its own limits and
// its own Home Assistant device's stop and laser switch (DeviceRig).
// The report is the first rig's that was not refused, or the first
// refusal; it has settled when every rig has. Snapshot and the panel see
// the first rig.
type Fanout []*Remote

var _ control.Rig = Fanout(nil)

// each calls call on every rig at once, each on a goroutine of its own,
// and waits for them all. A panic there is raised again on the caller's
// goroutine (once every call has returned), where the caller's guard
// handles it: on a goroutine of Fanout's own nothing could recover it,
// and it would end the program with no halt.
func (f Fanout) each(call func(*Remote) safety.Report) safety.Report {
	reps := make([]safety.Report, len(f))
	panics := make([]*fanoutPanic, len(f))
	var wg sync.WaitGroup
	for i, r := range f {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					panics[i] = &fanoutPanic{rig: rigName(r), value: p, stack: debug.Stack()}
				}
			}()
			reps[i] = call(r)
		})
	}
	wg.Wait()
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
	for _, rep := range reps {
		if !rep.Refused {
			return rep
		}
	}
	if len(reps) == 0 {
		return safety.Report{}
	}
	return reps[0]
}

// fanoutPanic is a panic in a call to one rig of a Fanout, with the
// stack of the goroutine it happened on.
type fanoutPanic struct {
	rig   string
	value any
	stack []byte
}

func (p *fanoutPanic) Error() string {
	return fmt.Sprintf("mqtt: panic in a request to rig %s: %v\n%s", p.rig, p.value, p.stack)
}

func rigName(r *Remote) string {
	if r == nil {
		return "(nil)"
	}
	return r.Topics.Rig
}

// MoveTo implements control.Rig.
func (f Fanout) MoveTo(now time.Time, axis string, deg float64) safety.Report {
	return f.each(func(r *Remote) safety.Report { return r.MoveTo(now, axis, deg) })
}

// MoveBy implements control.Rig.
func (f Fanout) MoveBy(now time.Time, axis string, delta float64) safety.Report {
	return f.each(func(r *Remote) safety.Report { return r.MoveBy(now, axis, delta) })
}

// Switch implements control.Rig.
func (f Fanout) Switch(now time.Time, name string, on bool, d time.Duration) safety.Report {
	return f.each(func(r *Remote) safety.Report { return r.Switch(now, name, on, d) })
}

// Home implements control.Rig.
func (f Fanout) Home(now time.Time) safety.Report {
	return f.each(func(r *Remote) safety.Report { return r.Home(now) })
}

// Stop implements control.Rig.
func (f Fanout) Stop(now time.Time) safety.Report {
	return f.each(func(r *Remote) safety.Report { return r.Stop(now) })
}

// Resume implements control.Rig: a rig whose device holds a stop of its
// own (Remote.Hold) stays stopped. A resume no rig took (each held by its
// device, or its link down) leaves the engine stopped (control), so the
// run's stop holds again on every rig that had it: a device's Resume
// then leaves that rig stopped, as the engine says it is. On a rig its
// device holds, the run's stop is not lifted until another rig took the
// resume: a device's Resume given while the other rigs' reports are
// awaited finds it, and leaves the rig stopped if none does.
func (f Fanout) Resume(now time.Time) safety.Report {
	had := make([]bool, len(f))
	kept := make([]bool, len(f))
	at := make(map[*Remote]int, len(f))
	for i, r := range f {
		had[i] = r.RunStopped()
		at[r] = i
	}
	rep := f.each(func(r *Remote) safety.Report {
		rep, k := r.resumeRun(true, true)
		kept[at[r]] = k
		return rep
	})
	if rep.Refused {
		for i, r := range f {
			if had[i] {
				r.holdRunStop()
			}
		}
		return rep
	}
	for i, r := range f {
		if kept[i] {
			// the run resumed: its stop ends here too, and the
			// device's, or its Resume given meanwhile, decides
			r.resumeRun(false, false)
		}
	}
	return rep
}

// Settled implements control.Rig.
func (f Fanout) Settled() bool {
	for _, r := range f {
		if !r.Settled() {
			return false
		}
	}
	return true
}

// Snapshot is the first rig's state.
func (f Fanout) Snapshot() safety.State {
	if len(f) == 0 {
		return safety.State{}
	}
	return f[0].Snapshot()
}

// Enable allows or forbids the switch on every rig; a switch a rig's
// device forbade (Remote.Allow) stays forbidden on that rig.
func (f Fanout) Enable(name string, on bool) bool {
	ok := len(f) > 0
	for _, r := range f {
		ok = r.Enable(name, on) && ok
	}
	return ok
}

// EnableChat is chat's laser switch on every rig (Remote.EnableChat): as
// Enable, but an allow never lifts a forbid given on a Pi's own panel.
func (f Fanout) EnableChat(name string, on bool) bool {
	ok := len(f) > 0
	for _, r := range f {
		ok = r.EnableChat(name, on) && ok
	}
	return ok
}

// EnableReason is Enable, answering why it was not taken
// (fanReason): the panel's laser switch on every rig.
func (f Fanout) EnableReason(name string, on bool) actuators.Reason {
	return fanReason(f, on, func(r *Remote) actuators.Reason { return r.EnableReason(name, on) })
}

// EnableChatReason is EnableChat, answering why it was not taken
// (fanReason): chat's 关激光 and 开激光 on every rig.
func (f Fanout) EnableChatReason(name string, on bool) actuators.Reason {
	return fanReason(f, on, func(r *Remote) actuators.Reason { return r.EnableChatReason(name, on) })
}

// fanReason asks every rig in turn and sums up their answers. A forbid is
// taken ("") when a rig took it or holds it on the run side for an agent
// that did not answer (link: sent again until it does); else the first
// rig's refusal (unknown_output: no rig has the switch). An allow is
// taken when every rig took it, a rig whose Pi has no such switch
// counting as done; else the first rig's refusal (link: the run's forbid
// holds there still; permission: a Pi's own panel forbids it), or
// unknown_output when no rig has the switch.
func fanReason(f Fanout, on bool, ask func(*Remote) actuators.Reason) actuators.Reason {
	if len(f) == 0 {
		return actuators.ReasonUnknownOutput
	}
	whys := make([]actuators.Reason, len(f))
	for i, r := range f {
		whys[i] = ask(r)
	}
	if !on {
		if slices.ContainsFunc(whys, func(w actuators.Reason) bool { return w == "" || w == actuators.ReasonLink }) {
			return ""
		}
		return whys[0]
	}
	unknown := true
	for _, w := range whys {
		switch w {
		case actuators.ReasonUnknownOutput:
		case "":
			unknown = false
		default:
			return w
		}
	}
	if unknown {
		return actuators.ReasonUnknownOutput
	}
	return ""
}

// LaserNames are the lasers of every rig (Remote.LaserNames: those the
// rules name and those each agent's state shows), sorted.
func (f Fanout) LaserNames() []string {
	var out []string
	for _, r := range f {
		out = append(out, r.LaserNames()...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
