package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/danmu/replay"
)

// cmdReplay runs recorded events through the same rules, envelope and mock
// outputs on a virtual clock and prints the JSON-lines trace.
func cmdReplay(ctx context.Context, args []string, s stdio) int {
	fs, path := newFlags("replay", s)
	strict := fs.Bool("strict", false, "stop at the first bad line instead of skipping it")
	if fs.Parse(args) != nil || fs.NArg() != 1 {
		fmt.Fprintln(s.err, "usage: cattease replay [-c rules.yaml] [--strict] FILE")
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
	r, err := buildRig(f, rigMode{dryRun: true, replay: true, rulesPath: *path}, time.Time{}, log, trace.Output)
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	defer r.halt()
	eng, err := control.New(rules, r.env, control.Options{OnDecision: trace.Decision})
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	bad := 0
	opts := control.ReplayOptions{}
	if !*strict {
		opts.OnBadEvent = func(err error) { bad++; fmt.Fprintln(s.err, "skipped:", err) }
	}
	err = control.Replay(ctx, replay.NewDecoder(in), eng, r.env, opts)
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
	return 0
}
