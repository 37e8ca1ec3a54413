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
