package mqtt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
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

// Restore reads the stops and laser forbids kept in StateFile by an
// earlier run ("" keeps nothing; no file, nothing kept): the device's
// and the run's. A file that is there but cannot be read counts as both
// stops and every laser forbidden by both (Lasers), the safe side, which
// the device's Resume and Laser allowed and the run's resume and allow
// (the panel's laser switch: the engine, restarted, does not know that
// chat forbade them, and refuses chat's 开激光) clear; the error says so.
// Call before Run.
func (r *Remote) Restore() error {
	if r.StateFile == "" {
		return nil
	}
	b, err := os.ReadFile(r.StateFile)
	if errors.Is(err, fs.ErrNotExist) {
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
	if err != nil {
		return fmt.Errorf("mqtt: rig %s: the stops and laser forbids kept in %s (the run's and its Home Assistant device's) are unreadable: the rig is held stopped and its lasers forbidden until the run's resume (the panel's, chat's 继续) and the panel's laser switch, and that device's Resume and Laser allowed: %w", r.Topics.Rig, r.StateFile, err)
	}
	if r.Log != nil && (k.Held || len(k.Forbidden) > 0) {
		r.Log.Warn("mqtt: kept from before this start: the Home Assistant device's stop and laser forbid hold until that device lifts them",
			"rig", r.Topics.Rig, "stopped", k.Held, "lasers_forbidden", k.Forbidden)
	}
	if r.Log != nil && (k.RunStop || len(k.RunForbidden) > 0) {
		r.Log.Warn("mqtt: kept from before this start: the run's stop and laser forbid (the panel, chat's 停 and 关激光) hold until the run lifts them (the panel's resume and laser switch, chat's 继续)",
			"rig", r.Topics.Rig, "stopped", k.RunStop, "lasers_forbidden", k.RunForbidden)
	}
	return nil
}

// save writes the device's and the run's stops and laser forbids to
// StateFile, the newest last; nothing kept, no file. What was last
// written is not written again (chat's 停 said twice syncs the disk once).
// A failure is logged: a restart of the run side would forget them.
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
	var b []byte // nil: no file
	var err error
	if !k.empty() {
		if b, err = json.Marshal(k); err != nil {
			b = nil
		}
	}
	if err == nil && r.wrote && bytes.Equal(b, r.written) {
		return
	}
	switch {
	case err != nil:
	case b == nil:
		err = removeFile(r.StateFile)
	default:
		err = writeFileAtomic(r.StateFile, b)
	}
	r.written, r.wrote = b, err == nil
	if err != nil && r.Log != nil {
		r.Log.Error("mqtt: the rig's stops and laser forbids (the run's and its Home Assistant device's) are not kept on disk: a restart of the run side would forget them",
			"rig", r.Topics.Rig, "err", err)
	}
}

// writeFileAtomic replaces path with b: a temporary file beside it,
// synced, renamed over it, the directory synced, so that a power cut
// leaves the old file or the new one, never half of one.
func writeFileAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".cattease-state-*")
	if err != nil {
		return fmt.Errorf("mqtt: %w", err)
	}
	_, err = tmp.Write(b)
	err = errors.Join(err, tmp.Sync(), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("mqtt: %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// removeFile removes path (gone already is fine) and syncs its directory.
func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("mqtt: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes a rename or removal in dir survive a power cut.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
