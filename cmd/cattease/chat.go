package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/cmd/cattease/internal/i18n"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/mqtt"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/web"
)

// The chat side of `cattease run`, the same whether the rig is local (the
// play layer over the envelope) or on agents over MQTT (run --rig): the
// sources, the engine, where decisions go, the terminal view, the overlay
// and panel, rules reloads and --record.

// chatRig is what the chat side drives and shows.
type chatRig interface {
	control.Rig
	web.Rig
	Snapshot() safety.State
}

type chatSide struct {
	fl      *runFlags
	f       *config.File
	rig     chatRig
	view    *view
	wp      *webParts
	log     *slog.Logger
	eng     *control.Engine
	sources []namedSource
	audit   *logFile // nil without one
	rec     *recorder
}

// newTerminalView is the live view on the terminal (run, agent). Its lines hold chat text
// and are built in pieces: no catalogue entry can match them, so they skip
// the translating writer (at 22 µs a line it would cost a Pi more than
// deciding the chat).
func newTerminalView(quiet bool, f *config.File, s stdio) *view {
	raw, zh := i18n.Unwrap(s.out)
	v := newView(raw, !quiet)
	v.zh = zh != nil
	v.labels = f.Labels()
	return v
}

// newChat builds the chat side's parts, the engine on rig among them;
// nothing runs yet. close releases what it opened.
func newChat(fl *runFlags, f *config.File, rules *control.Rules, rig chatRig, view *view, wp *webParts, s stdio, log *slog.Logger) (*chatSide, error) {
	c := &chatSide{fl: fl, f: f, rig: rig, view: view, wp: wp, log: log}
	var err error
	if c.sources, err = buildSources(fl, f, s, log); err != nil {
		return nil, err
	}
	decided, audit, err := decisionOutputs(f, view, wp, log)
	if err != nil {
		return nil, err
	}
	c.audit = audit
	opts := control.Options{Log: log, OnDecision: decided}
	if !fl.dryRun { // on the hardware, as the emergency stop (rig.go's StopFile)
		if opts.LaserFile, opts.LaserFileBefore, err = runLaserFiles(fl.config, planFor(f, fl.dryRun), rig); err != nil {
			closeAudit(audit, log)
			return nil, err
		}
		if _, remote := rig.(mqtt.Fanout); !remote {
			noteOtherLaserFiles(laserFile, opts.LaserFile, opts.LaserFileBefore, log)
		}
	}
	if c.eng, err = control.New(rules, rig, opts); err != nil {
		closeAudit(audit, log)
		return nil, err
	}
	// before anything runs: no laser lights meanwhile
	restoreLasers(c.eng, log)
	view.file = c.eng.File // labels follow reloads
	wp.attach(c.eng, rig, func() ([]string, error) {
		r, err := reloadRules(fl.config, f, c.eng, log)
		if err != nil {
			return nil, err
		}
		return r.Restart, nil
	}, c.sources)
	return c, nil
}

// laserFile is the name an older cattease kept a run's laser forbid (the
// streamer's laser switch, chat's 关激光) under, one for the state
// directory; each run now keeps its own (runLaserFiles). With --dry-run
// nothing is kept, as nothing of the emergency stop is.
const laserFile = "cattease-laser-off.json"

// runLaserFiles names the file in the state directory where a run keeps
// its laser forbid across a restart, and the one an older cattease kept
// it in, which RestoreLasers takes over once (hardwareLaserFiles). Each
// run has a file of its own, since several may share the state directory
// and neither must take the other's forbid for its own: a run on this
// machine's rig by the hardware it drives (hw, its pid file's: the GPIO
// pins of its switches, what lights: laserHardwareKey), so that the same
// laser keeps its forbid whatever path or symlink its rules.yaml is read
// through; run --rig, which takes no such lock (two rooms' run sides may
// share a machine), by the rigs it drives (their base topics and names,
// in any order), which name the hardware on its agent.
func runLaserFiles(config string, hw haltPlan, rig chatRig) (file, before string, err error) {
	if fan, ok := rig.(mqtt.Fanout); ok {
		return keyedStateFiles(laserFile, rigsKey(fan))
	}
	return hardwareLaserFiles(laserFile, config, hw)
}

// runLaserKey is what tells a run's laser file apart (runLaserFiles).
func runLaserKey(config string, hw haltPlan, rig chatRig) (string, error) {
	if fan, ok := rig.(mqtt.Fanout); ok {
		return rigsKey(fan), nil
	}
	cfg, err := configKey(config)
	if err != nil {
		return "", err
	}
	return laserHardwareKey(hw, cfg), nil
}

// rigsKey tells run --rig's rigs apart: their base topics and names, in
// any order.
func rigsKey(fan mqtt.Fanout) string {
	rigs := make([]string, len(fan))
	for i, r := range fan {
		rigs[i] = r.Topics.Base + "/" + r.Topics.Rig
	}
	slices.Sort(rigs)
	return "rigs\x00" + strings.Join(rigs, "\x00")
}

// laserHardwareKey is what tells apart the laser files of the runs (or
// agents) on this machine's hardware: the GPIO pins of hw's lasers, in
// any order, each as the driver finds it (config.PinKey: 17 is GPIO17).
// Not the path of rules.yaml (a symlink swapped to another version, a
// unit's -c edited, a NixOS store path: the forbid must hold on the same
// laser), not the switches' names (a laser renamed keeps its forbid:
// RestoreLasers forbids every laser for a name the rules lack), nor the
// other switches (a treat feeder added), the servo board or its
// channels, which light nothing: runs that hold the same pins drive the
// same lasers, and two running at once cannot (the kernel grants a GPIO
// line to one). Without a laser's pin (the mock, a rig without a laser)
// the configuration tells them apart (cfg: its configKey), as the pid
// file.
func laserHardwareKey(hw haltPlan, cfg string) string {
	var pins []string
	for _, sw := range hw.Switches {
		if pin := config.PinKey(sw.Pin); sw.Laser && pin != "" {
			pins = append(pins, pin)
		}
	}
	if len(pins) == 0 {
		return cfg
	}
	slices.Sort(pins)
	return "pins\x00" + strings.Join(slices.Compact(pins), "\x00")
}

// hardwareLaserFiles names, in the state directory, the file name keeps
// (laserFile, agentLaserFile) of the run or agent of config on hw
// (laserHardwareKey), and the one it takes over once (before): the file
// an older cattease kept under the path of config (keyedName by its
// configKey) if there is one, else the one under name itself, which an
// even older one used for every run.
func hardwareLaserFiles(name, config string, hw haltPlan) (file, before string, err error) {
	cfg, err := configKey(config)
	if err != nil {
		return "", "", err
	}
	if file, before, err = keyedStateFiles(name, laserHardwareKey(hw, cfg)); err != nil {
		return "", "", err
	}
	byPath, err := statePath("", keyedName(name, cfg))
	if err != nil {
		return "", "", err
	}
	if _, err := os.Lstat(byPath); byPath != file && !errors.Is(err, fs.ErrNotExist) {
		before = byPath
	}
	return file, before, nil
}

// noteOtherLaserFiles says in log when no laser forbid is kept for this
// rig (file, before: hardwareLaserFiles) but one is under another key
// of name, of a run or agent that is not running (no live process holds
// its pid file): kept for other hardware or by an older cattease for
// another configuration, it may be this rig's own forbid, left behind
// when its switches were rewired or moved to other pins, and it does
// not hold here. A live run's or agent's is its own (the pins in its pid
// file); run --rig's (keyed by rigs, no pid file) are named too.
func noteOtherLaserFiles(name, file, before string, log *slog.Logger) {
	for _, p := range []string{file, before} {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			return // a forbid, or something unreadable, RestoreLasers reads
		}
	}
	dir := filepath.Dir(file)
	ext := filepath.Ext(name)
	found, _ := filepath.Glob(filepath.Join(dir, strings.TrimSuffix(name, ext)+".*"+ext))
	if len(found) == 0 {
		return
	}
	alive := aliveLaserFiles(dir, name)
	var others []string
	for _, p := range found {
		if p != file && p != before && !alive[filepath.Base(p)] {
			others = append(others, p)
		}
	}
	if len(others) > 0 {
		log.Warn("no laser forbid is kept for this rig's lasers, but another laser file is there that no running cattease on this machine's hardware keeps: one for other laser pins, a run --rig's (which keeps no pid file), or an older cattease's under the path of another rules.yaml; if it was this rig's (its laser moved to another pin?), its forbid does not hold here: forbid the laser on the panel if it should be",
			"files", others)
	}
}

// aliveLaserFiles names the files under the keys of name that the runs
// and agents alive in dir keep: each one whose pid file a live process
// holds, by its hardware and by its configuration (an older cattease's).
func aliveLaserFiles(dir, name string) map[string]bool {
	alive := map[string]bool{}
	pids, _ := filepath.Glob(filepath.Join(dir, "run-*.pid"))
	for _, p := range pids {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		pid, cfg, line := readPidFile(f)
		live := pid > 0 && isCatteaseRun("/proc", pid)
		if !live {
			live = errors.Is(tryLock(f, false), errLocked)
		}
		f.Close()
		if !live || cfg == "" {
			continue
		}
		alive[keyedName(name, cfg)] = true
		if hw, err := decodePlan(line); err == nil {
			alive[keyedName(name, laserHardwareKey(hw, cfg))] = true
		}
	}
	return alive
}

// keyedStateFiles names, in the state directory, the file of one run or
// agent (key: what tells it apart, laserHardwareKey or rigsKey:
// keyedName), and the file under name itself, which an older
// cattease used for every one.
func keyedStateFiles(name, key string) (file, before string, err error) {
	if file, err = statePath("", keyedName(name, key)); err != nil {
		return "", "", err
	}
	if before, err = statePath("", name); err != nil {
		return "", "", err
	}
	return file, before, nil
}

// keyedName is name with a hash of key before its extension, the hash
// a pid file of the same key has (pidFilePath).
func keyedName(name, key string) string {
	sum := sha256.Sum256([]byte(key))
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:8]) + ext
}

// restoreLasers forbids again the lasers the run had forbidden before
// this start (control.Engine.RestoreLasers) and says so. An unreadable
// file, or one naming a switch the rules do not have (said apart: a
// laser renamed or removed since), leaves every laser forbidden: the run goes on, and the panel's
// laser switch allows them again.
func restoreLasers(eng *control.Engine, log *slog.Logger) {
	kept, err := eng.RestoreLasers()
	if errors.Is(err, control.ErrLasersNotInRules) {
		log.Error("the laser forbid kept from before this start does not match the rules (a switch renamed or removed since?): every laser stays forbidden until the panel's laser switch allows it", "err", err)
		return
	}
	if err != nil {
		log.Error("the laser forbid kept from before this start is unreadable: every laser stays forbidden until the panel's laser switch allows it", "err", err)
		return
	}
	if !kept.Empty() {
		log.Warn("the laser forbid from before this start still holds: the panel's laser switch (or Home Assistant's) lifts the streamer's, a moderator's 开激光 lifts chat's 关激光",
			"panel", kept.Panel, "chat", kept.Chat)
	}
}

// start runs the chat side in g: the view, rules reloads, the web server,
// the engine and the sources, every event recorded with --record. The
// engine's end ends the group.
func (c *chatSide) start(g *group) error {
	g.Go("view", false, func(ctx context.Context) error { return c.view.run(ctx, c.rig) })
	g.Go("reload", false, func(ctx context.Context) error { return watchRules(ctx, hangups, c.fl.config, c.f, c.eng, c.log) })
	g.Go("web", false, c.wp.serve)
	c.audit.handPanics(g.onPanic)
	rec, err := openRecordFlags(c.fl, c.log)
	if err != nil {
		return err
	}
	rec.file.handPanics(g.onPanic)
	c.rec = rec
	// The sources decide their events on their own goroutines (c.decide);
	// the engine's goroutine ticks, and drains once the sources end. Its
	// channel of events is never sent on: closing it says they have ended.
	sourcesEnded := make(chan []danmu.Event)
	g.Go("engine", true, func(ctx context.Context) error { return c.eng.Run(ctx, sourcesEnded) })
	g.Go("sources", false, func(ctx context.Context) error {
		defer close(sourcesEnded)
		return runSources(ctx, c.sources, c.decide, g.stopFor, rec, c.wp.event, c.log)
	})
	return nil
}

// decide decides a batch of events as they come, in order, at now. A
// batch is what one read from the server held, so its events arrived
// together and are decided at one time, read once, which the record keeps
// with each of them: a replay decides them at the same instant.
func (c *chatSide) decide(now time.Time, evs []danmu.Event) {
	for i := range evs {
		c.eng.Handle(now, evs[i])
	}
}

// close closes the record and the audit log.
func (c *chatSide) close() error {
	var err error
	if c.rec != nil {
		err = c.rec.close()
	}
	closeAudit(c.audit, c.log)
	return err
}

// wait waits for g, whose chat side start may have failed to open, and
// closes the chat side.
func (c *chatSide) wait(g *group, startErr error) error {
	if startErr != nil {
		g.cancel()
	}
	return errors.Join(startErr, g.Wait(), c.close())
}
