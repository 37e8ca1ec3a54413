package control

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
	"sync"
	"sync/atomic"
)

// KeptLasers is the run's laser forbid, as the engine keeps it in
// Options.LaserFile: the switches the streamer's own switch forbade (the
// panel, Home Assistant: SetLaser) and the lasers a moderator's 关激光
// forbade, which 开激光 may allow again. A switch is in one of them at
// most: the streamer's choice supersedes chat's note.
type KeptLasers struct {
	Panel []string `json:"panel,omitempty"`
	Chat  []string `json:"chat,omitempty"`
}

// Empty reports whether k forbids nothing.
func (k KeptLasers) Empty() bool { return len(k.Panel) == 0 && len(k.Chat) == 0 }

// laserKeep writes the engine's laser forbid to Options.LaserFile.
type laserKeep struct {
	changes atomic.Uint64 // changes of panelOff and chatOff, counted under the engine's mu
	done    atomic.Uint64 // the latest change saved (written, or its write failed)

	mu      sync.Mutex // one save at a time: the newest state is written last
	written []byte     // what the file was last made to say; nil: no file
	wrote   bool       // written is on disk (false at start and after a failure)
}

// RestoreLasers reads the run's laser forbid kept in Options.LaserFile by
// an earlier run ("" keeps nothing; no file, nothing kept), forbids each
// switch it names on the rig and notes which of them chat's 关激光
// forbade, so that a moderator's 开激光 lifts those as it did before the
// restart, and the streamer's switch (SetLaser) the streamer's. A name the
// rules do not have (a switch of the hardware section; a laser, for
// chat's) is dropped and logged. A file that is there but cannot be read,
// or forbids nothing (such a file is never written), counts as every laser
// of the rules forbidden by the streamer's switch, which lifts it: the
// safe side; the error says so. It returns what it forbade. Call it once,
// before Run and before anything can light a laser.
//
// A reload (Reload) needs nothing of this: the rules are compiled against
// the hardware the run started with, so their switches and lasers stay
// those of the rig, and the forbid is the rig's, not the rules'.
func (e *Engine) RestoreLasers() (KeptLasers, error) {
	path := e.opts.LaserFile
	if path == "" {
		return KeptLasers{}, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return KeptLasers{}, nil
	}
	var k KeptLasers
	if err == nil {
		err = json.Unmarshal(b, &k)
	}
	if err == nil && k.Empty() {
		err = errors.New("it forbids no laser, and such a file is never written")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err != nil {
		k = KeptLasers{Panel: slices.Sorted(slices.Values(e.rules.room.lasers))}
		err = fmt.Errorf("control: the laser forbid kept in %s is unreadable: every laser is forbidden, as by the streamer's laser switch, which allows it again: %w", path, err)
	}
	g, _ := e.rig.(switchGate)
	var out KeptLasers
	for _, name := range k.Panel {
		if _, ok := e.rules.file.Hardware.Switches[name]; !ok || e.panelOff[name] {
			if !ok {
				e.opts.Log.Warn("a switch kept as forbidden by the streamer's laser switch is not in the rules: forgotten", "switch", name, "file", path)
			}
			continue
		}
		setOff(&e.panelOff, name, true)
		out.Panel = append(out.Panel, name)
		if g != nil {
			g.Enable(name, false)
		}
	}
	for _, name := range k.Chat {
		if !slices.Contains(e.rules.room.lasers, name) || e.panelOff[name] || e.chatOff[name] {
			if !slices.Contains(e.rules.room.lasers, name) {
				e.opts.Log.Warn("a laser kept as forbidden by a moderator's 关激光 is not in the rules: forgotten", "switch", name, "file", path)
			}
			continue // the streamer's forbid holds over chat's
		}
		setOff(&e.chatOff, name, true)
		out.Chat = append(out.Chat, name)
		if g != nil {
			g.Enable(name, false)
		}
	}
	return out, err
}

// lasersChanged notes a change of panelOff or chatOff, for saveLasers
// (called after the engine's lock is released). e.mu held.
func (e *Engine) lasersChanged() {
	if e.opts.LaserFile != "" {
		e.keep.changes.Add(1)
	}
}

// saveLasers writes the run's laser forbid to Options.LaserFile after a
// change, never under the engine's lock (the disk may be an SD card):
// the callers that change it defer it before the lock's release. Saves
// are one at a time, each taking the newest state, so the last write is
// the newest; nothing forbidden, no file. What is on disk already is not
// written again. A failure is logged, and the next change writes the
// whole state again.
func (e *Engine) saveLasers() {
	k := &e.keep
	if e.opts.LaserFile == "" || k.changes.Load() == k.done.Load() {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	e.mu.Lock()
	seq := k.changes.Load()
	kept := KeptLasers{Panel: slices.Sorted(maps.Keys(e.panelOff)), Chat: slices.Sorted(maps.Keys(e.chatOff))}
	e.mu.Unlock()
	if seq == k.done.Load() {
		return // an earlier save took this change
	}
	defer k.done.Store(seq)
	var b []byte // nil: no file
	var err error
	if !kept.Empty() {
		b, err = json.Marshal(kept)
	}
	if err == nil && k.wrote && bytes.Equal(b, k.written) {
		return
	}
	switch {
	case err != nil:
	case b == nil:
		err = removeFile(e.opts.LaserFile)
	default:
		err = writeFileAtomic(e.opts.LaserFile, b)
	}
	k.written, k.wrote = b, err == nil
	if err != nil {
		e.opts.Log.Error("the laser forbid is not kept on disk: a restart would allow the laser again; the next change of the laser switch tries again",
			"file", e.opts.LaserFile, "err", err)
	}
}

// setOff sets or clears name in *m, making the map if needed.
func setOff(m *map[string]bool, name string, off bool) {
	if !off {
		delete(*m, name)
		return
	}
	if *m == nil {
		*m = map[string]bool{}
	}
	(*m)[name] = true
}

// writeFileAtomic replaces path with b: a temporary file beside it,
// synced, renamed over it, the directory synced, so that a power cut
// leaves the old file or the new one, never half of one.
func writeFileAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".cattease-laser-*")
	if err != nil {
		return fmt.Errorf("control: %w", err)
	}
	_, err = tmp.Write(b)
	err = errors.Join(err, tmp.Sync(), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("control: %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// removeFile removes path (gone already is fine) and syncs its directory.
func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("control: %w", err)
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
