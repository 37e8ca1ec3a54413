package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/mqtt"
	"github.com/cattease/cattease/control/play"
	"github.com/cattease/cattease/danmu"
)

// agentFlags are cattease agent's flags.
type agentFlags struct {
	config, mqtt, rig, listen string
	dryRun, verbose, quiet    bool
}

func parseAgent(args []string, s stdio) (*agentFlags, bool) {
	fs, cfg := newFlags("agent", s)
	fl := &agentFlags{}
	fs.StringVar(&fl.mqtt, "mqtt", "", "MQTT broker, mqtt://host:1883 (default from rules.yaml mqtt.url)")
	fs.StringVar(&fl.rig, "rig", "", "this rig's name in topics (default from rules.yaml mqtt.rig, else \"cat\")")
	fs.BoolVar(&fl.dryRun, "dry-run", false, "drive mock outputs instead of hardware (same limits)")
	fs.StringVar(&fl.listen, "listen", "", "panel address (default from rules.yaml web.listen; \"off\" disables)")
	fs.BoolVar(&fl.verbose, "v", false, "debug logging")
	fs.BoolVar(&fl.quiet, "q", false, "no live view on the terminal")
	if fs.Parse(args) != nil || extraArgs(fs, "agent", s) {
		return nil, false
	}
	fl.config = *cfg
	return fl, true
}

// cmdAgent is `cattease agent`: the rig (drivers, safety envelope, play
// layer) and its panel on the Pi, driven by a `cattease run --rig` over
// the broker. It takes requests only from the broker; a lost link darkens
// the laser at once and the envelope's dead man parks the rig.
func cmdAgent(ctx context.Context, args []string, s stdio) (code int) {
	fl, ok := parseAgent(args, s)
	if !ok {
		return 2
	}
	log := newLogger(s, fl.verbose)
	f, rules, err := loadRulesFor(fl.config, fl.dryRun)
	if err != nil {
		printErrors(s, err)
		return 1
	}
	l, ok, err := resolveMQTT(f, fl.mqtt, fl.rig, log)
	if err == nil && !ok {
		err = errors.New("cattease: agent: no broker: add --mqtt URL or mqtt.url in rules.yaml")
	}
	if err != nil {
		printErrors(s, err)
		return 1
	}
	inst, err := startInstance(fl.config, planFor(f, fl.dryRun))
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	defer inst.release()
	view := newTerminalView(fl.quiet, f, s)
	wp, err := setupWeb(&runFlags{listen: fl.listen, quiet: fl.quiet}, f, s, log)
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	defer wp.close()
	mode := rigMode{dryRun: fl.dryRun, ledger: !fl.dryRun, rulesPath: fl.config}
	return withRig(f, mode, s, log, wp.output, func(r *rig) error {
		return runAgent(ctx, fl, f, rules, r, l, view, wp, inst, log)
	})
}

func runAgent(ctx context.Context, fl *agentFlags, f *config.File, rules *control.Rules, r *rig, l mqttLink, view *view, wp *webParts, inst *instance, log *slog.Logger) error {
	g := newGroup(ctx)
	defer g.cancel()                 // on an early return too
	g.halt, g.log = r.env.Abort, log // a panic anywhere: every output off at once
	tp := l.topics()
	c := newConn(g, withWill(l.opts, tp.AgentAvailability()))
	agent := &mqtt.Agent{Topics: tp, Rig: r.play, Log: l.opts.Log}
	// The panel's engine: the streamer's buttons on the Pi itself (stop,
	// resume, patterns); chat arrives through the run side only. Their
	// laser switch goes through the agent, which keeps it during an outage.
	opts := control.Options{Log: log, OnDecision: fanout([]func(control.Decision){view.decision, wp.decision})}
	if !fl.dryRun { // on the hardware, as the Pi's emergency stop (cattease-estop)
		var err error
		if opts.LaserFile, opts.LaserFileBefore, err = hardwareLaserFiles(agentLaserFile, fl.config, planFor(f, fl.dryRun)); err != nil {
			return err
		}
		noteOtherLaserFiles(agentLaserFile, opts.LaserFile, opts.LaserFileBefore, log)
		// The run side's stop and forbids, kept apart from the Pi's own
		// over a restart (read by Attach).
		if agent.RunFile, err = agentRunFilePath(tp, fl.config, planFor(f, fl.dryRun), log); err != nil {
			return err
		}
	}
	agent.Attach(c)
	eng, local, err := agentPanel(rules, r.play, agent, opts)
	if err != nil {
		return err
	}
	wp.attach(eng, local, nil, nil)
	wp.onPanic(g.onPanic)
	if fl.dryRun {
		log.Info("dry run: mock outputs, same limits", "config", fl.config)
	}
	log.Info("agent", "rig", tp.Rig, "broker", redactURL(l.cfg.URL), "requests", tp.Request())
	g.Go("motion", false, func(ctx context.Context) error { return r.env.Run(ctx, r.play.Pre) })
	g.Go("view", false, func(ctx context.Context) error { return view.run(ctx, r.play) })
	g.Go("signals", false, func(ctx context.Context) error { return inst.emergencyStops(ctx, eng, log) })
	g.Go("hangups", false, func(ctx context.Context) error { return ignoreHangups(ctx, hangups, log) })
	g.Go("systemd", false, func(ctx context.Context) error { return notifySystemd(ctx, newSdNotifier(), motionAlive(r.env), log) })
	g.Go("web", false, wp.serve)
	g.Go("panel engine", false, func(ctx context.Context) error { return eng.Run(ctx, make(chan []danmu.Event)) })
	g.Go("mqtt", false, func(ctx context.Context) error { return runLinked(ctx, g, "the agent", c, agent.Run) })
	return g.Wait()
}

// agentPanel builds the Pi's panel engine on the play layer, through the
// agent (agentPlay), and has the agent tell it when the run side's resume
// (the run's panel, chat's 继续) ends a stop given here: it is resumed
// too, so that the Pi's panel does not show the rig stopped, and drop its
// pattern buttons as stopped, while the rig plays; and when the run
// side's panel's laser switch lifts a forbid given here: it forgets it,
// so that its file (o.LaserFile) no longer forbids the laser after a
// restart. The forbid kept there from before this start is restored
// (restoreAgentLasers): through the agent, which takes it as the Pi's
// (local_off) and keeps it apart from the one it takes while the link is
// lost, which never reaches the engine, so never its file. Call it before
// the agent's connection and the motion loop run.
func agentPanel(rules *control.Rules, layer *play.Layer, agent *mqtt.Agent, o control.Options) (*control.Engine, agentPlay, error) {
	local := agentPlay{Layer: layer, agent: agent, following: new(atomic.Bool)}
	eng, err := control.New(rules, local, o)
	if err != nil {
		return nil, local, err
	}
	var one sync.Mutex
	follow := func(f func()) {
		one.Lock()
		defer one.Unlock()
		local.following.Store(true)
		defer local.following.Store(false)
		f()
	}
	agent.LocalResumed = func(now time.Time) {
		follow(func() { eng.Resume(now) }) // the rig is resumed already: the engine alone
	}
	agent.LocalAllowed = func(name string) {
		follow(func() { eng.SetLaser(name, true) }) // the agent allows it already: the engine alone
		if agent.LocalForbids(name) {
			// forbidden on the Pi again since the run side's allow: that
			// forbid holds, and is kept
			eng.SetLaser(name, false)
		}
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	restoreAgentLasers(eng, log)
	return eng, local, nil
}

// agentLaserFile names where the agent keeps the laser forbid of the
// Pi's own panel across a restart, in the state directory: a name of its
// own, as a run and an agent may share a machine and its state directory,
// keyed by the hardware the agent drives, as a run's is
// (cattease-agent-laser-off.HASH.json: hardwareLaserFiles), the name
// keyed by the configuration's path and the name itself being what older
// versions used, taken over once; with --dry-run nothing is kept, as
// nothing of the Pi's emergency stop is.
const agentLaserFile = "cattease-agent-laser-off.json"

// agentRunFile keeps, on the Pi, the run side's stop and laser forbids
// over the agent's restart (mqtt.Agent.RunFile), keyed by the rig's
// topics (agentRunFilePath).
const agentRunFile = "cattease-agent-run-holds.json"

// agentRunFilePath names, in the state directory, the file of the run
// side's stop and forbids of the agent of the rig tp (agentRunFile),
// keyed by its base topic and rig name: what the run side addresses
// (its --rig, and its own file of the rig: deviceFile), which moving the
// laser to another pin, or adding or removing a laser in the Pi's
// rules.yaml, does not change. The file an older cattease kept under the
// key of the agent's laser file (hardwareLaserFiles of config on hw) is
// taken over, moved to the new name, if none is there yet. Another run
// holds file left there while none is kept for this rig is noted in log
// (noteOtherRunFiles).
func agentRunFilePath(tp mqtt.Topics, config string, hw haltPlan, log *slog.Logger) (string, error) {
	file, err := statePath("", keyedName(agentRunFile, "rig\x00"+tp.Base+"\x00"+tp.Rig))
	if err != nil {
		return "", err
	}
	old, _, err := hardwareLaserFiles(agentRunFile, config, hw)
	if err != nil {
		return "", err
	}
	if _, err := os.Lstat(file); errors.Is(err, fs.ErrNotExist) && old != file {
		if _, err := os.Lstat(old); err == nil {
			if err := os.Rename(old, file); err != nil {
				return "", fmt.Errorf("cattease: taking over the run side's stop and forbids kept by an older cattease: %w", err)
			}
			log.Info("the run side's stop and laser forbid kept by an older cattease under the laser pins' key are kept under the rig's name now",
				"file", file, "was", old)
		}
	}
	noteOtherRunFiles(file, log)
	return file, nil
}

// noteOtherRunFiles says in log when no run side's stop and forbids are
// kept for this rig (file) but another agent run holds file is in the
// same directory: another rig's (a second agent on this machine), or this
// rig's from before its rig name or base topic changed, whose stop and
// forbids then do not hold here.
func noteOtherRunFiles(file string, log *slog.Logger) {
	if _, err := os.Lstat(file); !errors.Is(err, fs.ErrNotExist) {
		return // kept, or something unreadable, which restoreRun reads
	}
	ext := filepath.Ext(agentRunFile)
	found, _ := filepath.Glob(filepath.Join(filepath.Dir(file), strings.TrimSuffix(agentRunFile, ext)+".*"+ext))
	if len(found) > 0 {
		log.Warn("no run side's stop or laser forbid is kept on the Pi for this rig, but another agent's file of them is there: another rig's on this machine, or this rig's under another rig name or base topic; if it was this rig's, its stop and forbid do not hold here: give the rig its name back, or stop and forbid it from the run side if it should be",
			"files", found)
	}
}

// restoreAgentLasers forbids again the lasers the Pi's panel had
// forbidden before this start (control.Engine.RestoreLasers) and says so.
// An unreadable file leaves every laser forbidden: the agent goes on, and
// the Pi's panel (or the run side's laser switch) allows them again.
func restoreAgentLasers(eng *control.Engine, log *slog.Logger) {
	kept, err := eng.RestoreLasers()
	if err != nil {
		log.Error("the Pi panel's laser forbid kept from before this start is unreadable: every laser stays forbidden until the Pi's panel, or the run side's laser switch, allows it", "err", err)
		return
	}
	if !kept.Empty() {
		log.Warn("the Pi panel's laser forbid from before this start still holds: the Pi's panel, or the run side's laser switch, allows it again",
			"switches", slices.Concat(kept.Panel, kept.Chat))
	}
}

// agentPlay is the play layer as the Pi's panel and panel engine see it:
// the streamer's laser permission goes through the agent, so that a laser
// forbidden during an outage stays forbidden when the link is back; and
// so do the Pi's stop and resume (its panel, SIGUSR1, cattease halt), so
// that a Home Assistant device's Resume on the run side does not end a
// stop given here.
type agentPlay struct {
	*play.Layer
	agent *mqtt.Agent
	// following is set while the panel engine follows a resume or a
	// laser allow that the run side gave (agentPanel): the rig is not
	// resumed again, which could end a stop given since, nor the laser
	// allowed again, which could lift a forbid given since. A resume or
	// a laser allow of the Pi's panel at that very moment is not carried
	// out either (the safe side): press it again. A forbid always is.
	// Nil: never.
	following *atomic.Bool
}

func (p agentPlay) Enable(name string, on bool) bool {
	if on && p.following != nil && p.following.Load() {
		return true
	}
	return p.agent.Enable(name, on)
}
func (p agentPlay) Stop(now time.Time) safety.Report { return p.agent.Stop(now) }
func (p agentPlay) Resume(now time.Time) safety.Report {
	if p.following != nil && p.following.Load() {
		return safety.Report{}
	}
	return p.agent.Resume(now)
}
