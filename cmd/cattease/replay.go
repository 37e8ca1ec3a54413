package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/actuators/safety/plot"
	"github.com/cattease/cattease/cmd/cattease/internal/i18n"
	"github.com/cattease/cattease/control/config"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/danmu/replay"
)

// cmdReplay runs recorded events through the same rules, envelope and mock
// outputs on a virtual clock and prints the JSON-lines trace.
func cmdReplay(ctx context.Context, args []string, s stdio) int {
	fs, path := newFlags("replay", s)
	strict := fs.Bool("strict", false, "stop at the first bad line instead of skipping it")
	plotPath := fs.String("plot", "", "also draw the dot's path, the limits and the keep-out zones to this SVG file")
	verify := fs.Bool("verify", false, "check every output against the safety invariants with the independent monitor; print each violation and exit 1 if any")
	state := fs.Bool("state", false, "keep the daily laser account in safety.state_file, as a live run does (default: in memory)")
	if fs.Parse(args) != nil || fs.NArg() != 1 {
		fmt.Fprintln(s.err, "usage: cattease replay [-c rules.yaml] [--strict] [--verify] [--state] [--plot path.svg] FILE")
		return 2
	}
	f, rules, err := loadRules(*path)
	if err != nil {
		printErrors(s, err)
		return 1
	}
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(s.err, "cattease:", err)
		return 1
	}
	defer in.Close()
	// The trace is JSON lines for machines: write it below the translating
	// writer, which would copy and split a million lines for nothing.
	// Its lines are built on a goroutine of their own, beside the engine's.
	raw, _ := i18n.Unwrap(s.out)
	trace := control.NewPipedTrace(raw)
	defer trace.Close()
	log := newLogger(s, false)
	rec := &plot.Recorder{}
	var mon *monitor.Monitor
	if *verify {
		lim, err := monitor.FromConfig(f)
		if err != nil {
			fmt.Fprintln(s.err, err)
			return 1
		}
		mon = monitor.New(lim)
	}
	onOutput := func(o safety.Output) {
		trace.Output(o)
		if *plotPath != "" {
			rec.Add(o)
		}
		if mon != nil && o.Err == nil {
			mon.Output(monitorEvent(o))
		}
	}
	first, err := firstEventTime(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	r, err := buildRig(f, rigMode{dryRun: true, replay: true, ledger: *state, rulesPath: *path}, first, log, onOutput)
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	defer r.halt()
	eng, err := control.New(rules, r.play, control.Options{OnDecision: trace.Decision})
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	bad := 0
	opts := control.ReplayOptions{}
	if !*strict {
		opts.OnBadEvent = func(err error) {
			bad++
			switch {
			case bad <= maxShownBad:
				fmt.Fprintln(s.err, "skipped:", err)
			case bad == maxShownBad+1:
				fmt.Fprintf(s.err, "more bad lines: counted, not shown\n")
			}
		}
	}
	end, err := control.ReplayUntil(ctx, replay.NewDecoder(in), eng, r.play, opts)
	if *state { // the lasers go dark, then the account is saved as at a clean exit
		r.env.Park(nil)
		end = end.Add(r.env.Tick())
		r.play.Step(ctx, end)
		if serr := r.env.SaveState(); serr != nil && err == nil {
			err = serr
		}
	}
	if ferr := trace.Close(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	if bad > 0 {
		fmt.Fprintf(s.err, "%d bad line(s) skipped\n", bad)
	}
	if mon != nil {
		mon.End(end)
		if n := mon.Count(); n > 0 {
			for _, v := range mon.Violations() {
				fmt.Fprintln(s.err, "violation:", v)
			}
			fmt.Fprintf(s.err, "%d safety violation(s)\n", n)
			return 1
		}
	}
	if *plotPath != "" {
		if err := writePlot(*plotPath, rec, r.play.Snapshot(), f, fs.Arg(0)); err != nil {
			fmt.Fprintln(s.err, err)
			return 1
		}
	}
	return 0
}

// maxShownBad is how many skipped lines replay names on stderr; the rest
// are counted. A file that is no recording at all (a trace, say) would
// otherwise print a line of stderr for each of its lines.
const maxShownBad = 100

func writePlot(path string, rec *plot.Recorder, geo safety.State, f *config.File, input string) error {
	laser := ""
	for _, name := range sortedKeys(f.Hardware.Switches) {
		if f.Hardware.Switches[name].IsLaser(name) && laser == "" {
			laser = name
		}
	}
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("cattease: plot: %w", err)
	}
	err = rec.WriteSVG(out, geo, plot.Options{Title: "cattease replay: " + filepath.Base(input), Laser: laser})
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cattease: plot: %w", err)
	}
	return nil
}

// monitorEvent is an output in the monitor's terms (the trace's words).
func monitorEvent(o safety.Output) monitor.Event {
	action := string(o.Action)
	if o.Action == actuators.ActionAngle {
		action = "move"
	}
	return monitor.Event{Time: o.Time, Target: o.Target, Action: action, Value: o.Value}
}

// firstEventTime is the time of the first readable event in path: the
// rig starts there, so its day (for the daily budget) is the recording's.
func firstEventTime(path string) (time.Time, error) {
	in, err := os.Open(path)
	if err != nil {
		return time.Time{}, fmt.Errorf("cattease: %w", err)
	}
	defer in.Close()
	dec := replay.NewDecoder(in)
	for range 1000 {
		ev, err := dec.Next()
		if err == nil {
			return ev.Time, nil
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	return time.Time{}, nil
}
