package pihost

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"periph.io/x/conn/v3/driver/driverreg"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2creg"
)

var (
	initOnce  sync.Once
	initState *driverreg.State
	initErr   error
)

// Init initialises the drivers once and returns what loaded, what was
// skipped (no hardware) and what failed. Pin and OpenI2C call it; call it
// yourself to log the state at startup (see Summary). On a Linux machine
// without GPIO or I²C it succeeds with everything skipped; on other systems
// it returns ErrUnsupported.
func Init() (*driverreg.State, error) {
	initOnce.Do(func() {
		initState, initErr = initDrivers()
		if initErr == ErrUnsupported {
			return
		}
		if initErr != nil {
			initErr = fmt.Errorf("pihost: periph init: %w", initErr)
		}
	})
	return initState, initErr
}

// Summary renders a driver state for logs: "loaded ioctl-gpio, sysfs-i2c;
// skipped sysfs-spi (no SPI port found)".
func Summary(s *driverreg.State) string {
	if s == nil {
		return "not initialised"
	}
	var loaded, skipped, failed []string
	for _, d := range s.Loaded {
		loaded = append(loaded, d.String())
	}
	for _, d := range s.Skipped {
		skipped = append(skipped, fmt.Sprintf("%s (%v)", d.D, d.Err))
	}
	for _, d := range s.Failed {
		failed = append(failed, fmt.Sprintf("%s (%v)", d.D, d.Err))
	}
	parts := []string{"loaded " + list(loaded)}
	if len(skipped) > 0 {
		parts = append(parts, "skipped "+list(skipped))
	}
	if len(failed) > 0 {
		parts = append(parts, "failed "+list(failed))
	}
	return strings.Join(parts, "; ")
}

func list(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}

// driverProblem returns why the named driver did not load, or "".
func driverProblem(s *driverreg.State, name string) string {
	if s == nil {
		return ""
	}
	for _, fs := range [][]driverreg.DriverFailure{s.Failed, s.Skipped} {
		for _, f := range fs {
			if f.D.String() == name {
				return fmt.Sprintf("%s: %v", name, f.Err)
			}
		}
	}
	return ""
}

// Pin returns the GPIO line called name ("GPIO17"; a bare number "17" means
// "GPIO17"). The error for a missing pin names it, lists some valid names
// and says how to list them all.
func Pin(name string) (gpio.PinIO, error) {
	state, err := Init()
	if err != nil {
		return nil, err
	}
	return findPin(name, state)
}

func findPin(name string, state *driverreg.State) (gpio.PinIO, error) {
	if name == "" {
		return nil, fmt.Errorf("pihost: no GPIO pin name given; %s", ListPinsHint)
	}
	if p := gpioreg.ByName(name); p != nil {
		return p, nil
	}
	if isDigits(name) {
		if p := gpioreg.ByName("GPIO" + name); p != nil {
			return p, nil
		}
	}
	// Each message is one format, whole, so that cmd/cattease's catalogue
	// can translate it (a Pi's first setup meets them all).
	all := gpioreg.All()
	if len(all) == 0 {
		why := driverProblem(state, "ioctl-gpio")
		if why == "" {
			why = errNoLines.Error()
		}
		if chips, _ := filepath.Glob("/dev/gpiochip*"); len(chips) > 0 {
			return nil, fmt.Errorf("pihost: no GPIO pin %q: %s; %s exist: can this user (uid %d) open them? add it to the gpio group; %s",
				name, why, strings.Join(chips, ", "), os.Getuid(), ListPinsHint)
		}
		return nil, fmt.Errorf("pihost: no GPIO pin %q: %s; is this a Raspberry Pi?; %s", name, why, ListPinsHint)
	}
	names := make([]string, 0, len(all))
	for _, p := range all {
		names = append(names, p.Name())
	}
	sort.Slice(names, func(i, j int) bool { return natLess(names[i], names[j]) })
	const show = 12
	if len(names) > show {
		return nil, fmt.Errorf("pihost: no GPIO pin %q (have %s and %d more); %s", name, strings.Join(names[:show], ", "), len(names)-show, ListPinsHint)
	}
	return nil, fmt.Errorf("pihost: no GPIO pin %q (have %s); %s", name, strings.Join(names, ", "), ListPinsHint)
}

// errNoLines is why findPin finds no line when the GPIO driver says
// nothing: a part of its message, never returned alone.
var errNoLines = errors.New("no GPIO lines registered")

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// natLess orders GPIO2 before GPIO10.
func natLess(a, b string) bool {
	pa, na := splitNum(a)
	pb, nb := splitNum(b)
	if pa != pb || na < 0 || nb < 0 {
		return a < b
	}
	return na < nb
}

func splitNum(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	if i == len(s) || len(s)-i > 6 {
		return s, -1
	}
	n := 0
	for _, r := range s[i:] {
		n = n*10 + int(r-'0')
	}
	return s[:i], n
}

// OpenI2C opens an I²C bus by name: "1" (the Pi header's SDA/SCL on GPIO2/3),
// "I2C1" or "/dev/i2c-1". The caller closes it, after halting the drivers
// that borrow it.
func OpenI2C(bus string) (i2c.BusCloser, error) {
	state, err := Init()
	if err != nil {
		return nil, err
	}
	if bus == "" {
		return nil, fmt.Errorf("pihost: no I²C bus named (hardware.pca9685.i2c_bus, usually \"1\")")
	}
	b, err := i2creg.Open(bus)
	if err != nil {
		var have []string
		for _, r := range i2creg.All() {
			have = append(have, r.Name)
		}
		if len(have) > 0 {
			return nil, fmt.Errorf("pihost: open I²C bus %q (have %s); %s", bus, strings.Join(have, ", "), I2CHint)
		}
		why := driverProblem(state, "sysfs-i2c")
		if why == "" {
			why = err.Error()
		}
		return nil, fmt.Errorf("pihost: open I²C bus %q: %s; %s", bus, why, I2CHint)
	}
	return b, nil
}
