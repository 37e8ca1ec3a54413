package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"periph.io/x/conn/v3/gpio"

	"github.com/cattease/cattease/actuators/pihost"
)

// exitHeld is halt's exit status when, after halt sent the emergency
// stop, a switch's GPIO line is held by the running instance with the
// same rules, so that halt could not drive it itself, and the instance
// has not recorded the stop in time. 1 is any other failure, 2 a mistake
// in the arguments.
const exitHeld = 3

// estopFile is where a run or agent records an emergency stop, in its
// state directory (rig.go's safety.Config.StopFile): written when the
// stop is taken, removed on resume.
const estopFile = "cattease-estop"

// Waiting for a signalled instance to record its stop (haltDeps.wait's
// default): the record is written off the instance's motion loop and
// synced to an SD card.
const (
	ackPoll    = 50 * time.Millisecond
	ackTimeout = 3 * time.Second
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
//
// A running instance holds its switches' GPIO lines, and the kernel gives
// a line to one process at a time: halt cannot drive those itself, and
// leaves them to the emergency stop it sent (heldByInstance). Once the
// instance has recorded the stop, they count as halted; if it does not
// within a few seconds, halt says so and exits 3 (exitHeld).
func cmdHalt(_ context.Context, args []string, s stdio) int {
	fs, path := newFlags("halt", s)
	fs.Usage = func() { // for `cattease help halt`, which prints the synopsis itself
		fs.PrintDefaults()
		fmt.Fprintln(fs.Output(), "exit status: 0 every output is off; 1 an output could not be switched off; 2 a mistake in the arguments (the outputs are halted all the same);")
		fmt.Fprintln(fs.Output(), "3 a switch's GPIO line is held by the running cattease, which has not recorded the emergency stop: make sure the laser is off")
	}
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

// haltDeps is what halt reaches beyond the files it reads: tests replace
// it.
type haltDeps struct {
	procRoot string                           // /proc: which pids run cattease
	pin      func(string) (gpio.PinIO, error) // pihost.Pin
	// wait is called before each re-check of whether the signalled
	// instances recorded their stop, with the attempt number from 1;
	// an error gives up. nil sleeps ackPoll and gives up after ackTimeout.
	wait func(attempt int) error
}

// halt is cmdHalt with its rules file at path.
func halt(path string, s stdio) int {
	return haltWith(path, s, haltDeps{procRoot: "/proc", pin: pihost.Pin})
}

func haltWith(path string, s stdio, d haltDeps) int {
	if err := haltHere(); err != nil { // Windows: the hardware is the Pi's
		fmt.Fprintln(s.err, err)
		return 1
	}
	dirs := haltStateDirs()
	stopped := stopInstance(dirs, path, d.procRoot, s.out, s.err)
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
	var busy []*busySwitch
	switches, axes := 0, 0
	for _, p := range plans {
		for _, err := range p.halt(d.pin) {
			// With an instance signalled, a busy line may well be its:
			// heldByInstance finds out. With none (systemd's
			// ExecStopPost, after the service ended) it is another
			// program's, an error as any other.
			var b *busySwitch
			if stopped > 0 && errors.As(err, &b) {
				busy = append(busy, b)
				continue
			}
			errs = append(errs, err)
		}
		switches, axes = switches+len(p.Switches), axes+len(p.Channels)
	}
	held, unconfirmed := d.heldByInstance(busy, dirs, path, s)
	errs = append(errs, held...)
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	if unconfirmed > 0 {
		return exitHeld
	}
	fmt.Fprintf(s.out, "halted %d switch(es) and %d axis/axes\n", switches, axes)
	// systemd sets SERVICE_RESULT for ExecStopPost, which runs after every
	// stop of the service: no person to warn there.
	if stopped == 0 && os.Getenv("SERVICE_RESULT") == "" {
		fmt.Fprintln(s.out, "no running cattease with this configuration was reached, so nothing keeps the outputs off: a service restarting after a crash starts again and plays; to keep it off: sudo systemctl stop cattease")
	}
	return 0
}

// runningInstance is a run or agent with the rules halt was given, as its
// pid file names it.
type runningInstance struct {
	dir  string // its state directory
	pid  int
	plan haltPlan // the hardware it drives
}

// holds reports whether the instance drives a switch on pin, however
// either spells it (config.PinKey: 17 is GPIO17).
func (in runningInstance) holds(pin string) bool {
	return slices.ContainsFunc(in.plan.Switches, func(sw haltSwitch) bool { return samePin(sw.Pin, pin) })
}

// heldByInstance sorts out the switches whose GPIO line was busy after
// halt had sent the emergency stop. A line a running instance with these
// rules drives is that instance's: the kernel gives it to one process at
// a time, so halt cannot drive it, and the instance's stop is what
// switches it off. The instance records the stop in its state directory
// (estopFile) when it takes it; once that is there, the switch counts as
// halted. One the instance did not confirm within the wait is reported on
// s.err and counted in unconfirmed. A line no such instance drives is
// another program's: its error is returned.
func (d haltDeps) heldByInstance(busy []*busySwitch, dirs []string, path string, s stdio) (errs []error, unconfirmed int) {
	if len(busy) == 0 {
		return nil, 0
	}
	var running []runningInstance
	now, _, _, _ := rulesHardware(path)
	for _, dir := range dirs {
		running = append(running, instancesIn(dir, path, now, d.procRoot, io.Discard, io.Discard)...)
	}
	holder := make([]int, len(busy)) // index into running, or -1
	var waitFor []string
	for i, b := range busy {
		holder[i] = slices.IndexFunc(running, func(in runningInstance) bool { return in.holds(b.sw.Pin) })
		if holder[i] < 0 {
			errs = append(errs, b)
		} else if dir := running[holder[i]].dir; !slices.Contains(waitFor, dir) {
			waitFor = append(waitFor, dir)
		}
	}
	confirmed := d.stopsRecorded(waitFor)
	for i, b := range busy {
		if holder[i] < 0 {
			continue
		}
		in := running[holder[i]]
		if confirmed[in.dir] {
			fmt.Fprintf(s.out, "switch %s (%s) is held by the running cattease (pid %d), which has stopped it (its emergency stop is recorded in %s)\n",
				b.sw.Name, b.sw.Pin, in.pid, filepath.Join(in.dir, estopFile))
			continue
		}
		fmt.Fprintf(s.err, "cattease: switch %s (%s) is held by the running cattease (pid %d), so halt could not drive it itself, and that instance has not recorded an emergency stop: make sure the output is off, or stop the service (sudo systemctl stop cattease)\n",
			b.sw.Name, b.sw.Pin, in.pid)
		unconfirmed++
	}
	return errs, unconfirmed
}

// instancesIn finds the runs and agents with state directory dir that
// halt stops for the rules at path, of which now is the hardware: the one
// holding their pid file (findInstance), and each holding another pid
// file there that was started through the same -c path (its symlink
// moved to another version since: pidRecord.sameRules) or drives some of
// now (haltPlan.shares). It says on out why it takes one with other
// rules, and on errw what it cannot tell.
func instancesIn(dir, path string, now haltPlan, procRoot string, out, errw io.Writer) []runningInstance {
	var found []runningInstance
	key, err := configKey(path)
	if err != nil {
		fmt.Fprintf(errw, "cattease: cannot tell whether an instance runs (%v); halting the hardware directly\n", err)
		return nil
	}
	given, err := givenPath(path)
	if err != nil {
		fmt.Fprintf(errw, "cattease: cannot tell whether an instance runs (%v); halting the hardware directly\n", err)
		return nil
	}
	own := pidFilePath(dir, key)
	pid, err := findInstance(dir, path, procRoot)
	switch {
	case errors.Is(err, errStale):
		fmt.Fprintf(out, "ignoring a stale pid file in %s: no cattease runs with this configuration\n", dir)
	case err != nil:
		fmt.Fprintf(errw, "cattease: cannot tell whether an instance runs (%v); halting the hardware directly\n", err)
	case pid > 0:
		if r, err := readPidRecord(own); err == nil && r.pid == pid {
			found = append(found, runningInstance{dir: dir, pid: pid, plan: r.plan()})
		}
	}
	for _, r := range pidRecords(dir) {
		if r.file == own || !r.held {
			continue
		}
		plan := r.plan()
		same := r.sameRules(key, given)
		if !same && !now.shares(plan) {
			continue
		}
		if !isCatteaseRun(procRoot, r.pid) {
			fmt.Fprintf(errw, "cattease: cannot tell whether an instance runs (%v); halting the hardware directly\n",
				fmt.Errorf("%s: pid %d is not a cattease run or agent", r.file, r.pid))
			continue
		}
		if same {
			fmt.Fprintf(out, "cattease pid %d runs %s, which %s named when it started\n", r.pid, r.key, given)
		} else {
			fmt.Fprintf(out, "cattease pid %d runs %s, on hardware these rules name\n", r.pid, r.key)
		}
		found = append(found, runningInstance{dir: dir, pid: r.pid, plan: plan})
	}
	return found
}

// stopsRecorded waits until each of dirs holds a recorded emergency stop,
// or the wait gives up, and says which do.
func (d haltDeps) stopsRecorded(dirs []string) map[string]bool {
	done := map[string]bool{}
	for attempt := 1; ; attempt++ {
		all := true
		for _, dir := range dirs {
			if !done[dir] {
				_, err := os.Stat(filepath.Join(dir, estopFile))
				done[dir] = err == nil
				all = all && done[dir]
			}
		}
		if all || !d.waitAck(attempt) {
			return done
		}
	}
}

// waitAck calls d.wait, or sleeps; false means give up.
func (d haltDeps) waitAck(attempt int) bool {
	if d.wait != nil {
		return d.wait(attempt) == nil
	}
	if time.Duration(attempt)*ackPoll > ackTimeout {
		return false
	}
	time.Sleep(ackPoll)
	return true
}
