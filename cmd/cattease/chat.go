package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
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
		if opts.LaserFile, opts.LaserFileBefore, err = runLaserFiles(fl.config, rig); err != nil {
			closeAudit(audit, log)
			return nil, err
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
// it in (laserFile), which RestoreLasers takes over once. Each run has a
// file of its own, since several may share the state directory and
// neither must take the other's forbid for its own: a run on this
// machine's rig by its configuration, as its pid file (whose lock makes
// it one run's): cattease-laser-off.HASH.json, the HASH of run-HASH.pid;
// run --rig, which takes no such lock (two rooms' run sides may share a
// machine), by the rigs it drives (their base topics and names, in any
// order).
func runLaserFiles(config string, rig chatRig) (file, before string, err error) {
	key, err := runLaserKey(config, rig)
	if err != nil {
		return "", "", err
	}
	return keyedStateFiles(laserFile, key)
}

// runLaserKey is what tells a run's laser file apart (runLaserFiles).
func runLaserKey(config string, rig chatRig) (string, error) {
	fan, ok := rig.(mqtt.Fanout)
	if !ok {
		return configKey(config)
	}
	rigs := make([]string, len(fan))
	for i, r := range fan {
		rigs[i] = r.Topics.Base + "/" + r.Topics.Rig
	}
	slices.Sort(rigs)
	return "rigs\x00" + strings.Join(rigs, "\x00"), nil
}

// keyedStateFiles names, in the state directory, the file of one run or
// agent (key: its configuration's configKey, or what else tells it
// apart: keyedName), and the file under name itself, which an older
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
// file leaves every laser forbidden: the run goes on, and the panel's
// laser switch allows them again.
func restoreLasers(eng *control.Engine, log *slog.Logger) {
	kept, err := eng.RestoreLasers()
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
