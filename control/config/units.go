package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Angle is an angle in degrees, written with its unit: "10°", "-7.5°" or
// "10deg".
type Angle float64

// Speed is an angular speed in degrees per second: "120°/s".
type Speed float64

// Accel is an angular acceleration in degrees per second squared:
// "600°/s²" (or "600°/s^2").
type Accel float64

// Duration is a time span written with its unit: "30s", "1.5ms", "500µs",
// "2m", "1h30m". A bare number is an error, except "0".
type Duration time.Duration

// Frequency is a frequency in hertz: "50Hz", "25MHz", "1.5kHz".
type Frequency float64

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

func (d Duration) String() string { return time.Duration(d).String() }

// unitError is reported as a yaml.TypeError so that yaml.v3 keeps decoding
// and every bad value in the file is reported, each with its position.
func unitError(n *yaml.Node, format string, args ...any) error {
	msg := fmt.Sprintf("%d:%d: ", n.Line, n.Column) + fmt.Sprintf(format, args...)
	return &yaml.TypeError{Errors: []string{msg}}
}

func scalar(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", unitError(n, "%s must be a single value such as %s", what, example[what])
	}
	return strings.TrimSpace(n.Value), nil
}

var example = map[string]string{
	"angle":       `"10°"`,
	"speed":       `"120°/s"`,
	"accel":       `"600°/s²"`,
	"duration":    `"30s" or "1.5ms"`,
	"frequency":   `"50Hz" or "25MHz"`,
	"quiet hours": `"23:00-08:00"`,
}

// number parses s with one of the given unit suffixes.
func number(s string, suffixes ...string) (float64, bool) {
	for _, suf := range suffixes {
		if rest, ok := strings.CutSuffix(s, suf); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, false
			}
			return v, true
		}
	}
	return 0, false
}

// ParseAngle parses "10°" or "10deg".
func ParseAngle(s string) (Angle, error) {
	v, ok := number(s, "°", "deg")
	if !ok {
		return 0, fmt.Errorf("config: bad angle %q: write degrees with a unit, e.g. \"10°\"", s)
	}
	return Angle(v), nil
}

// ParseSpeed parses "120°/s" or "120deg/s".
func ParseSpeed(s string) (Speed, error) {
	v, ok := number(s, "°/s", "deg/s")
	if !ok || v < 0 {
		return 0, fmt.Errorf("config: bad speed %q: write a non-negative speed with a unit, e.g. \"120°/s\"", s)
	}
	return Speed(v), nil
}

// ParseAccel parses "600°/s²", "600°/s^2" or "600deg/s2".
func ParseAccel(s string) (Accel, error) {
	v, ok := number(s, "°/s²", "°/s^2", "°/s2", "deg/s²", "deg/s^2", "deg/s2")
	if !ok || v < 0 {
		return 0, fmt.Errorf("config: bad acceleration %q: write a non-negative acceleration with a unit, e.g. \"600°/s²\"", s)
	}
	return Accel(v), nil
}

// ParseDuration parses a Go duration that carries a unit ("30s", "1.5ms").
func ParseDuration(s string) (Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || (d != 0 && strings.Trim(s, "+-0123456789.") == "") {
		return 0, fmt.Errorf("config: bad duration %q: write a duration with a unit, e.g. \"30s\" or \"1.5ms\"", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("config: bad duration %q: must not be negative", s)
	}
	return Duration(d), nil
}

// ParseFrequency parses "50Hz", "1.5kHz" or "25MHz".
func ParseFrequency(s string) (Frequency, error) {
	for _, u := range []struct {
		suf  string
		mult float64
	}{{"MHz", 1e6}, {"kHz", 1e3}, {"Hz", 1}} {
		if v, ok := number(s, u.suf); ok && v > 0 {
			return Frequency(v * u.mult), nil
		}
	}
	return 0, fmt.Errorf("config: bad frequency %q: write a positive frequency with a unit, e.g. \"25MHz\"", s)
}

func decodeUnit[T any](n *yaml.Node, what string, parse func(string) (T, error), dst *T) error {
	s, err := scalar(n, what)
	if err != nil {
		return err
	}
	v, err := parse(s)
	if err != nil {
		return unitError(n, "%s", strings.TrimPrefix(err.Error(), "config: "))
	}
	*dst = v
	return nil
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (a *Angle) UnmarshalYAML(n *yaml.Node) error { return decodeUnit(n, "angle", ParseAngle, a) }

// UnmarshalYAML implements yaml.Unmarshaler.
func (s *Speed) UnmarshalYAML(n *yaml.Node) error { return decodeUnit(n, "speed", ParseSpeed, s) }

// UnmarshalYAML implements yaml.Unmarshaler.
func (a *Accel) UnmarshalYAML(n *yaml.Node) error { return decodeUnit(n, "accel", ParseAccel, a) }

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	return decodeUnit(n, "duration", ParseDuration, d)
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (f *Frequency) UnmarshalYAML(n *yaml.Node) error {
	return decodeUnit(n, "frequency", ParseFrequency, f)
}
