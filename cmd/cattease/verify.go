package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/control/config"
)

// cmdVerify checks traces (from run --trace or replay) with the
// independent safety monitor and prints every violation, with the file and
// line it was found at. A file it cannot check to its end (a line the
// trace does not write) is an error, printed after the violations found
// before it, and the files after it are not checked. Lines lost to a full
// disk (a gap line) are an error too, but only the part of their run from
// the gap on goes unchecked: the runs after it and the files after it are
// checked, and each file's gap is printed after every violation.
func cmdVerify(_ context.Context, args []string, s stdio) int {
	fs, path := newFlags("verify", s)
	if fs.Parse(args) != nil || fs.NArg() == 0 {
		fmt.Fprintln(s.err, "usage: cattease verify [-c rules.yaml] TRACE...")
		return 2
	}
	f, err := config.Load(*path)
	if err != nil {
		printErrors(s, err)
		return 1
	}
	lim, err := monitor.FromConfig(f)
	if err != nil {
		fmt.Fprintln(s.err, "cattease:", err)
		return 1
	}
	mon := monitor.New(lim)
	warn := func(name string) func(error) {
		return func(err error) { fmt.Fprintf(s.err, "warning: %s: %v\n", name, err) }
	}
	var (
		ends []int   // the end of each file's violations in mon's
		gaps []error // the files' gap errors, in order
	)
	for i, name := range fs.Args() {
		err := verifyFile(mon, name, warn(name))
		ends = append(ends, min(mon.Count(), monitor.MaxStored))
		if errors.Is(err, monitor.ErrLost) {
			// The file was read to its end, its runs ended: the
			// next file is checked as if this one had no gap.
			gaps = append(gaps, err)
			continue
		}
		if err != nil {
			printViolations(s, mon, fs.Args()[:i+1], ends)
			for _, err := range append(gaps, err) {
				fmt.Fprintln(s.err, err)
			}
			return 1
		}
	}
	printViolations(s, mon, fs.Args(), ends)
	for _, err := range gaps {
		fmt.Fprintln(s.err, err)
	}
	if len(gaps) > 0 {
		return 1
	}
	if n := mon.Count(); n > 0 {
		fmt.Fprintf(s.err, "%d safety violation(s)\n", n)
		return 1
	}
	fmt.Fprintln(s.out, "ok: no safety violation")
	return 0
}

// printViolations prints mon's violations, each with the file it was
// found in (ends[i] is the end of names[i]'s) and the line.
func printViolations(s stdio, mon *monitor.Monitor, names []string, ends []int) {
	f := 0
	for i, v := range mon.Violations() {
		for f < len(ends)-1 && i >= ends[f] {
			f++
		}
		if v.Line > 0 {
			fmt.Fprintf(s.err, "violation: %s:%d: %v\n", names[f], v.Line, v)
		} else {
			fmt.Fprintln(s.err, "violation:", v)
		}
	}
}

// verifyFile feeds the trace in the file name to mon; warn is told of
// each torn line (what a power cut leaves), which ends that run's part.
func verifyFile(mon *monitor.Monitor, name string, warn func(error)) error {
	fh, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("cattease: %w", err)
	}
	defer fh.Close()
	if err := monitor.ReadTraceWarn(fh, mon, warn); err != nil {
		return fmt.Errorf("cattease: %s: %w", name, err)
	}
	return nil
}
