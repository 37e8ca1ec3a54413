package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/actuators/safety/plot"
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
	if fs.Parse(args) != nil || fs.NArg() != 1 {
		fmt.Fprintln(s.err, "usage: cattease replay [-c rules.yaml] [--strict] [--plot path.svg] FILE")
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
	trace := control.NewTrace(s.out)
	log := newLogger(s, false)
	rec := &plot.Recorder{}
	onOutput := trace.Output
	if *plotPath != "" {
		onOutput = func(o safety.Output) { trace.Output(o); rec.Add(o) }
	}
	r, err := buildRig(f, rigMode{dryRun: true, replay: true, rulesPath: *path}, time.Time{}, log, onOutput)
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
		opts.OnBadEvent = func(err error) { bad++; fmt.Fprintln(s.err, "skipped:", err) }
	}
	err = control.Replay(ctx, replay.NewDecoder(in), eng, r.play, opts)
	if ferr := trace.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	if bad > 0 {
		fmt.Fprintf(s.err, "%d bad line(s) skipped\n", bad)
	}
	if *plotPath != "" {
		if err := writePlot(*plotPath, rec, r.play.Snapshot(), f, fs.Arg(0)); err != nil {
			fmt.Fprintln(s.err, err)
			return 1
		}
	}
	return 0
}

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
