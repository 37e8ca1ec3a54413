package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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
	agent.Attach(c)
	// The panel's engine: the streamer's buttons on the Pi itself (stop,
	// resume, patterns); chat arrives through the run side only. Their
	// laser switch goes through the agent, which keeps it during an outage.
	eng, local, err := agentPanel(rules, r.play, agent, control.Options{Log: log, OnDecision: fanout([]func(control.Decision){view.decision, wp.decision})})
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
// pattern buttons as stopped, while the rig plays. Set before the agent's
// connection runs.
func agentPanel(rules *control.Rules, layer *play.Layer, agent *mqtt.Agent, o control.Options) (*control.Engine, agentPlay, error) {
	local := agentPlay{Layer: layer, agent: agent, following: new(atomic.Bool)}
	eng, err := control.New(rules, local, o)
	if err != nil {
		return nil, local, err
	}
	var one sync.Mutex
	agent.LocalResumed = func(now time.Time) {
		one.Lock()
		defer one.Unlock()
		local.following.Store(true)
		defer local.following.Store(false)
		eng.Resume(now) // the rig is resumed already: the engine alone
	}
	return eng, local, nil
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
	// following is set while the panel engine follows a resume that the
	// run side gave (agentPanel): the rig is not resumed again, which
	// could end a stop given since. A resume of the Pi's panel at that
	// very moment is not carried out either (the safe side): press it
	// again. Nil: never.
	following *atomic.Bool
}

func (p agentPlay) Enable(name string, on bool) bool { return p.agent.Enable(name, on) }
func (p agentPlay) Stop(now time.Time) safety.Report { return p.agent.Stop(now) }
func (p agentPlay) Resume(now time.Time) safety.Report {
	if p.following != nil && p.following.Load() {
		return safety.Report{}
	}
	return p.agent.Resume(now)
}
