package sysfspwm

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cattease/cattease/actuators/servo"
)

// DefaultRoot is where the kernel puts the PWM class.
const DefaultRoot = "/sys/class/pwm"

// Well-known PWM controllers (device names as in pwmchipN/device).
const (
	// Pi5PWM is the Pi 5's RP1 PWM0: channels 0–3 on GPIO12, 13, 18, 19
	// with dtoverlay=pwm-2chan (or pwm-2chan,pin=12,func=4,pin2=13,func2=4).
	Pi5PWM = "1f00098000.pwm"
	// Pi5FanPWM drives the Pi 5's cooling fan. This package refuses it.
	Pi5FanPWM = "1f0009c000.pwm"
	// Pi4PWM is the bcm2711 PWM of a Pi 4 (channel 0 = GPIO12/18,
	// 1 = GPIO13/19). Earlier models use another bus address; see
	// docs/hardware.md for how to look it up.
	Pi4PWM = "fe20c000.pwm"
)

// DefaultReadyTimeout is how long Open waits by default for the kernel and
// udev after an export (rppal waits up to 1 s; slow SD cards on a Pi Zero
// take longer).
const DefaultReadyTimeout = 2 * time.Second

const pollInterval = 10 * time.Millisecond

// Opener opens channels. Its zero value is what Open uses.
type Opener struct {
	// Wait is called before each re-check while an exported channel's
	// directory or files are missing or not yet writable, with the attempt
	// number from 1. Returning an error gives up. nil sleeps 10 ms and
	// gives up after DefaultReadyTimeout. Tests pass a function that plays
	// the kernel's part instead of sleeping.
	Wait func(attempt int) error

	// hook, if set, runs before every write with the path and value; an
	// error it returns is returned as the write's error (tests use it to
	// record the order of writes and to enforce the kernel's rules).
	hook func(path, value string) error
}

// Open opens channel of the PWM controller named chip (a device name like
// Pi5PWM, or a literal "pwmchipN") under root (DefaultRoot if empty) as
// servo axis name. The channel is left configured for 50 Hz, disabled,
// with no pulses, until the first ActionAngle. A channel is claimed by one
// axis at a time: opening it again before Close fails.
func Open(root, chip string, channel int, name string, cal servo.Calibration) (*Servo, error) {
	return Opener{}.Open(root, chip, channel, name, cal)
}

// Open is Open with o's settings.
func (o Opener) Open(root, chip string, channel int, name string, cal servo.Calibration) (*Servo, error) {
	if err := cal.Validate(); err != nil {
		return nil, fmt.Errorf("sysfspwm: %s: %w", name, err)
	}
	if _, hi := cal.JogRange(); hi >= servo.Period {
		return nil, fmt.Errorf("sysfspwm: %s: pulses up to %v do not fit a %v period", name, hi, servo.Period)
	}
	dir, err := o.channelDir(root, chip, channel)
	if err != nil {
		return nil, fmt.Errorf("sysfspwm: %s: %w", name, err)
	}
	key := claimKey(dir)
	if other, ok := claim(key, name); !ok {
		return nil, fmt.Errorf("sysfspwm: %s: channel %d of %s already drives %q; give each axis its own channel", name, channel, chip, other)
	}
	s := &Servo{o: o, dir: dir, key: key, chip: chip, ch: channel, name: name, cal: cal}
	if err := s.export(); err != nil {
		release(key)
		return nil, fmt.Errorf("%s: %w", s, err)
	}
	if err := s.configure(); err != nil {
		release(key)
		return nil, fmt.Errorf("%s: %w", s, err)
	}
	return s, nil
}

// Stop stops the pulses of channel on chip if it is exported (duty_cycle 0,
// then enable 0), without exporting, configuring or waiting: for `cattease
// halt` in a fresh process. A channel that is not exported has no sysfs
// user and is left alone. Nor is one whose period is 0: it is idle (no
// state was ever applied to it, or the controller reads it back disabled),
// and the kernel would refuse both writes with EINVAL.
func Stop(root, chip string, channel int) error {
	return Opener{}.Stop(root, chip, channel)
}

// Stop is Stop with o's settings.
func (o Opener) Stop(root, chip string, channel int) error {
	dir, err := o.channelDir(root, chip, channel)
	if err != nil {
		return fmt.Errorf("sysfspwm: stop: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "enable")); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if period, err := readInt(filepath.Join(dir, "period")); err == nil && period == 0 {
		return nil
	}
	return errors.Join(o.write(dir, "duty_cycle", "0"), o.write(dir, "enable", "0"))
}

// channelDir finds the chip and returns the (possibly not yet exported)
// channel directory, checking the channel number against npwm.
func (o Opener) channelDir(root, chip string, channel int) (string, error) {
	if root == "" {
		root = DefaultRoot
	}
	if chip == "" {
		return "", errors.New("no PWM chip configured (hardware.sysfspwm.chip, e.g. " + Pi5PWM + " on a Pi 5)")
	}
	if chip == Pi5FanPWM {
		return "", fmt.Errorf("%s is the Pi 5 cooling fan's PWM; servos go on %s", Pi5FanPWM, Pi5PWM)
	}
	chipDir, err := FindChip(root, chip)
	if err != nil {
		return "", err
	}
	n, err := readInt(filepath.Join(chipDir, "npwm"))
	if err != nil {
		return "", err
	}
	if channel < 0 || int64(channel) >= n {
		return "", fmt.Errorf("%s has channels 0..%d, not %d", chipDir, n-1, channel)
	}
	return filepath.Join(chipDir, "pwm"+strconv.Itoa(channel)), nil
}

// Chip is one PWM controller found under the sysfs root.
type Chip struct {
	Dir    string // e.g. /sys/class/pwm/pwmchip0
	Device string // basename of the device link, e.g. 1f00098000.pwm
}

// Chips lists the PWM controllers under root, sorted by directory.
func Chips(root string) ([]Chip, error) {
	dirs, err := filepath.Glob(filepath.Join(root, "pwmchip*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(dirs)
	chips := make([]Chip, 0, len(dirs))
	for _, d := range dirs {
		dev := "?"
		if l, err := os.Readlink(filepath.Join(d, "device")); err == nil {
			dev = filepath.Base(l)
		}
		chips = append(chips, Chip{Dir: d, Device: dev})
	}
	return chips, nil
}

// FindChip returns the pwmchipN directory under root whose device link ends
// in device, or, failing that, the one literally named device
// ("pwmchip0"). The error lists what there is.
func FindChip(root, device string) (string, error) {
	chips, err := Chips(root)
	if err != nil {
		return "", err
	}
	for _, c := range chips {
		if c.Device == device {
			return c.Dir, nil
		}
	}
	for _, c := range chips {
		if filepath.Base(c.Dir) == device {
			return c.Dir, nil
		}
	}
	if len(chips) == 0 {
		return "", fmt.Errorf("no PWM chips in %s: add dtoverlay=pwm-2chan to /boot/firmware/config.txt and reboot", root)
	}
	have := make([]string, len(chips))
	for i, c := range chips {
		have[i] = filepath.Base(c.Dir) + " = " + c.Device
	}
	return "", fmt.Errorf("no PWM chip %q in %s (have %s)", device, root, strings.Join(have, ", "))
}

func readInt(path string) (int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}

// write writes value to dir/file in one write(2), as sysfs wants. It never
// creates the file.
func (o Opener) write(dir, file, value string) error {
	path := filepath.Join(dir, file)
	if o.hook != nil {
		if err := o.hook(path, value); err != nil {
			return writeErr(value, path, err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return writeErr(value, path, err)
	}
	_, err = f.Write([]byte(value))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return writeErr(value, path, err)
	}
	return nil
}

// writeErr says which write failed, and what to do when /sys is
// read-only: the service's sandbox (ProtectKernelTunables) makes it so
// unless the unit has the sysfspwm drop-in, which the installer adds only
// for rules that use this driver when it runs.
func writeErr(value, path string, err error) error {
	if errors.Is(err, syscall.EROFS) {
		return fmt.Errorf("write %s to %s: %w (the service needs the sysfspwm drop-in: run deploy/install.sh again, or copy deploy/sysfspwm.conf to /etc/systemd/system/cattease.service.d/ and run systemctl daemon-reload)", value, path, err)
	}
	return fmt.Errorf("write %s to %s: %w", value, path, err)
}

// wait calls o.Wait or sleeps.
func (o Opener) wait(attempt int) error {
	if o.Wait != nil {
		return o.Wait(attempt)
	}
	if time.Duration(attempt)*pollInterval > DefaultReadyTimeout {
		return fmt.Errorf("gave up after %v", DefaultReadyTimeout)
	}
	time.Sleep(pollInterval)
	return nil
}

// channelFiles are the files Open and Do write; udev must have made them
// writable before the channel is usable.
var channelFiles = []string{"duty_cycle", "period", "enable"}

// ready reports whether every channel file exists and is writable by us.
// Opening for writing without writing changes nothing in sysfs.
func ready(dir string) error {
	for _, f := range channelFiles {
		fh, err := os.OpenFile(filepath.Join(dir, f), os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		fh.Close()
	}
	return nil
}

// isBusy reports EBUSY: export of an already exported channel.
func isBusy(err error) bool { return errors.Is(err, syscall.EBUSY) }
