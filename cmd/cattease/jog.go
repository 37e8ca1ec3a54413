package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/servo"
)

// jogArgs is `jog [-c FILE] AXIS DEG` or `jog [-c FILE] AXIS --pulse US`,
// flags in any position (Go's flag package stops at the first argument).
type jogArgs struct {
	config string
	axis   string
	deg    float64
	pulse  time.Duration // 0 = move by angle
}

func parseJog(args []string) (jogArgs, error) {
	j := jogArgs{config: "rules.yaml"}
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch a {
		case "-c", "--c", "--pulse", "-pulse":
			if i+1 >= len(args) {
				return j, fmt.Errorf("%s needs a value", a)
			}
			i++
			if a == "-c" || a == "--c" {
				j.config = args[i]
				continue
			}
			us, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSuffix(args[i], "us"), "µs"), 64)
			if err != nil || us <= 0 {
				return j, fmt.Errorf("--pulse %q: give microseconds, e.g. 1500", args[i])
			}
			j.pulse = time.Duration(us * float64(time.Microsecond))
		default:
			pos = append(pos, a)
		}
	}
	switch {
	case len(pos) == 1 && j.pulse > 0:
		j.axis = pos[0]
	case len(pos) == 2 && j.pulse == 0:
		j.axis = pos[0]
		d, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSuffix(pos[1], "°"), "deg"), 64)
		if err != nil {
			return j, fmt.Errorf("angle %q: give degrees, e.g. -15", pos[1])
		}
		j.deg = d
	default:
		return j, errors.New("usage: cattease jog [-c rules.yaml] AXIS ±DEG | AXIS --pulse US")
	}
	return j, nil
}

// cmdJog moves one axis of the real hardware to an angle (or a raw pulse,
// for finding a servo's ends), holds it until Enter or Ctrl-C, then halts.
// Every switch is opened first and driven off: jogging never lights the
// laser.
func cmdJog(ctx context.Context, args []string, s stdio) int {
	j, err := parseJog(args)
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
		fmt.Fprintf(s.err, "cattease: no axis %q in %s (have %v)\n", j.axis, j.config, sortedKeys(f.Hardware.Axes))
		return 1
	}
	outs, closeHW, err := openOutputs(f, false, newLogger(s, false))
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
	if err := jog(ctx, outs[j.axis], j, s); err != nil {
		fmt.Fprintln(s.err, "cattease:", err)
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
