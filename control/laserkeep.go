package control

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/cattease/cattease/control/internal/statefile"
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
	// disk is what a restart would make of the files as they are (what
	// RestoreLasers made of them, then what was last written): the
	// message of a failed write says what that restart would find
	disk KeptLasers
	// before is Options.LaserFileBefore when this start took its forbid
	// over: removed once LaserFile is written; "" none (or removed)
	before string
}

// RestoreLasers reads the run's laser forbid kept in Options.LaserFile by
// an earlier run ("" keeps nothing; no file, nothing kept), forbids each
// switch it names on the rig and notes which of them chat's 关激光
// forbade, so that a moderator's 开激光 lifts those as it did before the
// restart, and the streamer's switch (SetLaser) the streamer's. Without
// LaserFile, Options.LaserFileBefore (the name an older cattease kept it
// under) is read in its stead, once: what it forbade is written to
// LaserFile, and it is removed once that is done.
//
// A file that is there but cannot be read, forbids nothing (such a file
// is never written), or names a switch the rules do not have (the
// streamer's: a switch of the hardware section; chat's: a laser) counts
// as every laser of the rules forbidden by the streamer's switch, which
// lifts it: the safe side (a laser renamed in rules.yaml, `laser:` to
// `pointer:`, keeps its forbid so, under whatever name). Every switch of
// the rules it names is forbidden so too. The error says why, and the
// file is written anew, as the engine now holds it. It returns what it
// forbade. Call it once, before Run and before anything can light a
// laser.
//
// A reload (Reload) needs nothing of this: the rules are compiled against
// the hardware the run started with, so their switches and lasers stay
// those of the rig, and the forbid is the rig's, not the rules'.
func (e *Engine) RestoreLasers() (KeptLasers, error) {
	if e.opts.LaserFile == "" {
		return KeptLasers{}, nil
	}
	out, err := e.restoreLasers()
	e.saveLasers() // what the file should say, if it does not (and the old name's, taken over)
	return out, err
}

// restoreLasers is RestoreLasers but for the write.
func (e *Engine) restoreLasers() (KeptLasers, error) {
	path := e.opts.LaserFile
	from := path
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && e.opts.LaserFileBefore != "" {
		from = e.opts.LaserFileBefore
		if b, err = os.ReadFile(from); !errors.Is(err, fs.ErrNotExist) {
			e.keep.before = from
		}
	}
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
	if err == nil {
		err = e.unknownLasers(k)
	}
	if err != nil {
		k = e.everyLaser(k)
		err = fmt.Errorf("control: the laser forbid kept in %s is unreadable: every laser is forbidden, as by the streamer's laser switch, which allows it again: %w", from, err)
	} else if from == path {
		e.keep.written, e.keep.wrote = b, true // written again only if it says otherwise
	}
	g, _ := e.rig.(switchGate)
	var out KeptLasers
	for _, name := range k.Panel {
		if e.panelOff[name] {
			continue
		}
		setOff(&e.panelOff, name, true)
		out.Panel = append(out.Panel, name)
		if g != nil {
			g.Enable(name, false)
		}
	}
	for _, name := range k.Chat {
		if e.panelOff[name] || e.chatOff[name] {
			continue // the streamer's forbid holds over chat's
		}
		setOff(&e.chatOff, name, true)
		out.Chat = append(out.Chat, name)
		if g != nil {
			g.Enable(name, false)
		}
	}
	e.keep.disk = k // a restart before the write below would make the same of the file
	e.lasersChanged()
	return out, err
}

// unknownLasers says which names of k the rules do not have: the
// streamer's must be switches of the hardware section, chat's lasers; nil
// if none. e.mu held.
func (e *Engine) unknownLasers(k KeptLasers) error {
	var unknown []string
	for _, name := range k.Panel {
		if _, ok := e.rules.file.Hardware.Switches[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	for _, name := range k.Chat {
		if !slices.Contains(e.rules.room.lasers, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return fmt.Errorf("it names %q, not in the rules (the streamer's as a switch, chat's as a laser): renamed or removed since?", unknown)
}

// everyLaser is the forbid an unreadable file stands for: every laser of
// the rules, and whatever other switch of the rules k names, all the
// streamer's. e.mu held.
func (e *Engine) everyLaser(k KeptLasers) KeptLasers {
	names := slices.Clone(e.rules.room.lasers)
	for _, name := range slices.Concat(k.Panel, k.Chat) {
		if _, ok := e.rules.file.Hardware.Switches[name]; ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return KeptLasers{Panel: slices.Compact(names)}
}

// AdoptPanelForbids takes the switches named, which the rig holds
// forbidden by the run from before this start though RestoreLasers did
// not find them forbidden by chat's 关激光 (a remote rig's own kept file:
// a Home Assistant device's forbid kept as the run's, the run's forbid
// kept there but not in Options.LaserFile, an unreadable file), as
// forbidden by the streamer's laser switch: a moderator's 开激光 must not
// lift what chat did not forbid, and the panel's switch lifts it. A name
// the rules have no switch of, or that the engine holds already, is left
// as it is. Nothing is asked of the rig, which holds them. The forbid is
// kept in Options.LaserFile; it returns the names it took. Call it after
// RestoreLasers and before Run.
func (e *Engine) AdoptPanelForbids(names []string) []string {
	e.mu.Lock()
	defer e.saveLasers() // after the lock's release
	defer e.mu.Unlock()
	var out []string
	for _, name := range names {
		if _, ok := e.rules.file.Hardware.Switches[name]; !ok || e.panelOff[name] || e.chatOff[name] {
			continue
		}
		setOff(&e.panelOff, name, true)
		out = append(out, name)
	}
	if len(out) > 0 {
		e.lasersChanged()
	}
	return out
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
// written again. A failure is logged, saying what a restart would find
// instead, and the next change writes the whole state again.
//
// A decision that changes the forbid (关激光) is told (OnDecision, under
// the engine's lock, in order with every other) before this write, which
// waits for the lock's release: the disk is never written under the
// lock. A kill in between (a few milliseconds on an SD card) loses the
// change the moderator was told of.
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
		k.dropBefore(e.opts.Log)
		return
	}
	switch {
	case err != nil:
	case b == nil:
		err = statefile.Remove(e.opts.LaserFile)
	default:
		err = statefile.Write(e.opts.LaserFile, b)
	}
	k.written, k.wrote = b, err == nil
	if err == nil {
		k.disk = kept
		k.dropBefore(e.opts.Log)
		return
	}
	attrs := []any{"file", e.opts.LaserFile, "err", err}
	switch {
	case kept.Empty():
		e.opts.Log.Error("the laser forbid is lifted, but the file that kept it cannot be removed: a restart would forbid again what it holds; the next change of the laser switch tries again", attrs...)
	case kept.covers(k.disk):
		e.opts.Log.Error("the laser forbid is not kept on disk: a restart would allow again the lasers forbidden since it was last kept; the next change of the laser switch tries again", attrs...)
	case k.disk.covers(kept):
		e.opts.Log.Error("the laser forbid is not kept on disk: a restart would forbid again the lasers allowed since it was last kept; the next change of the laser switch tries again", attrs...)
	default:
		e.opts.Log.Error("the laser forbid is not kept on disk: a restart would find what was last kept, allowing again the lasers forbidden since and forbidding again those allowed since; the next change of the laser switch tries again", attrs...)
	}
}

// covers reports whether k forbids everything o forbids, each as o's
// side does (a forbid the streamer's switch took over from chat's is
// not chat's).
func (k KeptLasers) covers(o KeptLasers) bool {
	return subset(o.Panel, k.Panel) && subset(o.Chat, k.Chat)
}

func subset(a, b []string) bool {
	for _, s := range a {
		if !slices.Contains(b, s) {
			return false
		}
	}
	return true
}

// dropBefore removes the file taken over from the old name, once
// LaserFile says what it forbade: left there, it would be read again at
// a start that finds no LaserFile (nothing forbidden). k.mu held.
func (k *laserKeep) dropBefore(log *slog.Logger) {
	if k.before == "" {
		return
	}
	if err := statefile.Remove(k.before); err != nil {
		log.Error("the laser forbid kept under the old file name is taken over, but that file cannot be removed: a restart with nothing forbidden would forbid again what it holds; the next change of the laser switch tries again",
			"file", k.before, "err", err)
		return
	}
	k.before = ""
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
