package mqtt

import (
	"maps"
	"slices"
)

// RunForbidden names the switches the run forbids on this rig (runOff:
// the run's laser switch, chat's 关激光, or a forbid kept in StateFile from
// before this start, a device's among them with NoDeviceControl), sorted.
func (r *Remote) RunForbidden() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(maps.Keys(r.runOff))
}

// RunForbidden names the switches the run forbids on any of the rigs
// (Remote.RunForbidden), sorted: the engine takes those it did not
// forbid itself as the streamer's (control.Engine.AdoptPanelForbids), and
// never notes them as chat's 关激光, which 开激光 would lift.
func (f Fanout) RunForbidden() []string {
	var out []string
	for _, r := range f {
		out = append(out, r.RunForbidden()...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// RunForbiddenByName names the switches the run forbids on this rig by
// their own name (runOff but the lasers that followed the run's forbid of
// the rules' lasers when the agent named them, runFollow, which the run's
// allow of those lifts with them), sorted.
func (r *Remote) RunForbiddenByName() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for name := range r.runOff {
		if !r.runFollow[name] {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// RunForbiddenByName names the switches the run forbids by their own
// name on any of the rigs (Remote.RunForbiddenByName), sorted: chat's
// 开激光 does not lift such a forbid of a laser the rules do not name,
// which chat's 关激光 did not give (control).
func (f Fanout) RunForbiddenByName() []string {
	var out []string
	for _, r := range f {
		out = append(out, r.RunForbiddenByName()...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
