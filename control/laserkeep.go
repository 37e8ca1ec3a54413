package control

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

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
	// failing: the last write failed, and is tried again (retry)
	failing bool
	// retry is the pending retry of a failed write or removal, retryIn
	// how long it waited; nil none
	retry   *time.Timer
	retryIn time.Duration
	// unkept: what a restart would not find of the forbid in force
	// (LaserKept, LaserUnkept); 0 none
	unkept atomic.Uint32
}

// A failed write of the laser file is tried again laserRetry later, then
// at twice the wait each time, up to laserRetryMax, until it is written:
// not only at the next change of the switch, which may never come.
const (
	laserRetry    = 5 * time.Second
	laserRetryMax = time.Minute
)

// maxLaserFile caps what is read of a laser file: it names a few
// switches, a few hundred bytes.
const maxLaserFile = 64 << 10

// ErrLasersNotInRules says a kept laser forbid names a switch the rules
// do not have (renamed or removed since): RestoreLasers's error is it
// (errors.Is), the file being readable.
var ErrLasersNotInRules = errors.New("control: the laser forbid names switches not in the rules")

// notInRules is unknownLasers's error: ErrLasersNotInRules, naming them.
type notInRules struct{ names []string }

func (e *notInRules) Error() string {
	return fmt.Sprintf("it names %q, not in the rules (the streamer's as a switch, chat's as a laser): renamed or removed since?", e.names)
}

func (e *notInRules) Is(target error) bool { return target == ErrLasersNotInRules }

// RestoreLasers reads the run's laser forbid kept in Options.LaserFile by
// an earlier run ("" keeps nothing; no file, nothing kept), forbids each
// switch it names on the rig and notes which of them chat's 关激光
// forbade, so that a moderator's 开激光 lifts those as it did before the
// restart, and the streamer's switch (SetLaser) the streamer's. Without
// LaserFile, Options.LaserFileBefore (the name an older cattease kept it
// under) is read in its stead, once: what it forbade is written to
// LaserFile, and it is removed once that is done.
//
// A file that is there but cannot be read (no regular file, a FIFO or a
// link to a device, which is never waited on; over maxLaserFile; not
// JSON), forbids nothing (such a file is never written), or names a
// switch the rules do not have (the streamer's: a switch of the hardware
// section; chat's: a laser; the error wraps ErrLasersNotInRules) counts
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
	b, err := readLaserFile(path)
	if errors.Is(err, fs.ErrNotExist) && e.opts.LaserFileBefore != "" {
		from = e.opts.LaserFileBefore
		if b, err = readLaserFile(from); !errors.Is(err, fs.ErrNotExist) {
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
	var unknown error
	if err == nil {
		unknown = e.unknownLasers(k)
	}
	switch {
	case err != nil:
		k = e.everyLaser(k)
		err = fmt.Errorf("control: the laser forbid kept in %s is unreadable: every laser is forbidden, as by the streamer's laser switch, which allows it again: %w", from, err)
	case unknown != nil:
		k = e.everyLaser(k)
		err = fmt.Errorf("control: the laser forbid kept in %s does not match the rules: every laser is forbidden, as by the streamer's laser switch, which allows it again: %w", from, unknown)
	case from == path:
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

// readLaserFile reads a laser file: a regular file (or a link to one) of
// at most maxLaserFile bytes. Anything else is an error, never a wait: a
// FIFO or a device (a link to /dev/zero) would hold up the start for good
// if read as a file, so it is opened without blocking and refused. A
// symbolic link to nothing is an error too, not a file that is not there:
// something was put there (a state directory restored from a backup, a
// file moved away), and whatever it kept is lost.
func readLaserFile(path string) ([]byte, error) {
	if fi, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if li, lerr := os.Lstat(path); lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
			to, _ := os.Readlink(path)
			return nil, fmt.Errorf("control: %s is a symbolic link to %s, which is not there", path, to)
		}
		return nil, err
	} else if err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("control: %s is not a regular file (%s)", path, fi.Mode().Type())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() { // swapped in since the Stat
		return nil, fmt.Errorf("control: %s is not a regular file (%s)", path, fi.Mode().Type())
	}
	b, err := io.ReadAll(io.LimitReader(f, maxLaserFile+1))
	if err == nil && len(b) > maxLaserFile {
		err = fmt.Errorf("control: %s is over %d bytes", path, maxLaserFile)
	}
	return b, err
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
	return &notInRules{unknown}
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
// instead, and the write is tried again (laserRetry) until it is done,
// the forbid holding in memory meanwhile; LaserKept says so.
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
	e.writeLasers(false)
}

// writeLasers is saveLasers; retry: the retry of a failed write or
// removal, which writes the newest state again whatever changed.
func (e *Engine) writeLasers(retry bool) {
	k := &e.keep
	k.mu.Lock()
	defer k.mu.Unlock()
	if retry {
		k.retry = nil
		if !k.failing && k.before == "" {
			return // done since
		}
	}
	e.mu.Lock()
	seq := k.changes.Load()
	kept := KeptLasers{Panel: slices.Sorted(maps.Keys(e.panelOff)), Chat: slices.Sorted(maps.Keys(e.chatOff))}
	e.mu.Unlock()
	if seq == k.done.Load() && !retry {
		return // an earlier save took this change
	}
	defer k.done.Store(seq)
	defer e.retryLasers() // a write or an old file's removal that failed
	var b []byte          // nil: no file
	var err error
	if !kept.Empty() {
		b, err = json.Marshal(kept)
	}
	if err == nil && k.wrote && bytes.Equal(b, k.written) {
		k.dropBefore(e.opts.Log, !retry)
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
		if k.failing {
			e.opts.Log.Warn("the laser forbid is kept on disk again: a restart finds it as it is", "file", e.opts.LaserFile)
		}
		k.failing = false
		k.unkept.Store(0)
		k.disk = kept
		k.dropBefore(e.opts.Log, !retry)
		return
	}
	lost := unkeptOf(kept, k.disk)
	k.unkept.Store(lost)
	again := k.failing
	k.failing = true
	if retry && again {
		return // said when it failed first
	}
	attrs := []any{"file", e.opts.LaserFile, "err", err}
	switch {
	case lost == 0:
		e.opts.Log.Error("the laser file cannot be written: a restart would find the same forbid as now; it is tried again shortly", attrs...)
	case kept.Empty():
		e.opts.Log.Error("the laser forbid is lifted, but the file that kept it cannot be removed: a restart would forbid again what it holds; it is tried again shortly, every minute at most", attrs...)
	case lost&(lostForbid|lostAllow) == lostForbid:
		e.opts.Log.Error("the laser forbid is not kept on disk: a restart would allow again the lasers forbidden since it was last kept; it is tried again shortly, every minute at most", attrs...)
	case lost&(lostForbid|lostAllow) == lostAllow && lost&lostAsChat == 0:
		e.opts.Log.Error("the laser forbid is not kept on disk: a restart would forbid again the lasers allowed since it was last kept; it is tried again shortly, every minute at most", attrs...)
	case lost&(lostForbid|lostAllow) == 0 && lost&lostAsChat != 0:
		e.opts.Log.Error("the laser forbid is not kept on disk: a restart would find lasers the streamer's switch forbade forbidden by chat's 关激光 alone, which a moderator's 开激光 lifts; it is tried again shortly, every minute at most", attrs...)
	case lost == lostAsPanel:
		e.opts.Log.Error("the laser forbid is not kept on disk: a restart would find lasers chat's 关激光 forbade forbidden by the streamer's switch, which a moderator's 开激光 does not lift; it is tried again shortly, every minute at most", attrs...)
	default:
		e.opts.Log.Error("the laser forbid is not kept on disk: a restart would find what was last kept, allowing again the lasers forbidden since and forbidding again those allowed since; it is tried again shortly, every minute at most", attrs...)
	}
}

// retryLasers has a failed write of the laser file, or a failed removal
// of the one taken over, tried again: laserRetry later, then twice as
// long each time, up to laserRetryMax. k.mu held.
func (e *Engine) retryLasers() {
	k := &e.keep
	if !k.failing && k.before == "" {
		k.retryIn = 0
		return
	}
	if k.retry != nil {
		return
	}
	k.retryIn = min(max(2*k.retryIn, laserRetry), laserRetryMax)
	k.retry = time.AfterFunc(k.retryIn, func() { e.writeLasers(true) })
}

// LaserKept reports whether a restart would find the laser forbid in
// force (or nothing is kept: no Options.LaserFile): false while its
// write fails (a full disk, a state directory turned read-only), the
// forbid holding all the same, in memory, and its write tried again.
// What the panel's laser switch answers after SetLaser.
func (e *Engine) LaserKept() bool { return e.keep.unkept.Load() == 0 }

// What LaserUnkept says a restart would lose, as bits of laserKeep.unkept.
const (
	lostForbid  = 1 << iota // a forbid: a restart would allow again
	lostAllow               // an allow: a restart would forbid again
	lostAsChat              // the streamer's forbid: a restart would hold it as chat's, which 开激光 lifts
	lostAsPanel             // chat's forbid: a restart would hold it as the streamer's, which 开激光 does not lift
)

// unkeptOf is what a restart that finds disk would lose of now, as bits
// of laserKeep.unkept: whether a laser is forbidden is told by the names
// either side forbids (a forbid moved from chat's 关激光 to the
// streamer's switch is no forbid lost), which side by where it is, the
// streamer's holding over chat's as RestoreLasers has it.
func unkeptOf(now, disk KeptLasers) uint32 {
	n, d := now.sides(), disk.sides()
	var lost uint32
	for name, panel := range n {
		onDisk, ok := d[name]
		switch {
		case !ok:
			lost |= lostForbid
		case panel && !onDisk:
			lost |= lostAsChat
		case !panel && onDisk:
			lost |= lostAsPanel
		}
	}
	for name := range d {
		if _, ok := n[name]; !ok {
			lost |= lostAllow
		}
	}
	return lost
}

// sides maps each name k forbids to whether the streamer's switch
// forbids it (true) or chat's 关激光 alone (false).
func (k KeptLasers) sides() map[string]bool {
	m := make(map[string]bool, len(k.Panel)+len(k.Chat))
	for _, name := range k.Chat {
		m[name] = false
	}
	for _, name := range k.Panel {
		m[name] = true
	}
	return m
}

// LaserUnkept says what a restart would lose of the laser forbid in
// force while its write fails (LaserKept false): "forbid" when it would
// allow again lasers forbidden since the forbid was last kept, "allow"
// when it would forbid again lasers allowed since (the safe side: the
// file that kept them could not be removed), "both" when it would do
// both (one laser forbidden since, another allowed; or allowed since,
// and another the streamer forbade held as chat's: "as_chat"). When it
// would find every laser forbidden or allowed as now, only by the other
// side: "as_chat" when it would hold a forbid of the streamer's switch as
// chat's 关激光, which a moderator's 开激光 lifts (a forbid weakened: as
// "forbid"); "as_panel" when it would hold chat's as the streamer's, which
// only the streamer's switch lifts (the safe side). "" while it is kept.
// Whether a laser is forbidden is told by either side's forbid: one
// moved from chat's to the streamer's is no forbid lost. The panel's
// warning says it.
func (e *Engine) LaserUnkept() string {
	lost := e.keep.unkept.Load()
	switch {
	case lost == 0:
		return ""
	case lost&lostForbid != 0 && lost&lostAllow != 0, lost&lostAllow != 0 && lost&lostAsChat != 0:
		return "both"
	case lost&lostForbid != 0:
		return "forbid"
	case lost&lostAllow != 0:
		return "allow"
	case lost&lostAsChat != 0:
		return "as_chat"
	}
	return "as_panel"
}

// dropBefore removes the file taken over from the old name, once
// LaserFile says what it forbade: left there, it would be read again at
// a start that finds no LaserFile (nothing forbidden). A failure is
// logged if say (not at each retry). k.mu held.
func (k *laserKeep) dropBefore(log *slog.Logger, say bool) {
	if k.before == "" {
		return
	}
	if err := statefile.Remove(k.before); err != nil {
		if !say {
			return
		}
		log.Error("the laser forbid kept under the old file name is taken over, but that file cannot be removed: a restart with nothing forbidden would forbid again what it holds; it is tried again shortly, every minute at most",
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
