package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
)

// cmdHalt puts the running instance that uses the same rules file (found
// by its pid file in the state directory) into emergency stop, then switches
// every configured output off from this fresh process: every
// switch driven to its inactive level first, then every servo's pulses
// stopped (the PCA9685's all-off register, or each kernel PWM disabled).
// systemd runs it after the service stops (ExecStopPost), whatever killed
// the service, so it makes do with the hardware section alone, halts what
// the instance really drove (its pid file) as well as what the rules name
// now, and carries on past each failure. A person's halt with no instance running (the service
// between a crash and its restart, say) switches the outputs off but keeps
// nothing stopped, and says so. A mistake in its arguments is reported,
// and the outputs are halted all the same (with the rules -c names, or
// the default), then it exits 2: a halt is never a no-op. Asking for help
// (-h, `cattease help halt`) is not a mistake: it halts nothing.
func cmdHalt(_ context.Context, args []string, s stdio) int {
	fs, path := newFlags("halt", s)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil || extraArgs(fs, "halt", s) {
		if code := halt(*path, s); code != 0 {
			return code
		}
		return 2
	}
	return halt(*path, s)
}

// halt is cmdHalt with its rules file at path.
func halt(path string, s stdio) int {
	if err := haltHere(); err != nil { // Windows: the hardware is the Pi's
		fmt.Fprintln(s.err, err)
		return 1
	}
	dirs := haltStateDirs()
	stopped := stopInstance(dirs, path, "/proc", s.out, s.err)
	plans, err := haltPlans(path, dirs, s.err)
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	plans = slices.DeleteFunc(plans, haltPlan.none)
	if len(plans) == 0 {
		fmt.Fprintln(s.out, "driver: mock; no hardware to halt")
		return 0
	}
	var errs []error
	switches, axes := 0, 0
	for _, p := range plans {
		errs = append(errs, p.halt())
		switches, axes = switches+len(p.Switches), axes+len(p.Channels)
	}
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	fmt.Fprintf(s.out, "halted %d switch(es) and %d axis/axes\n", switches, axes)
	// systemd sets SERVICE_RESULT for ExecStopPost, which runs after every
	// stop of the service: no person to warn there.
	if stopped == 0 && os.Getenv("SERVICE_RESULT") == "" {
		fmt.Fprintln(s.out, "no running cattease with this configuration was reached, so nothing keeps the outputs off: a service restarting after a crash starts again and plays; to keep it off: sudo systemctl stop cattease")
	}
	return 0
}
