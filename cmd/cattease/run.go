package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/cmd/cattease/internal/i18n"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

// Test hooks: tests see the rig they drive and may fail the decision path.
var (
	testHookRig      func(*rig)
	testHookDecision func(control.Decision)
	testHookOutput   func(safety.Output) // every output, e.g. to the safety monitor
)

type runFlags struct {
	config, record, listen, trace         string
	recordMax                             string // rotate the record at this size ("0": never)
	recordKeep                            int    // rotated records kept
	dryRun, stdin, verbose, quiet         bool
	bilibili, bilibiliAPI, bilibiliCookie string
	bilibiliCode, bilibiliOpenAPI         string // Bilibili Open Platform
	douyu, douyuAddr, douyuAPI            string
	mqtt                                  string  // broker of the Home Assistant bridge (mqtt.go)
	rigs                                  rigList // remote rigs: chat here, hardware on agents (mqtt.go)
}

func parseRun(args []string, s stdio) (*runFlags, bool) {
	fs, cfg := newFlags("run", s)
	fl := &runFlags{}
	fs.BoolVar(&fl.dryRun, "dry-run", false, "drive mock outputs instead of hardware (same limits)")
	fs.BoolVar(&fl.stdin, "stdin", false, "read chat lines from standard input (name: text, @mod name: text)")
	fs.StringVar(&fl.record, "record", "", "append every event received to this JSONL file")
	fs.StringVar(&fl.recordMax, "record-max", "100MB", "start a new record file at this size; the old one is renamed FILE-TIME (\"0\": never)")
	fs.IntVar(&fl.recordKeep, "record-keep", defaultLogKeep, "rotated record files kept; older ones are deleted")
	fs.StringVar(&fl.trace, "trace", "", "append every output the drivers receive to this JSONL file, each line written at once (check it with cattease verify)")
	fs.StringVar(&fl.listen, "listen", "", "overlay and panel address (default from rules.yaml web.listen; \"off\" disables)")
	fs.StringVar(&fl.bilibili, "bilibili", "", "Bilibili live room id (short ids such as 21 work)")
	fs.StringVar(&fl.bilibiliAPI, "bilibili-api", "", "base URL for Bilibili HTTP endpoints (tests, proxies)")
	fs.StringVar(&fl.bilibiliCookie, "bilibili-cookie", "", "file holding a Bilibili browser cookie (SESSDATA…); never logged")
	fs.StringVar(&fl.bilibiliCode, "bilibili-code", "", "Bilibili Open Platform 身份码 (live center); app credentials from rules.yaml sources.bilibili_open")
	fs.StringVar(&fl.bilibiliOpenAPI, "bilibili-open-api", "", "base URL of the Bilibili Open Platform API (tests, proxies)")
	fs.StringVar(&fl.douyu, "douyu", "", "Douyu room id")
	fs.StringVar(&fl.douyuAddr, "douyu-addr", "", "Douyu server: ws://, wss:// or tcp://host:port")
	fs.StringVar(&fl.douyuAPI, "douyu-api", "", "base URL for Douyu room-id lookups (tests, proxies)")
	fs.StringVar(&fl.mqtt, "mqtt", "", "MQTT broker for Home Assistant, mqtt://host:1883 (default from rules.yaml mqtt.url)")
	fs.Var(&fl.rigs, "rig", "drive the agent rig mqtt://broker:1883/NAME instead of local outputs (repeat for several)")
	fs.BoolVar(&fl.verbose, "v", false, "debug logging")
	fs.BoolVar(&fl.quiet, "q", false, "no live view on the terminal")
	if fs.Parse(args) != nil || extraArgs(fs, "run", s) {
		return nil, false
	}
	fl.config = *cfg
	return fl, true
}

func newLogger(s stdio, verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	w, zh := i18n.Unwrap(s.err) // logs translate their message only
	return slog.New(i18n.NewHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}), zh))
}

func cmdRun(ctx context.Context, args []string, s stdio) (code int) {
	fl, ok := parseRun(args, s)
	if !ok {
		return 2
	}
	if _, err := recordFlags(fl); err != nil { // a usage error, as the flags'
		fmt.Fprintln(s.err, err)
		return 2
	}
	tuneGC(os.Getenv)
	if len(fl.rigs) > 0 {
		if fl.trace != "" {
			// The outputs are the agents': this side sees none to write.
			fmt.Fprintf(s.err, "cattease: run: --trace does not go with --rig: the trace is written where the safety envelope runs, on the agent, and cattease agent has no --trace yet\n")
			return 2
		}
		return runRemote(ctx, fl, s) // mqtt.go
	}
	log := newLogger(s, fl.verbose)
	f, rules, err := loadRulesFor(fl.config, fl.dryRun) // the same validation as check
	if err == nil {
		err = checkFiles(f) // as check does: before any output is opened
	}
	if err != nil {
		printErrors(s, err)
		return 1
	}
	if !hasSource(fl, f) {
		fmt.Fprintln(s.err, errNoSource)
		return 2
	}
	if err := sameOutputFiles(fl, f); err != nil {
		fmt.Fprintln(s.err, err)
		return 2
	}
	inst, err := startInstance(fl.config, planFor(f, fl.dryRun))
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	defer inst.release() // last: after the outputs are halted
	view := newTerminalView(fl.quiet, f, s)
	wp, err := setupWeb(fl, f, s, log)
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	defer wp.close()
	trace, closeTrace, err := openOutputTrace(fl.trace, !fl.dryRun, log)
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	defer func() {
		if closeTrace() > 0 && code == 0 {
			code = 1 // --trace lost lines: what the run did cannot all be checked
		}
	}()
	onOutput := func(o safety.Output) { view.output(o); wp.output(o); trace.output(o) }
	mode := rigMode{dryRun: fl.dryRun, ledger: !fl.dryRun, rulesPath: fl.config}
	return withRig(f, mode, s, log, onOutput, func(r *rig) error {
		return runRig(ctx, fl, f, rules, r, view, wp, inst, trace, s, log)
	})
}

// runRig runs the chat side on the local rig, with its motion loop, the
// emergency-stop signals, systemd's watchdog and the Home Assistant bridge.
// The --trace file has a line for each emergency stop, from every side,
// the stop kept from before this start first.
func runRig(ctx context.Context, fl *runFlags, f *config.File, rules *control.Rules, r *rig, view *view, wp *webParts, inst *instance, trace outputTrace, s stdio, log *slog.Logger) error {
	c, err := newChat(fl, f, rules, r.play, view, wp, s, log)
	if err != nil {
		return err
	}
	if fl.dryRun {
		log.Info("dry run: mock outputs, same limits", "config", fl.config)
	}
	eng := c.eng
	trace.stops(eng)
	r.stopEngineIfLatched(eng)
	g := newGroup(ctx)
	g.halt, g.log = r.env.Abort, log // a panic anywhere: every output off at once
	wp.onPanic(g.onPanic)
	g.Go("motion", false, motionLoop(r, eng))
	g.Go("signals", false, func(ctx context.Context) error { return inst.emergencyStops(ctx, eng, log) })
	g.Go("systemd", false, func(ctx context.Context) error { return notifySystemd(ctx, newSdNotifier(), motionAlive(r.env), log) })
	g.Go("mqtt", false, func(ctx context.Context) error { return runBridge(ctx, g, fl, f, eng, r.play, log) })
	return c.wait(g, c.start(g))
}

// motionLoop is the rig's motion loop, which ticks the engine before each
// Step as a replay does (control.Engine.TickOnSteps), so that the live
// run's queue decides as its replay's. Call it before the engine's Run.
func motionLoop(r *rig, eng *control.Engine) func(context.Context) error {
	tick := eng.TickOnSteps(r.env.Tick())
	return func(ctx context.Context) error {
		return r.env.RunAfter(ctx, tick, r.play.Pre) // the engine's tick before the Step's time is read
	}
}

func fanout(fs []func(control.Decision)) func(control.Decision) {
	return func(d control.Decision) {
		for _, f := range fs {
			f(d)
		}
	}
}

// openAudit opens the decision log named in the config, if any: a
// relative path is inside the state directory.
func openAudit(f *config.File, log *slog.Logger) (*control.Trace, *logFile, error) {
	if f.Audit.File == "" {
		return nil, nil, nil
	}
	path, err := statePath(f.Audit.File, "")
	if err != nil {
		return nil, nil, err
	}
	return openAuditFile(path, log)
}

// minRecordMax is the least --record-max but 0: a size given without a
// unit is bytes, and --record-max 100 meant as megabytes rotated at every
// line, keeping the last few lines of the show.
const minRecordMax = 1 << 20

// recordFlags reads --record-max and checks --record-keep, which run
// does with the other flags, exit 2, before the rig is built or a file
// opened (local or --rig); openRecordFlags reads them again.
func recordFlags(fl *runFlags) (maxSize int64, err error) {
	size, err := parseSize(fl.recordMax)
	if err != nil {
		return 0, fmt.Errorf("cattease: --record-max: %w", err)
	}
	if size > 0 && size < minRecordMax {
		return 0, fmt.Errorf("cattease: --record-max %s: under 1MB a new file would start every few lines and --record-keep would throw the rest away; give a unit, e.g. 100MB (0: never)", fl.recordMax)
	}
	if fl.recordKeep < 0 {
		return 0, fmt.Errorf("cattease: --record-keep %d: give how many old record files to keep, 0 or more (0 keeps none)", fl.recordKeep)
	}
	return size, nil
}

// sameOutputFiles refuses a run whose --record, --trace and audit log
// (audit.file) are not three files: two writers appending to one file
// ruin both, replay and verify failing on each other's lines, and the
// trace cutting back over the other's for its gap line.
func sameOutputFiles(fl *runFlags, f *config.File) error {
	type output struct{ name, path string }
	var outs []output
	if fl.record != "" {
		outs = append(outs, output{"--record", fl.record})
	}
	if fl.trace != "" {
		outs = append(outs, output{"--trace", fl.trace})
	}
	if f.Audit.File != "" {
		path, err := statePath(f.Audit.File, "")
		if err != nil {
			return err
		}
		outs = append(outs, output{"audit.file", path})
	}
	for i, a := range outs {
		for _, b := range outs[i+1:] {
			if sameFile(a.path, b.path) {
				return fmt.Errorf("cattease: run: %s and %s are the same file, %s: each would ruin the other's lines; give them different files", a.name, b.name, b.path)
			}
		}
	}
	return nil
}

// sameFile reports whether paths a and b name one regular file: the
// same file when both exist (hard links too), else the same path once
// resolved as the open will (resolvePath): a file not made yet is reached
// through symbolic links as well, a dangling one or a linked directory.
// One terminal or pipe (--record /dev/stdout and audit.file /dev/stderr
// with 2>&1) is no one file: whole lines written to it ruin nothing, and
// nothing cuts it back.
func sameFile(a, b string) bool {
	ai, aerr := os.Stat(a)
	bi, berr := os.Stat(b)
	if aerr == nil && berr == nil {
		return os.SameFile(ai, bi) && ai.Mode().IsRegular()
	}
	ra, aok := resolvePath(a)
	rb, bok := resolvePath(b)
	if aok && bok {
		return ra == rb
	}
	// A directory missing, or a link loop: the open fails anyway.
	aa, aerr := filepath.Abs(a)
	ba, berr := filepath.Abs(b)
	return aerr == nil && berr == nil && aa == ba
}

// maxLinks bounds the symbolic links resolvePath follows, as the system
// does (ELOOP).
const maxLinks = 40

// resolvePath returns the absolute path of the file an open of p creates
// or appends to, whether or not it exists yet: the symbolic links of its
// directory resolved, and a symbolic link at its end followed, dangling
// or not (its target is the file made), up to maxLinks of them; false
// when a directory on the way is missing or the links loop.
func resolvePath(p string) (string, bool) {
	r, _, ok := resolveOutput(p)
	return r, ok
}

// resolveOutput is resolvePath, and says too whether p, or a link or
// directory on the way, is in /dev or /proc (but /dev/shm): a device's
// or a process's file, such as /dev/stdout, which is the run's standard
// output whatever it names (a pipe, a terminal, a file of the shell's),
// never a file of the run's own to rename.
func resolveOutput(p string) (resolved string, system, ok bool) {
	for range maxLinks {
		system = system || inSystemDir(p)
		dir, base := splitLast(p)
		rdir, err := filepath.EvalSymlinks(dir)
		if err == nil {
			rdir, err = filepath.Abs(rdir)
		}
		if err != nil {
			return "", system, false
		}
		q := filepath.Join(rdir, base)
		system = system || inSystemDir(q)
		fi, err := os.Lstat(q)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			return q, system, true // no link (or nothing yet): the file is q
		}
		target, err := os.Readlink(q)
		if err != nil {
			return "", system, false
		}
		if !filepath.IsAbs(target) && filepath.VolumeName(target) == "" {
			// Relative to the link's directory, resolved; not cleaned:
			// a ".." after a linked directory is the kernel's, not lexical.
			target = rdir + string(os.PathSeparator) + target
		}
		p = target
	}
	return "", system, false
}

// inSystemDir reports whether p is in /dev or /proc, but /dev/shm (a
// tmpfs of files like any other).
func inSystemDir(p string) bool {
	a, err := filepath.Abs(p)
	if err != nil {
		return false
	}
	a = filepath.ToSlash(a)
	in := func(d string) bool { return a == d || strings.HasPrefix(a, d+"/") }
	return (in("/dev") || in("/proc")) && !in("/dev/shm")
}

// splitLast splits p before its last element, uncleaned: "a/l/../f" is
// "a/l/.." and "f", where filepath.Dir would drop the linked l with its
// "..". A name alone is in ".".
func splitLast(p string) (dir, base string) {
	vol := filepath.VolumeName(p)
	i := len(p) - 1
	for i >= len(vol) && !os.IsPathSeparator(p[i]) {
		i--
	}
	switch {
	case i < len(vol):
		return vol + ".", p[len(vol):]
	case i == len(vol):
		return p[:i+1], p[i+1:] // the root
	}
	return p[:i], p[i+1:]
}
