package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/mqtt"
)

// rigList is the repeatable --rig flag: mqtt://broker:1883/NAME.
type rigList []string

func (r *rigList) String() string { return strings.Join(*r, ",") }
func (r *rigList) Set(s string) error {
	if _, _, err := splitRigURL(s); err != nil {
		return err
	}
	*r = append(*r, s)
	return nil
}

// splitRigURL splits mqtt://host:port/NAME into the broker URL and NAME.
func splitRigURL(s string) (broker, name string, err error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", "", errors.New("use mqtt://broker:1883/NAME")
	}
	name = strings.Trim(u.Path, "/")
	u.Path = ""
	broker = u.String()
	if err := config.CheckMQTTURL(broker); err != nil {
		return "", "", err
	}
	if !config.ValidRigName(name) {
		return "", "", fmt.Errorf("%q: the rig's name after the broker (mqtt://broker:1883/NAME): 1 to 32 letters, digits, - or _", u.Redacted())
	}
	return broker, name, nil
}

// mqttLink is a resolved mqtt section: the section with defaults, the
// broker URL (flag or file) and how to connect.
type mqttLink struct {
	cfg  config.MQTT
	opts mqtt.Options
}

// resolveMQTT reads the mqtt section, overridden by a --mqtt URL and a rig
// name; ok is false when MQTT is off (no URL anywhere).
func resolveMQTT(f *config.File, flagURL, rig string, log *slog.Logger) (mqttLink, bool, error) {
	if err := f.CheckMQTT(); err != nil {
		return mqttLink{}, false, err
	}
	m := f.MQTT.WithDefaults()
	if flagURL != "" {
		m.URL = flagURL
	}
	if rig != "" {
		m.Rig = rig
	}
	if m.URL == "" {
		return mqttLink{}, false, nil
	}
	if err := config.CheckMQTTURL(m.URL); err != nil {
		return mqttLink{}, false, fmt.Errorf("cattease: --mqtt: %w", err)
	}
	o := mqtt.Options{URL: m.URL, ClientID: "cattease-" + m.Rig, Log: log.With("part", "mqtt")}
	if m.Credentials != "" {
		path, err := configFile(m.Credentials) // relative: in the state directory
		if err != nil {
			return mqttLink{}, false, err
		}
		if o.Username, o.Password, err = mqtt.LoadCredentials(path); err != nil {
			return mqttLink{}, false, fmt.Errorf("cattease: %w", err)
		}
	}
	if u, _ := url.Parse(m.URL); u != nil && strings.HasSuffix(u.Scheme, "s") || m.CA != "" || m.Cert != "" {
		var files [3]string
		for i, name := range []string{m.CA, m.Cert, m.Key} {
			if name == "" {
				continue
			}
			var err error
			if files[i], err = configFile(name); err != nil {
				return mqttLink{}, false, err
			}
		}
		tlsCfg, err := mqtt.TLSConfig(files[0], files[1], files[2])
		if err != nil {
			return mqttLink{}, false, fmt.Errorf("cattease: %w", err)
		}
		o.TLS = tlsCfg
	}
	return mqttLink{cfg: m, opts: o}, true, nil
}

func (l mqttLink) topics() mqtt.Topics { return mqtt.Topics{Base: l.cfg.Base, Rig: l.cfg.Rig} }

func (l mqttLink) device(f *config.File, agent bool) mqtt.Device {
	model := "laser"
	if f.Kind() == config.RigWand {
		model = "wand"
	}
	return mqtt.Device{Prefix: l.cfg.Discovery, Version: version, Model: model,
		Policies: control.Policies(), AgentAvailability: agent, NoLaser: !f.HasLaser()}
}

// runBridge runs the Home Assistant bridge of a one-machine run in g
// until ctx is done; without an mqtt section or --mqtt it returns at
// once.
func runBridge(ctx context.Context, g *group, fl *runFlags, f *config.File, eng mqtt.Engine, rig mqtt.Rig, log *slog.Logger) error {
	l, ok, err := resolveMQTT(f, fl.mqtt, "", log)
	if err != nil || !ok {
		return err
	}
	c := newConn(g, withWill(l.opts, l.topics().Availability()))
	b := &mqtt.Bridge{Topics: l.topics(), Device: l.device(f, false), Engine: eng, Rig: rig,
		Control: l.cfg.Control, Log: l.opts.Log}
	b.Attach(c)
	log.Info("mqtt bridge", "broker", redactURL(l.cfg.URL), "state", l.topics().State(), "control", l.cfg.Control)
	return runLinked(ctx, g, "the Home Assistant bridge", c, b.Run)
}

func withWill(o mqtt.Options, topic string) mqtt.Options { o.Will = topic; return o }

// testHookConn sees every connection a run or an agent makes (tests).
var testHookConn func(*mqtt.Conn)

// newConn is a connection of the run in g: a panic in its handlers and
// callbacks ends the run as a panic in g does.
func newConn(g *group, o mqtt.Options) *mqtt.Conn {
	o.OnPanic = g.onPanic
	c := mqtt.NewConn(o)
	if testHookConn != nil {
		testHookConn(c)
	}
	return c
}

// runLinked runs a connection and the part that uses it, named what,
// until ctx is done; the connection says goodbye ("offline") last.
func runLinked(ctx context.Context, g *group, what string, c *mqtt.Conn, part func(context.Context) error) error {
	pctx, cancel := context.WithCancel(ctx)
	done := g.goSafe(what, func() error { return part(pctx) })
	err := c.Run(ctx, []byte("offline"))
	cancel()
	return errors.Join(err, <-done)
}

func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(unparsable)"
}

// cmdMQTT: cattease mqtt --unpublish removes a rig from Home Assistant.
func cmdMQTT(ctx context.Context, args []string, s stdio) int {
	fs, cfg := newFlags("mqtt", s)
	unpublish := fs.Bool("unpublish", false, "clear the rig's retained discovery, state and availability (Home Assistant removes the device)")
	broker := fs.String("mqtt", "", "broker URL, mqtt://host:1883 (default from rules.yaml mqtt.url)")
	rig := fs.String("rig", "", "the rig's name (default from rules.yaml mqtt.rig, else \"cat\")")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || !*unpublish {
		fmt.Fprintln(s.err, "usage: cattease mqtt --unpublish [-c rules.yaml] [--mqtt URL] [--rig NAME]")
		return 2
	}
	f, _, err := loadRulesFor(*cfg, true)
	if err != nil {
		printErrors(s, err)
		return 1
	}
	log := newLogger(s, false)
	l, ok, err := resolveMQTT(f, *broker, *rig, log)
	if err == nil && !ok {
		err = errors.New("cattease: mqtt: no broker: add --mqtt URL or mqtt.url in rules.yaml")
	}
	if err != nil {
		printErrors(s, err)
		return 1
	}
	if err := unpublishRig(ctx, l, f); err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	fmt.Fprintf(s.out, "rig %q removed from %s\n", l.cfg.Rig, redactURL(l.cfg.URL))
	if l.cfg.Discovery == "off" {
		// what a run with discovery on published is under the default
		// prefix, unless it was set otherwise then
		fmt.Fprintf(s.out, "discovery is off in rules.yaml: cleared Home Assistant's configs under %s/, the default prefix; if they were published under another, set mqtt.discovery to it and run this again\n", mqtt.DefaultPrefix)
	}
	return 0
}

func unpublishRig(ctx context.Context, l mqttLink, f *config.File) error {
	c := mqtt.NewConn(l.opts)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	errc := make(chan error, 1)
	c.OnUp(func(ctx context.Context) { errc <- mqtt.Unpublish(ctx, c, l.topics(), l.device(f, true)) })
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- c.Run(runCtx, nil) }()
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		err = fmt.Errorf("cattease: mqtt: broker %s not reached", redactURL(l.cfg.URL))
	}
	stop()
	return errors.Join(err, <-done)
}

// remoteRig is one agent the run side drives.
type remoteRig struct {
	conn   *mqtt.Conn
	remote *mqtt.Remote
	bridge *mqtt.Bridge
}

// openRemotes builds one Remote (and its Home Assistant bridge) per --rig,
// their connections in g. Each keeps its Home Assistant device's stop and
// laser forbid, and the run's, in the state directory (deviceFile), not
// with --dry-run, which keeps nothing there (as the emergency stop's
// cattease-estop).
func openRemotes(g *group, fl *runFlags, f *config.File, log *slog.Logger) ([]remoteRig, error) {
	var out []remoteRig
	// each rig's kept file, by its name case-folded: on a file system
	// that ignores case (macOS's, Windows') cat's and Cat's are one
	seen := map[string]mqtt.Topics{}
	for _, s := range fl.rigs {
		broker, name, err := splitRigURL(s)
		if err != nil {
			return nil, fmt.Errorf("cattease: --rig: %w", err)
		}
		l, _, err := resolveMQTT(f, broker, name, log)
		if err != nil {
			return nil, err
		}
		tp := l.topics()
		key := strings.ToLower(deviceFile(tp))
		if other, dup := seen[key]; dup && other == tp {
			return nil, fmt.Errorf("cattease: --rig %s: another --rig has the same base topic and rig name %q: give each rig its own name (their Home Assistant devices and kept stops would be one)", s, name)
		} else if dup {
			return nil, fmt.Errorf("cattease: --rig %s: its rig name %q and another --rig's %q differ only in case: on a file system that ignores case (macOS, Windows) their kept stops would be one file: give each rig a name that differs in more than case", s, name, other.Rig)
		}
		seen[key] = tp
		c := newConn(g, withWill(l.opts, tp.Availability()))
		// With control off no Home Assistant device can lift what it kept:
		// it is restored as the run's.
		r := &mqtt.Remote{Topics: tp, Log: l.opts.Log, Lasers: laserNames(f), NoDeviceControl: !l.cfg.Control}
		if !fl.dryRun {
			dir, err := prepareStateDir()
			if err != nil {
				return nil, err
			}
			r.StateFile = filepath.Join(dir, deviceFile(tp))
		}
		if err := r.Restore(); err != nil {
			// restored as the safe side: both stops, lasers forbidden by
			// both; or a forbid naming a laser the rules do not have (the
			// Pi's named otherwise), kept, with the rules' lasers too
			log.Error("remote rig: the stops and laser forbids kept for it are unreadable, or name a laser the rules do not have: held on the safe side", "rig", name, "err", err)
		}
		r.Attach(c)
		out = append(out, remoteRig{conn: c, remote: r, bridge: &mqtt.Bridge{Topics: tp, Device: l.device(f, true),
			Rig: r, Control: l.cfg.Control, Log: l.opts.Log.With("rig", name)}})
	}
	return out, nil
}

// deviceFile names the file in the state directory where the run side
// keeps a rig's stops and laser forbids (its Home Assistant device's and
// the run's): one per broker base topic and rig.
func deviceFile(tp mqtt.Topics) string {
	base := strings.Map(func(r rune) rune {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
			return r
		}
		return '_'
	}, tp.Base)
	return "cattease-device." + base + "." + tp.Rig + ".json"
}

// laserNames are the lasers the rules' hardware section names.
func laserNames(f *config.File) []string {
	var out []string
	for name, sw := range f.Hardware.Switches {
		if sw.IsLaser(name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// runRemote is `cattease run --rig mqtt://…/NAME`: chat, rules and
// decisions here, the rigs (envelope, play layer, hardware) on agents.
func runRemote(ctx context.Context, fl *runFlags, s stdio) int {
	log := newLogger(s, fl.verbose)
	f, rules, err := loadRulesFor(fl.config, true) // no outputs here: the agents check their own
	if err == nil {
		err = checkFiles(f)
	}
	if err != nil {
		printErrors(s, err)
		return 1
	}
	if !hasSource(fl, f) {
		fmt.Fprintln(s.err, errNoSource)
		return 2
	}
	if err := sameOutputFiles(fl, f); err != nil { // --record and audit.file (--trace is refused)
		fmt.Fprintln(s.err, err)
		return 2
	}
	g := newGroup(ctx)
	defer g.cancel() // on an early return too
	g.log = log      // no outputs here: the agents darken theirs when the link ends
	rigs, err := openRemotes(g, fl, f, log)
	if err != nil {
		printErrors(s, err)
		return 1
	}
	view := newTerminalView(fl.quiet, f, s)
	wp, err := setupWeb(fl, f, s, log)
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	defer wp.close()
	if err := runRemoteParts(g, fl, f, rules, rigs, view, wp, s, log); err != nil {
		log.Error("stopped", "err", err)
		return 1
	}
	return 0
}

// stopIfRunStopped puts eng into the emergency stop when the run's stop
// was kept from before this start (any rig's StateFile; restored as the
// run's with mqtt.control off), as a one-machine run does with the stop
// its envelope kept (stopEngineIfLatched): chat's commands are dropped,
// the panel and the overlay say stopped, and every rig is held by it
// until the run's resume (the panel's, chat's 继续). Call before chat
// starts.
func stopIfRunStopped(eng *control.Engine, fan mqtt.Fanout) {
	for _, r := range fan {
		if r.RunStopped() {
			eng.Stop(time.Now())
			return
		}
	}
}

// adoptRunForbids has eng take each laser a rig holds forbidden by the
// run from before this start (its kept file: the run's forbid, a Home
// Assistant device's kept as the run's with mqtt.control off, an
// unreadable file) that the run's own laser file (restored already) does
// not say chat's 关激光 forbade, as the panel's: a moderator's 开激光
// lifts only what chat forbade (control.Engine.AdoptPanelForbids). Call
// it after the rigs' Restore and the engine's RestoreLasers, before chat
// starts.
func adoptRunForbids(eng *control.Engine, fan mqtt.Fanout, log *slog.Logger) {
	adoptForbids(eng, fan.RunForbidden(), log)
}

// adoptForbids has eng take names, forbidden by the run on a rig though
// the engine did not forbid them, as the panel's (adoptRunForbids).
func adoptForbids(eng *control.Engine, names []string, log *slog.Logger) {
	if names := eng.AdoptPanelForbids(names); len(names) > 0 {
		log.Warn("a rig keeps from before this start a laser forbid of the run's that chat's 关激光 did not give: it holds as the panel's, which the panel's laser switch lifts, not a moderator's 开激光",
			"switches", names)
	}
}

// followAdoptedHolds has eng follow the run's stop and laser forbids a
// rig takes over from its agent's first state (mqtt.Remote.
// OnRunHoldsAdopted: the agent kept them for the run over its own
// restart, and this side kept nothing, a dry run or a state directory
// lost), as stopIfRunStopped and adoptRunForbids do at the start with
// what the rigs' files kept: the engine stops, so chat's commands are
// dropped (stopped) and the panel and the overlay say stopped, until the
// run's resume; the forbids hold as the panel's. Before, the rig was held
// stopped while the engine played on, accepting chat's commands the rig
// then refused. Call it before the rigs' connections run.
func followAdoptedHolds(eng *control.Engine, fan mqtt.Fanout, log *slog.Logger) {
	for _, r := range fan {
		rig := r.Topics.Rig
		r.OnRunHoldsAdopted = func(stop bool, forbids []string) {
			if stop && !eng.Status(time.Now()).Stopped {
				log.Warn("a rig holds the run's stop from before this start (its agent kept it over a restart): the run stops, until the run's resume (the panel's, chat's 继续)",
					"rig", rig)
				eng.Stop(time.Now())
			}
			adoptForbids(eng, forbids, log)
		}
	}
}

// runRemoteParts runs the chat side on the agents' rigs in g, each over
// its own MQTT link.
func runRemoteParts(g *group, fl *runFlags, f *config.File, rules *control.Rules, rigs []remoteRig, view *view, wp *webParts, s stdio, log *slog.Logger) error {
	fan := make(mqtt.Fanout, len(rigs))
	for i, r := range rigs {
		fan[i] = r.remote
	}
	c, err := newChat(fl, f, rules, fan, view, wp, s, log)
	if err != nil {
		return err
	}
	stopIfRunStopped(c.eng, fan)
	adoptRunForbids(c.eng, fan, log)
	followAdoptedHolds(c.eng, fan, log)
	wp.onPanic(g.onPanic)
	for _, r := range rigs {
		// The run's chat control, policy and patterns; the device's stop,
		// resume and laser switch act on its own rig (mqtt.DeviceRig).
		r.bridge.Engine = c.eng
		r.bridge.Attach(r.conn)
		g.Go("rig "+r.remote.Topics.Rig, false, func(ctx context.Context) error {
			return runLinked(ctx, g, "rig "+r.remote.Topics.Rig, r.conn, func(ctx context.Context) error {
				beats := g.goSafe("the heartbeats to rig "+r.remote.Topics.Rig, func() error { return r.remote.Run(ctx) })
				return errors.Join(r.bridge.Run(ctx), <-beats)
			})
		})
		log.Info("remote rig", "rig", r.remote.Topics.Rig, "control", r.bridge.Control)
	}
	return c.wait(g, c.start(g))
}
