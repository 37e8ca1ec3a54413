package pca9685

import (
	"context"
	"fmt"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/servo"
)

// Servo is one servo axis on a Board channel. It implements
// actuators.Actuator of kind axis: ActionAngle (degrees in the axis frame,
// mapped through the Calibration) and ActionDetach. Safe for concurrent
// use, Halt included.
//
// After Halt (or Board.AllOff) the next ActionAngle re-attaches, like the
// mock driver: refusing further commands is the safety envelope's job.
type Servo struct {
	b    *Board
	ch   int
	name string
	cal  servo.Calibration

	// Guarded by b.mu.
	attached bool
	ticks    int64
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
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if !attach {
		return s.detach()
	}
	return s.set(pulse)
}

// SetPulse outputs a raw pulse width, bypassing the angle calibration but
// not servo.Calibration.CheckJogPulse: for `cattease jog AXIS --pulse US`
// while finding a servo's ends. It implements servo.Jogger.
func (s *Servo) SetPulse(ctx context.Context, p time.Duration) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", s, err)
	}
	if err := s.cal.CheckJogPulse(p); err != nil {
		return fmt.Errorf("%s: %w", s, err)
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	return s.set(p)
}

// set writes pulse p. Callers hold b.mu.
//
// The four LEDn registers go in one auto-increment write, and the chip
// keeps every byte it acknowledged, applying them at the STOP that ends
// the transfer. A transfer broken off after OFF_L pairs the new low byte
// with the old high nibble: from 512 ticks (0x200) to 507 (0x1FB) that is
// 0x2FB, 3.7 ms, past every servo's end stop. So when the write fails,
// the channel's state is unknown: set tries once to switch it off with
// its full-off bit (one register, overriding whatever the others hold),
// and counts the servo as detached either way, so that the next command
// writes all four registers again. The error says whether the channel
// is off.
//
// Splitting the write into single-register writes would not help: no
// order of OFF_L and OFF_H keeps the value in between a partial write
// in range (0x0FF → 0x100 passes 0x000 or 0x1FF), except passing through
// full-off, which would drop pulses on every crossing of a 256-tick
// boundary in normal running.
func (s *Servo) set(p time.Duration) error {
	t := Ticks(p, s.b.osc, s.b.prescale)
	if err := s.b.setTicks(s.ch, t); err != nil {
		s.attached = false
		if ferr := s.b.fullOff(s.ch); ferr != nil {
			return fmt.Errorf("%s: pulse %v: %w (switching the channel off failed too: %w)", s, p, err, ferr)
		}
		return fmt.Errorf("%s: pulse %v: %w (the channel is switched off until the next command)", s, p, err)
	}
	s.attached, s.ticks = true, t
	return nil
}

// detach sets the channel's full-off bit. Callers hold b.mu.
func (s *Servo) detach() error {
	if err := s.b.fullOff(s.ch); err != nil {
		return fmt.Errorf("%s: detach: %w", s, err)
	}
	s.attached = false
	return nil
}

// Halt stops the pulses (full-off bit). It always writes, so it also
// repairs a channel some other process switched on. Idempotent.
func (s *Servo) Halt() error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	return s.detach()
}

// Attached reports whether the channel is believed to be pulsing, and the
// OFF count it was last given.
func (s *Servo) Attached() (attached bool, ticks int64) {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	return s.attached, s.ticks
}

// Calibration is the axis calibration the servo was created with.
func (s *Servo) Calibration() servo.Calibration { return s.cal }

// Channel is the PCA9685 channel, 0–15.
func (s *Servo) Channel() int { return s.ch }

func (s *Servo) String() string { return fmt.Sprintf("%s/ch%d:%s", s.b, s.ch, s.name) }

var (
	_ actuators.Actuator = (*Servo)(nil)
	_ servo.Jogger       = (*Servo)(nil)
)
