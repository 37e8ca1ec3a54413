package mqtt

import (
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
// lasers its device forbade.
type kept struct {
	Held      bool     `json:"held"`
	Forbidden []string `json:"forbidden"`
}

// Restore reads the device's stop and laser forbid kept in StateFile by
// an earlier run ("" keeps nothing; no file, nothing kept). A file that
// is there but cannot be read counts as the device's stop and every laser
// forbidden (Lasers), the safe side, which the device's Resume and Laser
// allowed clear; the error says so. Call before Run.
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
	if err == nil && !k.Held && len(k.Forbidden) == 0 {
		err = errors.New("it holds neither a stop nor a forbid, which is never written") // a file with nothing kept is removed
	}
	if err != nil {
		k = kept{Held: true, Forbidden: r.Lasers}
	}
	r.mu.Lock()
	r.held = r.held || k.Held
	for _, name := range k.Forbidden {
		setFlag(&r.devOff, name, true)
	}
	r.mu.Unlock()
	if err != nil {
		return fmt.Errorf("mqtt: rig %s: the Home Assistant device's stop and laser switch kept in %s are unreadable: the rig is held stopped and its lasers forbidden until that device's Resume and Laser allowed: %w", r.Topics.Rig, r.StateFile, err)
	}
	if r.Log != nil && (k.Held || len(k.Forbidden) > 0) {
		r.Log.Warn("mqtt: kept from before this start: the Home Assistant device's stop and laser forbid hold until that device lifts them",
			"rig", r.Topics.Rig, "stopped", k.Held, "lasers_forbidden", k.Forbidden)
	}
	return nil
}

// save writes the device's stop and laser forbid to StateFile, the newest
// last; nothing kept, no file. A failure is logged: a restart of the run
// side would forget them.
func (r *Remote) save() {
	if r.StateFile == "" {
		return
	}
	r.saving.Lock()
	defer r.saving.Unlock()
	r.mu.Lock()
	k := kept{Held: r.held, Forbidden: slices.Sorted(maps.Keys(r.devOff))}
	r.mu.Unlock()
	var err error
	if !k.Held && len(k.Forbidden) == 0 {
		err = removeFile(r.StateFile)
	} else {
		var b []byte
		if b, err = json.Marshal(k); err == nil {
			err = writeFileAtomic(r.StateFile, b)
		}
	}
	if err != nil && r.Log != nil {
		r.Log.Error("mqtt: the Home Assistant device's stop and laser forbid are not kept on disk: a restart of the run side would forget them",
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
