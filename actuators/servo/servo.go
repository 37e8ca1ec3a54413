// Package servo holds what every hobby-servo driver shares: the 50 Hz frame
// and the per-axis Calibration that turns an angle into a pulse width.
//
// A Calibration never produces a pulse outside [PulseMin, PulseMax]: an
// angle that would land outside is refused with actuators.ErrOutOfRange, so
// a bad command or a bug upstream cannot drive a servo into its end stops.
//
// Frames: Commands carry degrees in the axis frame, where 0 is the
// calibrated centre the streamer chose with `cattease jog`. Trim shifts the
// axis frame against the servo's scale (axis 0° is servo Trim°), and Invert
// swaps which end of the pulse range an increasing angle moves towards.
package servo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/cattease/cattease/actuators"
)

// Period is the servo frame: 50 Hz. Every driver here uses it.
const Period = 20 * time.Millisecond

// Plausible pulse widths. They are not servo limits (those are the
// calibration's); they catch unit mistakes such as a pulse given in ms where
// µs were meant, before anything reaches hardware.
const (
	MinPlausiblePulse = 100 * time.Microsecond
	MaxPlausiblePulse = 3 * time.Millisecond
)

// Jog bounds: the raw pulses `cattease jog --pulse` accepts are the classic
// 500–2500 µs, widened to include the axis's calibrated range (see
// Calibration.JogRange). pigpio: "You can DAMAGE a servo if you command it to
// move beyond its limits", so jog goes no further without a config edit.
const (
	JogPulseMin = 500 * time.Microsecond
	JogPulseMax = 2500 * time.Microsecond
)

// MaxAngleSpan bounds AngleMax-AngleMin. Hobby servos travel 90–270°; a
// larger span is almost certainly a typo.
const MaxAngleSpan = 360.0

// Calibration maps angles of one axis to pulse widths, linearly:
// AngleMin ↔ PulseMin and AngleMax ↔ PulseMax (swapped when Invert).
type Calibration struct {
	// PulseMin and PulseMax are the pulse widths at the two ends of the
	// servo's safe travel, e.g. 500µs and 2500µs. PulseMin < PulseMax.
	PulseMin, PulseMax time.Duration
	// AngleMin and AngleMax are the servo angles in degrees those pulses
	// produce, e.g. -90 and 90. AngleMin < AngleMax.
	AngleMin, AngleMax float64
	// Invert makes increasing angles move towards PulseMin.
	Invert bool
	// Trim in degrees is added to every commanded angle before mapping:
	// it moves the axis's 0° to where the mount really is centred.
	Trim float64
}

// Default is a common SG90/MG90S calibration: 500–2500 µs over ±90°.
// Calibrate per unit; clones vary.
var Default = Calibration{
	PulseMin: 500 * time.Microsecond, PulseMax: 2500 * time.Microsecond,
	AngleMin: -90, AngleMax: 90,
}

// Validate reports every problem with c at once.
func (c Calibration) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("servo: "+format, a...)) }
	for _, p := range []struct {
		name string
		d    time.Duration
	}{{"pulse_min", c.PulseMin}, {"pulse_max", c.PulseMax}} {
		if p.d < MinPlausiblePulse || p.d > MaxPlausiblePulse {
			bad("%s %v outside the plausible servo range [%v, %v]", p.name, p.d, MinPlausiblePulse, MaxPlausiblePulse)
		}
	}
	if c.PulseMin >= c.PulseMax {
		bad("pulse_min %v must be below pulse_max %v", c.PulseMin, c.PulseMax)
	}
	finite := true
	for _, a := range []struct {
		name string
		v    float64
	}{{"angle_min", c.AngleMin}, {"angle_max", c.AngleMax}, {"trim", c.Trim}} {
		if math.IsNaN(a.v) || math.IsInf(a.v, 0) {
			bad("%s is %v", a.name, a.v)
			finite = false
		}
	}
	if finite {
		span := c.AngleMax - c.AngleMin
		switch {
		case !(span > 0):
			bad("angle_min %g° must be below angle_max %g°", c.AngleMin, c.AngleMax)
		case span > MaxAngleSpan:
			bad("angle range %g°..%g° spans more than %g°", c.AngleMin, c.AngleMax, MaxAngleSpan)
		case math.Abs(c.Trim) >= span/2:
			bad("trim %g° moves the centre outside the angle range %g°..%g°", c.Trim, c.AngleMin, c.AngleMax)
		}
	}
	return errors.Join(errs...)
}

// Range is the interval of axis-frame angles that Pulse accepts: the servo's
// angle range shifted by Trim.
func (c Calibration) Range() (lo, hi float64) {
	return c.AngleMin - c.Trim, c.AngleMax - c.Trim
}

// Pulse is the pulse width for deg degrees in the axis frame. It returns
// ErrOutOfRange (and no pulse) for NaN, ±Inf or an angle outside Range, and
// an error for an invalid calibration; otherwise the pulse lies in
// [PulseMin, PulseMax].
//
// The check is against Range itself, the interval `check` compares the
// axis limits with: deg+Trim may round just past AngleMin or AngleMax for
// an angle at an end of Range, and refusing it would fault the driver on
// every move to a limit the config was allowed to set.
func (c Calibration) Pulse(deg float64) (time.Duration, error) {
	if err := c.Validate(); err != nil {
		return 0, err
	}
	if math.IsNaN(deg) || math.IsInf(deg, 0) {
		return 0, fmt.Errorf("servo: angle %v: %w", deg, actuators.ErrOutOfRange)
	}
	lo, hi := c.Range()
	if deg < lo || deg > hi {
		return 0, fmt.Errorf("servo: angle %g° outside calibrated %g°..%g°: %w", deg, lo, hi, actuators.ErrOutOfRange)
	}
	a := min(max(deg+c.Trim, c.AngleMin), c.AngleMax) // only rounding can take it out
	t := (a - c.AngleMin) / (c.AngleMax - c.AngleMin)
	if c.Invert {
		t = 1 - t
	}
	span := float64(c.PulseMax - c.PulseMin)
	p := c.PulseMin + time.Duration(math.Round(t*span))
	// t is in [0, 1] by the clamp above; this clamp is belt and braces
	// against rounding, so the promise holds whatever the floats do.
	return min(max(p, c.PulseMin), c.PulseMax), nil
}

// Angle is the inverse of Pulse: the axis-frame angle a pulse width within
// [PulseMin, PulseMax] corresponds to, always within Range (so Pulse takes
// it back). Used to report where a jogged servo is. It returns
// ErrOutOfRange outside the calibrated pulses.
func (c Calibration) Angle(p time.Duration) (float64, error) {
	if err := c.Validate(); err != nil {
		return 0, err
	}
	if p < c.PulseMin || p > c.PulseMax {
		return 0, fmt.Errorf("servo: pulse %v outside calibrated %v..%v: %w", p, c.PulseMin, c.PulseMax, actuators.ErrOutOfRange)
	}
	t := float64(p-c.PulseMin) / float64(c.PulseMax-c.PulseMin)
	if c.Invert {
		t = 1 - t
	}
	lo, hi := c.Range()
	return min(max(c.AngleMin+t*(c.AngleMax-c.AngleMin)-c.Trim, lo), hi), nil
}

// JogRange is the raw pulse range `cattease jog --pulse` may use on this
// axis: [JogPulseMin, JogPulseMax] widened to include [PulseMin, PulseMax].
func (c Calibration) JogRange() (lo, hi time.Duration) {
	return min(JogPulseMin, c.PulseMin), max(JogPulseMax, c.PulseMax)
}

// CheckJogPulse returns ErrOutOfRange unless p lies in JogRange.
func (c Calibration) CheckJogPulse(p time.Duration) error {
	lo, hi := c.JogRange()
	if p < lo || p > hi {
		return fmt.Errorf("servo: raw pulse %v outside %v..%v: %w", p, lo, hi, actuators.ErrOutOfRange)
	}
	return nil
}

func (c Calibration) String() string {
	inv := ""
	if c.Invert {
		inv = " inverted"
	}
	return fmt.Sprintf("%v..%v for %g°..%g°%s trim %g°", c.PulseMin, c.PulseMax, c.AngleMin, c.AngleMax, inv, c.Trim)
}

// Decode checks cmd for a servo axis and maps it: an ActionAngle becomes
// (pulse, true), an ActionDetach (0, false). Other actions return
// ErrUnsupported, bad angles ErrOutOfRange; drivers then leave the output
// unchanged.
func (c Calibration) Decode(cmd actuators.Command) (pulse time.Duration, attach bool, err error) {
	switch cmd.Action {
	case actuators.ActionAngle:
		p, err := c.Pulse(cmd.Value)
		return p, err == nil, err
	case actuators.ActionDetach:
		return 0, false, nil
	default:
		return 0, false, fmt.Errorf("servo: %q on an axis: %w", cmd.Action, actuators.ErrUnsupported)
	}
}

// Jogger is implemented by the servo drivers (pca9685, sysfspwm), and by
// the mock for a dry run, for `cattease jog AXIS --pulse US`: output a raw
// pulse width, checked only against Calibration.JogRange, to find a
// servo's real ends.
type Jogger interface {
	SetPulse(ctx context.Context, p time.Duration) error
}
