package mqtt

import (
	"sync"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// Fanout drives several remote rigs as one (several cats, one room): each
// request goes to every rig at once, each rig applying its own limits.
// The report is the first rig's that was not refused, or the first
// refusal; it has settled when every rig has. Snapshot and the panel see
// the first rig.
type Fanout []*Remote

var _ control.Rig = Fanout(nil)

func (f Fanout) each(call func(*Remote) safety.Report) safety.Report {
	reps := make([]safety.Report, len(f))
	var wg sync.WaitGroup
	for i, r := range f {
		wg.Go(func() { reps[i] = call(r) })
	}
	wg.Wait()
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

// Resume implements control.Rig.
func (f Fanout) Resume(now time.Time) safety.Report {
	return f.each(func(r *Remote) safety.Report { return r.Resume(now) })
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

// Enable allows or forbids the switch on every rig.
func (f Fanout) Enable(name string, on bool) bool {
	ok := len(f) > 0
	for _, r := range f {
		ok = r.Enable(name, on) && ok
	}
	return ok
}
