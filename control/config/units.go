package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"
	"gopkg.in/yaml.v3"
)

// Angle is an angle in degrees, written with its unit: "10°", "-7.5°",
// "10度" or "10deg".
type Angle float64

// Speed is an angular speed in degrees per second: "120°/s", "120度/秒",
// "120deg/s" or "120 度每秒".
type Speed float64

// Accel is an angular acceleration in degrees per second squared:
// "600°/s²", "600度/秒²", "600deg/s2" or "600deg/s^2".
type Accel float64

// Duration is a time span written with its unit: "30s", "1.5ms", "500µs"
// (or "500us", "500微秒"), "2m", "1h30m", "3秒", "2分钟", "1小时", "20 s".
// A bare number is an error, except "0".
type Duration time.Duration

// Frequency is a frequency in hertz: "50Hz", "25MHz", "1.5kHz", "50赫兹",
// "25兆赫".
type Frequency float64

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

func (d Duration) String() string { return time.Duration(d).String() }

// The spellings the unit parsers accept after the number (spaces between
// the number and the unit, or inside the unit, are ignored; full-width
// letters and digits are read as ASCII). jsonschema.go builds the schema's
// patterns from the same tables, so an editor and `check` agree.
var (
	degreeUnits = []string{"°", "度", "deg", "º", "˚"}
	perSecond   = []string{"/s", "/秒", "每秒", "/sec"}
	perSecond2  = []string{"/s²", "/s^2", "/s2", "/秒²", "/秒^2", "/秒2", "/s/s", "/秒/秒"}
	freqUnits   = map[string]float64{
		"Hz": 1, "hz": 1, "赫": 1, "赫兹": 1,
		"kHz": 1e3, "KHz": 1e3, "khz": 1e3, "千赫": 1e3, "千赫兹": 1e3,
		"MHz": 1e6, "兆赫": 1e6, "兆赫兹": 1e6,
	}
	// durationUnits maps each spelling to time.ParseDuration's.
	durationUnits = map[string]string{
		"ns": "ns", "纳秒": "ns",
		"us": "us", "µs": "us", "μs": "us", "微秒": "us",
		"ms": "ms", "毫秒": "ms",
		"s": "s", "sec": "s", "秒": "s", "秒钟": "s",
		"m": "m", "min": "m", "分": "m", "分钟": "m",
		"h": "h", "小时": "h", "个小时": "h", "钟头": "h",
	}
	angleSet = set(degreeUnits)
	speedSet = set(combine(degreeUnits, perSecond))
	accelSet = set(combine(degreeUnits, perSecond2))
)

func combine(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

func set(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

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
	"angle":       `"10°" or "10度"`,
	"speed":       `"120°/s" or "120度/秒"`,
	"accel":       `"600°/s²" or "600度/秒²"`,
	"duration":    `"30s", "1.5ms" or "3秒"`,
	"frequency":   `"50Hz" or "25MHz"`,
	"quiet hours": `"23:00-08:00"`,
}

// measure splits s into a finite number and its unit, with the spaces
// around and inside the unit removed and full-width characters narrowed.
func measure(s string) (float64, string, bool) {
	s = strings.TrimSpace(width.Fold.String(s))
	i := numberEnd(s)
	v, err := strconv.ParseFloat(s[:i], 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, "", false
	}
	return v, strings.Join(strings.Fields(s[i:]), ""), true
}

// numberEnd returns the length of the decimal number at the start of s:
// a sign, digits and a point, and an exponent only when digits follow the
// "e" (so that "10deg" is 10 and "deg").
func numberEnd(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
		i++
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for i = j; i < len(s) && isDigit(s[i]); i++ {
			}
		}
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// ParseAngle parses "10°", "10度" or "10deg".
func ParseAngle(s string) (Angle, error) {
	v, u, ok := measure(s)
	if !ok || !angleSet[u] {
		return 0, fmt.Errorf("config: bad angle %q: write degrees with a unit, e.g. \"10°\" or \"10度\"", s)
	}
	return Angle(v), nil
}

// ParseSpeed parses "120°/s", "120度/秒", "120deg/s" or "120 度每秒".
func ParseSpeed(s string) (Speed, error) {
	v, u, ok := measure(s)
	if !ok || !speedSet[u] || v < 0 {
		return 0, fmt.Errorf("config: bad speed %q: write a non-negative speed with a unit, e.g. \"120°/s\" or \"120度/秒\"", s)
	}
	return Speed(v), nil
}

// ParseAccel parses "600°/s²", "600度/秒²", "600°/s^2" or "600deg/s2".
func ParseAccel(s string) (Accel, error) {
	v, u, ok := measure(s)
	if !ok || !accelSet[u] || v < 0 {
		return 0, fmt.Errorf("config: bad acceleration %q: write a non-negative acceleration with a unit, e.g. \"600°/s²\" or \"600度/秒²\"", s)
	}
	return Accel(v), nil
}

// ParseFrequency parses "50Hz", "1.5kHz", "25MHz", "50赫兹" or "25兆赫".
func ParseFrequency(s string) (Frequency, error) {
	v, u, ok := measure(s)
	mult, known := freqUnits[u]
	if !ok || !known || v <= 0 || math.IsInf(v*mult, 0) {
		return 0, fmt.Errorf("config: bad frequency %q: write a positive frequency with a unit, e.g. \"25MHz\"", s)
	}
	return Frequency(v * mult), nil
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
