package mqtt

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"

	"github.com/cattease/cattease/control/internal/statefile"
)

// kept is what a Remote keeps in its StateFile: its device's stop and the
// lasers its device forbade, and the run's stop and the lasers the run
// forbade (both the run side's, which its restart must not forget). A
// file from before the run's were kept has neither: they read as not in
// force, as they did.
type kept struct {
	Held         bool     `json:"held"`
	Forbidden    []string `json:"forbidden"`
	RunStop      bool     `json:"run_stop,omitempty"`
	RunForbidden []string `json:"run_forbidden,omitempty"`
}

// empty reports whether k keeps nothing.
func (k kept) empty() bool {
	return !k.Held && len(k.Forbidden) == 0 && !k.RunStop && len(k.RunForbidden) == 0
}

// same reports whether k and o keep the same (each list sorted).
func (k kept) same(o kept) bool {
	return k.Held == o.Held && k.RunStop == o.RunStop &&
		slices.Equal(k.Forbidden, o.Forbidden) && slices.Equal(k.RunForbidden, o.RunForbidden)
}

// covers reports whether k keeps everything o keeps.
func (k kept) covers(o kept) bool {
	return (k.Held || !o.Held) && (k.RunStop || !o.RunStop) &&
		subset(o.Forbidden, k.Forbidden) && subset(o.RunForbidden, k.RunForbidden)
}

func subset(a, b []string) bool {
	for _, s := range a {
		if !slices.Contains(b, s) {
			return false
		}
	}
	return true
}

// asRun is k with the device's stop and forbid carried over to the run's.
func (k kept) asRun() kept {
	return kept{RunStop: k.RunStop || k.Held,
		RunForbidden: slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(k.RunForbidden), k.Forbidden...))))}
}

// Restore reads the stops and laser forbids kept in StateFile by an
// earlier run ("" keeps nothing; no file, nothing kept): the device's
// and the run's. A file that is there but cannot be read counts as both
// stops and every laser forbidden by both (Lasers), the safe side, which
// the device's Resume and Laser allowed and the run's resume and allow
// (the panel's laser switch; chat's 开激光 too for what the engine's own
// kept forbid, control's LaserFile, says chat's 关激光 forbade) clear;
// the error says so. A forbid kept there that names a switch the rules
// do not have (Lasers: one renamed or removed since, or the Pi's laser
// named otherwise than in the run side's rules) holds as kept, and every
// laser of the rules is forbidden by that side too, its stop restored as
// kept, and the error says which names: a forbid of those names alone
// would leave a renamed laser allowed, and one of the rules' names alone
// the Pi's laser, which the agent then lights (forbidding a switch the Pi
// does not have costs nothing).
// With NoDeviceControl the device cannot lift its own: its stop and
// forbid are restored as the run's, the log says so, and the file is
// written so. Call before Run.
func (r *Remote) Restore() error {
	if r.StateFile == "" {
		return nil
	}
	b, err := os.ReadFile(r.StateFile)
	if errors.Is(err, fs.ErrNotExist) {
		r.disk = &kept{}
		return nil
	}
	var k kept
	if err == nil {
		err = json.Unmarshal(b, &k)
	}
	if err == nil && k.empty() {
		err = errors.New("it holds neither a stop nor a forbid, which is never written") // a file with nothing kept is removed
	}
	if err != nil {
		k = kept{Held: true, Forbidden: r.Lasers, RunStop: true, RunForbidden: r.Lasers}
	} else {
		slices.Sort(k.Forbidden)
		slices.Sort(k.RunForbidden)
		disk := k
		r.disk = &disk
	}
	// a forbid naming a switch the rules do not have: that side forbids
	// every laser too
	devUnknown, runUnknown := r.unknown(k.Forbidden), r.unknown(k.RunForbidden)
	if len(devUnknown) > 0 {
		k.Forbidden = union(k.Forbidden, r.Lasers)
	}
	if len(runUnknown) > 0 {
		k.RunForbidden = union(k.RunForbidden, r.Lasers)
	}
	dev := k // the device's, as kept
	if r.NoDeviceControl {
		k = k.asRun()
	}
	r.mu.Lock()
	r.held = r.held || k.Held
	r.runStop = r.runStop || k.RunStop
	for _, name := range k.Forbidden {
		setFlag(&r.devOff, name, true)
	}
	for _, name := range k.RunForbidden {
		setFlag(&r.runOff, name, true)
	}
	r.mu.Unlock()
	switch {
	case err != nil && r.NoDeviceControl:
		return fmt.Errorf("mqtt: rig %s: the stops and laser forbids kept in %s are unreadable: the rig is held stopped and its lasers forbidden until the run's resume (the panel's, chat's 继续) and the panel's laser switch (with mqtt.control off no Home Assistant device can lift them): %w", r.Topics.Rig, r.StateFile, err)
	case err != nil:
		return fmt.Errorf("mqtt: rig %s: the stops and laser forbids kept in %s (the run's and its Home Assistant device's) are unreadable: the rig is held stopped and its lasers forbidden until the run's resume (the panel's, chat's 继续) and the panel's laser switch, and that device's Resume and Laser allowed: %w", r.Topics.Rig, r.StateFile, err)
	}
	if r.NoDeviceControl && (dev.Held || len(dev.Forbidden) > 0) {
		if r.Log != nil {
			r.Log.Warn("mqtt: kept from before this start: the Home Assistant device's stop and laser forbid; with mqtt.control off that device cannot lift them, so they hold as the run's, until the panel's resume and laser switch (chat's 继续)",
				"rig", r.Topics.Rig, "stopped", dev.Held, "lasers_forbidden", dev.Forbidden)
		}
		r.save() // kept as the run's from now on
	}
	if r.Log != nil && (k.Held || len(k.Forbidden) > 0) {
		r.Log.Warn("mqtt: kept from before this start: the Home Assistant device's stop and laser forbid hold until that device lifts them",
			"rig", r.Topics.Rig, "stopped", k.Held, "lasers_forbidden", k.Forbidden)
	}
	if r.Log != nil && (k.RunStop || len(k.RunForbidden) > 0) {
		r.Log.Warn("mqtt: kept from before this start: the run's stop and laser forbid (the panel, chat's 停 and 关激光) hold until the run lifts them (the panel's resume and laser switch, chat's 继续, and chat's 开激光 for chat's 关激光)",
			"rig", r.Topics.Rig, "stopped", k.RunStop, "lasers_forbidden", k.RunForbidden)
	}
	names := slices.Compact(slices.Sorted(slices.Values(slices.Concat(devUnknown, runUnknown))))
	switch {
	case len(names) == 0:
	case r.NoDeviceControl:
		return fmt.Errorf("mqtt: rig %s: the laser forbid kept in %s names %q, which the rules do not have (a switch renamed or removed since, or the Pi's named otherwise): it holds as kept, and every laser of the rules (%q) is forbidden too, as the run's (with mqtt.control off no Home Assistant device can lift it), until the panel's laser switch allows it", r.Topics.Rig, r.StateFile, names, r.Lasers)
	case len(devUnknown) > 0 && len(runUnknown) > 0:
		return fmt.Errorf("mqtt: rig %s: the laser forbids kept in %s (the run's and its Home Assistant device's) name %q, which the rules do not have (a switch renamed or removed since, or the Pi's named otherwise): they hold as kept, and every laser of the rules (%q) is forbidden too by both, until the panel's laser switch and that device's Laser allowed allow it", r.Topics.Rig, r.StateFile, names, r.Lasers)
	case len(devUnknown) > 0:
		return fmt.Errorf("mqtt: rig %s: the Home Assistant device's laser forbid kept in %s names %q, which the rules do not have (a switch renamed or removed since, or the Pi's named otherwise): it holds as kept, and every laser of the rules (%q) is forbidden too by that device, until its Laser allowed allows it", r.Topics.Rig, r.StateFile, names, r.Lasers)
	default:
		return fmt.Errorf("mqtt: rig %s: the run's laser forbid kept in %s names %q, which the rules do not have (a switch renamed or removed since, or the Pi's named otherwise): it holds as kept, and every laser of the rules (%q) is forbidden too by the run, until the panel's laser switch allows it", r.Topics.Rig, r.StateFile, names, r.Lasers)
	}
	return nil
}

// union is a and b, sorted, each name once.
func union(a, b []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(slices.Concat(a, b))))
}

// unknown are the names in kept that are not lasers of the rules
// (Lasers).
func (r *Remote) unknown(kept []string) []string {
	var out []string
	for _, name := range kept {
		if !slices.Contains(r.Lasers, name) {
			out = append(out, name)
		}
	}
	return out
}

// save writes the device's and the run's stops and laser forbids to
// StateFile, the newest last; nothing kept, no file. What the file holds
// already is not written again (chat's 停 said twice syncs the disk
// once). A failure is logged, saying what a restart of the run side
// would find instead.
func (r *Remote) save() {
	if r.StateFile == "" {
		return
	}
	r.saving.Lock()
	defer r.saving.Unlock()
	r.mu.Lock()
	k := kept{Held: r.held, Forbidden: slices.Sorted(maps.Keys(r.devOff)),
		RunStop: r.runStop, RunForbidden: slices.Sorted(maps.Keys(r.runOff))}
	r.mu.Unlock()
	if r.disk != nil && r.disk.same(k) {
		return
	}
	var err error
	if k.empty() {
		err = statefile.Remove(r.StateFile)
	} else {
		var b []byte
		if b, err = json.Marshal(k); err == nil {
			err = statefile.Write(r.StateFile, b)
		}
	}
	if err == nil {
		r.disk = &k
		return
	}
	if r.Log == nil {
		return
	}
	attrs := []any{"rig", r.Topics.Rig, "file", r.StateFile, "err", err}
	switch {
	case k.empty():
		r.Log.Error("mqtt: the rig's stops and laser forbids are all lifted, but the file that kept them cannot be removed: a restart of the run side would bring back those it holds", attrs...)
	case r.disk != nil && k.covers(*r.disk):
		r.Log.Error("mqtt: the rig's stops and laser forbids (the run's and its Home Assistant device's) are not kept on disk: a restart of the run side would forget those given since they were last kept", attrs...)
	case r.disk != nil && r.disk.covers(k):
		r.Log.Error("mqtt: the rig's stops and laser forbids (the run's and its Home Assistant device's) are not kept on disk: a restart of the run side would bring back those lifted since they were last kept", attrs...)
	default:
		r.Log.Error("mqtt: the rig's stops and laser forbids (the run's and its Home Assistant device's) are not kept on disk: a restart of the run side would find what the file held before, forgetting those given since and bringing back those lifted since", attrs...)
	}
}
