package sysfspwm

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/servo"
)

// Servo is one servo axis on a kernel PWM channel. It implements
// actuators.Actuator of kind axis (ActionAngle, ActionDetach) and
// servo.Jogger. Safe for concurrent use, Halt included. After Halt the
// next ActionAngle re-attaches, like the mock. After Close it drives
// nothing: the channel may belong to another axis by then.
type Servo struct {
	o    Opener
	dir  string // …/pwmchipN/pwmM
	key  string // its entry in claims
	chip string
	ch   int
	name string
	cal  servo.Calibration

	mu       sync.Mutex
	exported bool // this Servo wrote export (Close unexports)
	closed   bool // Close released the channel
	enabled  bool
	duty     time.Duration
}

func (s *Servo) export() error {
	if _, err := os.Stat(s.dir); errors.Is(err, fs.ErrNotExist) {
		chipDir := filepath.Dir(s.dir)
		switch err := s.o.write(chipDir, "export", strconv.Itoa(s.ch)); {
		case err == nil:
			s.exported = true
		case isBusy(err): // exported meanwhile by someone else
		default:
			return fmt.Errorf("export: %w", err)
		}
	}
	for attempt := 1; ; attempt++ {
		err := ready(s.dir)
		if err == nil {
			return nil
		}
		if werr := s.o.wait(attempt); werr != nil {
			return fmt.Errorf("%s not ready (%v): %w; is the user in the gpio group, or does a udev rule for the pwm subsystem exist?", s.dir, err, werr)
		}
	}
}

// configure brings the channel to 50 Hz, normal polarity, disabled, no
// pulses, in an order where every write is valid whatever state a
// previous user left.
//
// Linux applies the channel's whole state on every store, and refuses a
// state with period 0 before looking at anything else: while the period
// is 0 (a channel freshly exported after a boot: pwm-bcm2835 starts
// there, pwm-rp1 reads 0 while disabled) duty_cycle, enable and polarity
// all fail with EINVAL, and only period can be written. Such a channel
// is idle, so the period goes first. Otherwise the order is duty 0 (≤ any
// period), disable, polarity (only changeable while disabled), period.
func (s *Servo) configure() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	period, err := readInt(filepath.Join(s.dir, "period"))
	if err != nil {
		return err
	}
	want := strconv.FormatInt(int64(servo.Period), 10)
	if period == 0 {
		if err := s.o.write(s.dir, "period", want); err != nil {
			return err
		}
	}
	if err := s.o.write(s.dir, "duty_cycle", "0"); err != nil {
		return err
	}
	if err := s.o.write(s.dir, "enable", "0"); err != nil {
		return err
	}
	if b, err := os.ReadFile(filepath.Join(s.dir, "polarity")); err == nil && strings.TrimSpace(string(b)) != "normal" {
		if err := s.o.write(s.dir, "polarity", "normal"); err != nil {
			return err
		}
	}
	if period == 0 {
		return nil
	}
	return s.o.write(s.dir, "period", want)
}

// Do implements actuators.Actuator.
func (s *Servo) Do(ctx context.Context, c actuators.Command) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", s, err)
	}
	pulse, attach, err := s.cal.Decode(c)
	if err != nil {
		return fmt.Errorf("%s: %w", s, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return s.errClosed()
	}
	if !attach {
		return s.stop()
	}
	return s.set(pulse)
}

// SetPulse outputs a raw pulse width within the calibration's JogRange,
// for `cattease jog AXIS --pulse US`.
func (s *Servo) SetPulse(ctx context.Context, p time.Duration) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", s, err)
	}
	if err := s.cal.CheckJogPulse(p); err != nil {
		return fmt.Errorf("%s: %w", s, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return s.errClosed()
	}
	return s.set(p)
}

func (s *Servo) errClosed() error {
	return fmt.Errorf("%s: closed: %w", s, actuators.ErrHalted)
}

// set writes the pulse width, then enables if needed. Callers hold s.mu.
func (s *Servo) set(p time.Duration) error {
	if err := s.o.write(s.dir, "duty_cycle", strconv.FormatInt(int64(p), 10)); err != nil {
		return fmt.Errorf("%s: %w", s, err)
	}
	s.duty = p
	if !s.enabled {
		if err := s.o.write(s.dir, "enable", "1"); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
		s.enabled = true
	}
	return nil
}

// stop writes duty_cycle 0 then enable 0, both always, and reports both
// errors. Callers hold s.mu.
func (s *Servo) stop() error {
	errDuty := s.o.write(s.dir, "duty_cycle", "0")
	if errDuty == nil {
		s.duty = 0
	}
	errEnable := s.o.write(s.dir, "enable", "0")
	if errEnable == nil {
		s.enabled = false
	}
	if err := errors.Join(errDuty, errEnable); err != nil {
		return fmt.Errorf("%s: stop: %w", s, err)
	}
	return nil
}

// Halt stops the pulses: duty_cycle 0, enable 0. Idempotent; it always
// writes, except after Close, which stopped them and gave the channel up.
func (s *Servo) Halt() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	return s.stop()
}

// Close stops the pulses, then, if Open exported the channel, unexports
// it, and frees the channel for another Open. Commands afterwards are
// refused; Close again does nothing.
//
// The kernel does not stop a PWM on unexport. If stopping fails, Close
// returns the error and changes nothing else: the channel stays exported
// (so `cattease halt` can still stop it) and claimed, and a later Halt or
// Close tries again.
func (s *Servo) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	if err := s.stop(); err != nil {
		return fmt.Errorf("%w; left exported for a later halt", err)
	}
	s.closed = true
	release(s.key)
	if !s.exported {
		return nil
	}
	s.exported = false // stopped either way; a failed unexport leaves a harmless, idle channel
	if err := s.o.write(filepath.Dir(s.dir), "unexport", strconv.Itoa(s.ch)); err != nil {
		return fmt.Errorf("%s: unexport: %w", s, err)
	}
	return nil
}

// Attached reports whether pulses are enabled and their width.
func (s *Servo) Attached() (bool, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enabled && s.duty > 0, s.duty
}

// Calibration is the axis calibration the servo was opened with.
func (s *Servo) Calibration() servo.Calibration { return s.cal }

func (s *Servo) String() string {
	return fmt.Sprintf("sysfspwm:%s/pwm%d:%s", s.chip, s.ch, s.name)
}

var (
	_ actuators.Actuator = (*Servo)(nil)
	_ servo.Jogger       = (*Servo)(nil)
)
