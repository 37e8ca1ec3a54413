package main

import (
	"context"
	"fmt"
)

// cmdHalt switches every output of the configured hardware off from a
// fresh process: laser off, servo pulses stopped. systemd runs it after the
// service stops (ExecStopPost), whatever killed the service.
func cmdHalt(_ context.Context, args []string, s stdio) int {
	fs, path := newFlags("halt", s)
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return 2
	}
	f, _, err := loadRules(*path)
	if err != nil {
		printErrors(s, err)
		return 1
	}
	log := newLogger(s, false)
	outs, closeHW, err := openOutputs(f, false, log)
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	code := 0
	for _, name := range sortedKeys(outs) {
		if err := outs[name].Halt(); err != nil {
			fmt.Fprintf(s.err, "cattease: halt %s: %v\n", name, err)
			code = 1
		}
	}
	if closeHW != nil {
		if err := closeHW(); err != nil {
			fmt.Fprintln(s.err, "cattease:", err)
			code = 1
		}
	}
	if code == 0 {
		fmt.Fprintf(s.out, "halted %d output(s)\n", len(outs))
	}
	return code
}
