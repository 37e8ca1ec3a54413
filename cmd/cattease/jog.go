package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/servo"
)

// jogArgs is `jog [-c FILE] [--dry-run] AXIS DEG` or
// `jog [-c FILE] [--dry-run] AXIS --pulse US`, flags in any position (Go's
// flag package stops at the first argument, and -15 is an angle here).
type jogArgs struct {
	config string
	axis   string
	deg    float64
	pulse  time.Duration // 0 = move by angle
	dryRun bool
}

const jogUsage = "usage: cattease jog [-c rules.yaml] [--dry-run] AXIS ±DEG | AXIS --pulse US"

// jogFlags declares jog's flags on j; pulse receives --pulse unparsed.
func jogFlags(j *jogArgs, pulse *string) *flag.FlagSet {
	fs := flag.NewFlagSet("cattease jog", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&j.config, "c", "rules.yaml", "the rules file")
	fs.BoolVar(&j.dryRun, "dry-run", false, "drive a mock output instead of the hardware (the same calibrated range)")
	fs.StringVar(pulse, "pulse", "", "output this raw pulse width in microseconds instead of an angle, to find a servo's ends (e.g. 1500)")
	return fs
}

// parseJog returns flag.ErrHelp for -h, -help and --help.
func parseJog(args []string) (jogArgs, error) {
	var j jogArgs
	var pulse string
	fs := jogFlags(&j, &pulse)
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" || isAngle(a) {
			pos = append(pos, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "h" || name == "help" {
			return j, flag.ErrHelp
		}
		fl := fs.Lookup(name)
		if fl == nil {
			return j, fmt.Errorf("jog: unknown flag %s (see cattease jog -h)", a)
		}
		flags = append(flags, a)
		if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) {
			if i+1 >= len(args) {
				return j, fmt.Errorf("jog: %s needs a value", a)
			}
			i++
			flags = append(flags, args[i])
		}
	}
	if err := fs.Parse(flags); err != nil {
		return j, fmt.Errorf("jog: %w", err)
	}
	if pulse != "" {
		us, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSuffix(pulse, "us"), "µs"), 64)
		if err != nil || us <= 0 {
			return j, fmt.Errorf("jog: --pulse %q: give microseconds, e.g. 1500", pulse)
		}
		j.pulse = time.Duration(us * float64(time.Microsecond))
	}
	switch {
	case len(pos) == 1 && j.pulse > 0:
		j.axis = pos[0]
	case len(pos) == 2 && j.pulse == 0:
		j.axis = pos[0]
		d, err := parseAngle(pos[1])
		if err != nil {
			return j, fmt.Errorf("jog: angle %q: give degrees, e.g. -15", pos[1])
		}
		j.deg = d
	default:
		return j, errors.New(jogUsage)
	}
	return j, nil
}

func parseAngle(s string) (float64, error) {
	return strconv.ParseFloat(strings.TrimSuffix(strings.TrimSuffix(s, "°"), "deg"), 64)
}

// isAngle tells a negative angle (-15, -7.5°) from a flag.
func isAngle(s string) bool {
	_, err := parseAngle(s)
	return err == nil
}

// cmdJog moves one axis of the hardware (or, with --dry-run, of a mock with
// the same calibrated range) to an angle or a raw pulse, for finding a
// servo's ends, holds it until Enter or Ctrl-C, then halts. Every switch
// is opened first and driven off: jogging never lights the laser.
func cmdJog(ctx context.Context, args []string, s stdio) int {
	j, err := parseJog(args)
	if errors.Is(err, flag.ErrHelp) {
		var pulse string
		fs := jogFlags(&jogArgs{}, &pulse)
		fs.SetOutput(s.out)
		fmt.Fprintln(s.out, jogUsage)
		fmt.Fprintln(s.out, "flags:")
		fs.PrintDefaults()
		return 0
	}
	if err != nil {
		fmt.Fprintln(s.err, "cattease:", err)
		return 2
	}
	f, _, err := loadRules(j.config)
	if err != nil {
		printErrors(s, err)
		return 1
	}
	if _, ok := f.Hardware.Axes[j.axis]; !ok {
		fmt.Fprintf(s.err, "cattease: jog: no axis %q in %s (have %v)\n", j.axis, j.config, sortedKeys(f.Hardware.Axes))
		return 1
	}
	if !j.dryRun {
		// The hardware is a running instance's: jogging under it would
		// re-initialise the servo board beneath its motion loop (on a
		// rig without a GPIO switch nothing else would stop it). The
		// instance's lock says so for the same rules and state directory;
		// the devices' own locks (hwlock.go) for any other cattease on
		// the machine. Holding the lock keeps one from starting.
		inst, err := startInstance(j.config, planFor(f, j.dryRun))
		if err != nil {
			fmt.Fprintln(s.err, err)
			return 1
		}
		defer inst.release()
	}
	outs, closeHW, err := openOutputs(f, j.dryRun, newLogger(s, false))
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	defer func() {
		for _, a := range outs {
			a.Halt()
		}
		closeHW()
	}()
	// A mock (--dry-run, or driver: mock) stands for the servo the rules
	// calibrate, so it takes the raw pulses that servo's driver would.
	if m, ok := outs[j.axis].(interface{ Calibrate(servo.Calibration) error }); ok {
		if err := m.Calibrate(f.Hardware.Axes[j.axis].Calibration()); err != nil {
			fmt.Fprintln(s.err, "cattease: jog:", err)
			return 1
		}
	}
	if j.dryRun {
		fmt.Fprintln(s.out, "dry run: a mock axis with the same range; no hardware moves")
	}
	if err := jog(ctx, outs[j.axis], j, s); err != nil {
		fmt.Fprintln(s.err, "cattease: jog:", err)
		return 1
	}
	return 0
}

func jog(ctx context.Context, a actuators.Actuator, j jogArgs, s stdio) error {
	if j.pulse > 0 {
		jg, ok := a.(servo.Jogger)
		if !ok {
			return fmt.Errorf("%s cannot output raw pulses", a)
		}
		if err := jg.SetPulse(ctx, j.pulse); err != nil {
			return err
		}
		fmt.Fprintf(s.out, "%s: pulse %v\n", a, j.pulse)
	} else {
		if err := a.Do(ctx, actuators.Command{Action: actuators.ActionAngle, Value: j.deg}); err != nil {
			return err
		}
		fmt.Fprintf(s.out, "%s: %+g°\n", a, j.deg)
	}
	fmt.Fprintln(s.out, "holding; press Enter (or Ctrl-C) to release")
	done := make(chan struct{})
	go func() { bufio.NewReader(s.in).ReadString('\n'); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	return a.Halt()
}
