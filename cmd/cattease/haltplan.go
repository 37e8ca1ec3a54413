package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"syscall"

	"periph.io/x/conn/v3/gpio"

	"github.com/cattease/cattease/actuators/gpioswitch"
	"github.com/cattease/cattease/actuators/pca9685"
	"github.com/cattease/cattease/actuators/pihost"
	"github.com/cattease/cattease/actuators/sysfspwm"
	"github.com/cattease/cattease/control/config"
)

// A haltPlan is what `cattease halt` needs to switch a rig off: each
// switch's pin and level, and where the servos' pulses are made. The
// process that drives the hardware keeps its plan in its pid file
// (pidfile.go), which outlives a crash, so that halt switches off what
// was really driven even when rules.yaml has since been edited or no
// longer parses.
type haltPlan struct {
	Driver   string       `json:"driver"` // "pca9685", "sysfspwm"; anything else has no servos to stop
	I2CBus   string       `json:"i2c_bus,omitempty"`
	Address  int          `json:"address,omitempty"`
	PWMRoot  string       `json:"pwm_root,omitempty"`
	PWMChip  string       `json:"pwm_chip,omitempty"`
	Channels []int        `json:"channels,omitempty"`
	Switches []haltSwitch `json:"switches,omitempty"`
}

type haltSwitch struct {
	Name      string `json:"name"`
	Pin       string `json:"pin"`
	ActiveLow bool   `json:"active_low,omitempty"`
	// Laser: the switch is a laser (its pin keys the laser file:
	// laserHardwareKey). Halt switches every switch off alike.
	Laser bool `json:"laser,omitempty"`
}

// planFor is the plan of the hardware f drives; a dry run or the mock
// drives none.
func planFor(f *config.File, dryRun bool) haltPlan {
	hw := f.Hardware
	if dryRun || hw.Driver == "mock" {
		return haltPlan{Driver: "mock"}
	}
	p := haltPlan{Driver: hw.Driver}
	switch hw.Driver {
	case "pca9685":
		p.I2CBus, p.Address = hw.PCA9685.I2CBus, hw.PCA9685.Address
	case "sysfspwm":
		p.PWMRoot, p.PWMChip = hw.SysfsPWM.Root, hw.SysfsPWM.Chip
	}
	for _, name := range sortedKeys(hw.Axes) {
		p.Channels = append(p.Channels, hw.Axes[name].Servo.Channel)
	}
	for _, name := range sortedKeys(hw.Switches) {
		sw := hw.Switches[name]
		p.Switches = append(p.Switches, haltSwitch{Name: name, Pin: sw.Pin, ActiveLow: sw.ActiveLow, Laser: sw.IsLaser(name)})
	}
	return p
}

// none reports whether p has nothing to switch off.
func (p haltPlan) none() bool {
	return p.Driver != "pca9685" && p.Driver != "sysfspwm" && len(p.Switches) == 0
}

// equal reports whether p and q drive the same hardware: what halt
// switches off. A switch's Laser flag is not of it (a pid file written
// before the flag has none), nor how its pin is spelt (config.PinKey: 17
// is GPIO17).
func (p haltPlan) equal(q haltPlan) bool {
	return p.Driver == q.Driver && p.I2CBus == q.I2CBus && p.Address == q.Address &&
		p.PWMRoot == q.PWMRoot && p.PWMChip == q.PWMChip &&
		slices.Equal(p.Channels, q.Channels) && slices.EqualFunc(p.Switches, q.Switches, func(a, b haltSwitch) bool {
		return a.Name == b.Name && samePin(a.Pin, b.Pin) && a.ActiveLow == b.ActiveLow
	})
}

// samePin reports whether two spellings of a GPIO pin name the same pin
// (config.PinKey).
func samePin(a, b string) bool {
	return config.PinKey(a) != "" && config.PinKey(a) == config.PinKey(b)
}

// shares reports whether p and q drive some of the same hardware: a
// switch's GPIO pin, the same PCA9685 (its I²C bus and address) or the
// same kernel PWM chip. A dry run or the mock drives none.
func (p haltPlan) shares(q haltPlan) bool {
	for _, a := range p.Switches {
		if slices.ContainsFunc(q.Switches, func(b haltSwitch) bool { return samePin(a.Pin, b.Pin) }) {
			return true
		}
	}
	switch {
	case p.Driver != q.Driver:
		return false
	case p.Driver == "pca9685":
		return p.Address == q.Address && (p.I2CBus == q.I2CBus || i2cDevice(p.I2CBus) != "" && i2cDevice(p.I2CBus) == i2cDevice(q.I2CBus))
	case p.Driver == "sysfspwm":
		return cmp.Or(p.PWMRoot, sysfspwm.DefaultRoot) == cmp.Or(q.PWMRoot, sysfspwm.DefaultRoot) && p.PWMChip == q.PWMChip
	}
	return false
}

// encode is p as one line of the pid file.
func (p haltPlan) encode() string {
	b, _ := json.Marshal(p) // strings, ints and bools only
	return string(b)
}

// decodePlan reads a plan written by encode.
func decodePlan(line string) (haltPlan, error) {
	var p haltPlan
	if err := json.Unmarshal([]byte(line), &p); err != nil {
		return haltPlan{}, fmt.Errorf("cattease: the hardware in the pid file: %w", err)
	}
	return p, nil
}

// halt switches every switch to its inactive level first, then stops
// every servo's pulses, carrying on past each failure, and returns the
// failures. pin looks a switch's pin up (pihost.Pin). A switch whose GPIO
// line another process holds fails with a *busySwitch.
func (p haltPlan) halt(pin func(string) (gpio.PinIO, error)) []error {
	if err := initPeriph(slog.New(slog.DiscardHandler)); err != nil {
		return []error{fmt.Errorf("cattease: halt: %w", err)}
	}
	var errs []error
	for _, sw := range p.Switches {
		errs = append(errs, sw.halt(pin))
	}
	switch p.Driver {
	case "pca9685":
		bus, err := pihost.OpenI2C(p.I2CBus)
		if err != nil {
			errs = append(errs, fmt.Errorf("cattease: halt pca9685: %w", err))
			break
		}
		errs = append(errs, pca9685.EmergencyStop(bus, uint16(p.Address)), bus.Close())
	case "sysfspwm":
		for _, ch := range p.Channels {
			errs = append(errs, sysfspwm.Stop(p.PWMRoot, p.PWMChip, ch))
		}
	}
	return slices.DeleteFunc(errs, func(err error) bool { return err == nil })
}

func (sw haltSwitch) halt(pinFor func(string) (gpio.PinIO, error)) error {
	pin, err := pinFor(sw.Pin)
	if err != nil {
		return fmt.Errorf("cattease: halt %s: %w", sw.Name, err)
	}
	s, err := gpioswitch.New(sw.Name, pin, sw.ActiveLow) // drives the inactive level at once
	if err != nil {
		err = fmt.Errorf("cattease: halt %s: %w", sw.Name, err)
		if lineBusy(err) {
			return &busySwitch{sw: sw, err: err}
		}
		return err
	}
	return s.Halt()
}

// busySwitch is a switch halt could not drive because another process
// holds its GPIO line: the kernel grants a line to one requester at a
// time, and a running cattease holds its switches' lines.
type busySwitch struct {
	sw  haltSwitch
	err error
}

func (b *busySwitch) Error() string { return b.err.Error() }
func (b *busySwitch) Unwrap() error { return b.err }

// lineBusy reports an EBUSY from requesting a GPIO line. periph's
// character-device driver keeps only the errno's text
// ("GPIOLine.Out(): line_request ioctl: device or resource busy").
func lineBusy(err error) bool {
	return errors.Is(err, syscall.EBUSY) || strings.Contains(err.Error(), syscall.EBUSY.Error())
}

// rulesHardware is the hardware the rules at path name now: planFor their
// hardware section, and the kernel PWM root halt may write under. When
// the rules do not load, loadErr says why and the hardware section alone
// is read; err says that did not load either.
func rulesHardware(path string) (p haltPlan, pwmRoot string, loadErr, err error) {
	f, loadErr := config.Load(path)
	if loadErr != nil {
		f, err = config.LoadHardware(path)
	}
	if err != nil {
		return haltPlan{}, sysfspwm.DefaultRoot, loadErr, err
	}
	return planFor(f, false), cmp.Or(f.Hardware.SysfsPWM.Root, sysfspwm.DefaultRoot), loadErr, nil
}

// haltPlans gathers what halt switches off for the rules at path: the
// hardware the rules name now (their hardware section alone when the rest
// does not load), and the hardware each instance started with these rules
// last drove (its pid file, in any of dirs, running or left by a crash:
// savedPlans), without repeats. It says on w where the two differ.
func haltPlans(path string, dirs []string, w io.Writer) ([]haltPlan, error) {
	var plans []haltPlan
	now, pwmRoot, loadErr, err := rulesHardware(path)
	if loadErr != nil {
		fmt.Fprintln(w, "cattease: rules do not load; halting with the hardware section alone:", loadErr)
	}
	if err == nil {
		plans = append(plans, now)
	}
	for _, dir := range dirs {
		for _, saved := range savedPlans(dir, path, now, pwmRoot, w) {
			if saved.none() || slices.ContainsFunc(plans, saved.equal) {
				continue
			}
			if !saved.sameRules {
				fmt.Fprintln(w, "cattease: a running cattease with other rules drives some of the hardware these rules name, and other hardware too; halting all of it")
			} else if err != nil {
				fmt.Fprintln(w, "cattease: halting the hardware a cattease started with these rules drove")
			} else {
				fmt.Fprintln(w, "cattease: a cattease started with these rules drove other hardware than they name now; halting both")
			}
			plans = append(plans, saved.haltPlan)
		}
	}
	if len(plans) == 0 {
		return nil, err
	}
	return plans, nil
}

// savedPlans reads the plans in the pid files in dir of the runs of the
// rules at path: its own pid file's, and every other's started through
// the same path (a symlink since swapped to another version: sameRules),
// alive or left by a crash; and the hardware of a live run that drives
// some of now, the hardware the rules name (instancesIn stops it). A pid
// file another user wrote (the service's, read by root's halt) may name
// only the kernel PWM root the rules name or the kernel's own (pwmRoot,
// sysfspwm.DefaultRoot): halt writes files under it, and would otherwise
// write wherever whoever runs as that user pointed it.
func savedPlans(dir, path string, now haltPlan, pwmRoot string, w io.Writer) []savedPlan {
	key, err := configKey(path)
	if err != nil {
		return nil
	}
	given, err := givenPath(path)
	if err != nil {
		return nil
	}
	var plans []savedPlan
	for _, r := range pidRecords(dir) {
		if strings.TrimSpace(r.hw) == "" {
			continue
		}
		p, err := decodePlan(r.hw)
		if err != nil {
			if r.sameRules(key, given) {
				fmt.Fprintln(w, err)
			}
			continue
		}
		if !r.sameRules(key, given) && !(r.held && now.shares(p)) {
			continue
		}
		if p.Driver == "sysfspwm" && !r.own && p.PWMRoot != pwmRoot && cmp.Or(p.PWMRoot, sysfspwm.DefaultRoot) != sysfspwm.DefaultRoot {
			fmt.Fprintf(w, "cattease: ignoring the kernel PWM root %s in %s: another user wrote it, and the rules name %s\n", p.PWMRoot, r.file, pwmRoot)
			p.Driver = ""
		}
		plans = append(plans, savedPlan{p, r.sameRules(key, given)})
	}
	return plans
}

// savedPlan is a plan from a pid file; sameRules: of a run of the rules
// halt was given, else of a live one on some of their hardware.
type savedPlan struct {
	haltPlan
	sameRules bool
}
