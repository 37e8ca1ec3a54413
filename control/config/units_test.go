package config

import (
	"math"
	"strings"
	"testing"
	"time"
)

// The spellings the parsers accept; the schema accepts each too
// (TestJSONSchemaAcceptsParsedSpellings).
var durationSpellings = map[string]time.Duration{
	"3秒": 3 * time.Second, "2分钟": 2 * time.Minute, "1小时": time.Hour, "500毫秒": 500 * time.Millisecond,
	"20 s": 20 * time.Second, "1.5ms": 1500 * time.Microsecond, "500us": 500 * time.Microsecond,
	"500µs": 500 * time.Microsecond, "500μs": 500 * time.Microsecond, "500微秒": 500 * time.Microsecond,
	"1h30m": 90 * time.Minute, "1小时30分": 90 * time.Minute, "1 小时 30 分钟": 90 * time.Minute,
	"30s": 30 * time.Second, "0": 0, "2min": 2 * time.Minute, "３秒": 3 * time.Second,
	"1.5秒": 1500 * time.Millisecond, "20m": 20 * time.Minute, "+5s": 5 * time.Second, "10秒钟": 10 * time.Second,
	"３０ｓ": 30 * time.Second, "１．５ｍｓ": 1500 * time.Microsecond, "１ｈ３０ｍ": 90 * time.Minute, "０": 0, "3　秒": 3 * time.Second,
}

func TestParseDurationSpellings(t *testing.T) {
	for s, want := range durationSpellings {
		if got, err := ParseDuration(s); err != nil || got.D() != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	bad := map[string]string{
		"30": "unit", "1.5": "unit", "0.0.0": "unit", "+-0": "unit", "-1s": "negative", "3 sex": `unknown unit "sex"`, "秒": "unit",
		"1 5s": "unit", "": "unit", "NaN秒": "with a unit", "99999999999h": "duration", "--1s": "unit", "1e3s": "unknown unit",
	}
	for s, want := range bad {
		_, err := ParseDuration(s)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "config: ") {
			t.Errorf("ParseDuration(%q) = %v, want an error about %q", s, err, want)
		}
	}
}

var (
	angleSpellings = map[string]float64{"10°": 10, "10度": 10, "10deg": 10, "-7.5 度": -7.5, "1e1°": 10, "１０度": 10,
		"２０度": 20, "－５°": -5, "１０　度": 10, "10 d e g": 10, "１ｅ１ｄｅｇ": 10}
	speedSpellings     = []string{"120°/s", "120度/秒", "120deg/s", "120 度每秒", "120 °/s", "120度/s", "１２０度／秒", "120 ° / s", "１２０ｄｅｇ／ｓ"}
	accelSpellings     = []string{"600°/s²", "600度/秒²", "600deg/s2", "600deg/s^2", "600°/s^2", "600 度/秒/秒", "６００度／秒²", "600 deg / s ^ 2"}
	frequencySpellings = map[string]float64{"50Hz": 50, "1.5kHz": 1500, "25MHz": 25e6, "25兆赫": 25e6, "50 赫兹": 50, "５０Ｈｚ": 50, "25 M Hz": 25e6}
)

func TestParseAngleSpeedAccelSpellings(t *testing.T) {
	for s, want := range angleSpellings {
		if got, err := ParseAngle(s); err != nil || float64(got) != want {
			t.Errorf("ParseAngle(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range speedSpellings {
		if got, err := ParseSpeed(s); err != nil || got != 120 {
			t.Errorf("ParseSpeed(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range accelSpellings {
		if got, err := ParseAccel(s); err != nil || got != 600 {
			t.Errorf("ParseAccel(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"120°", "120度/分", "fast", "1e999°/s", "-1度/秒"} {
		if _, err := ParseSpeed(s); err == nil {
			t.Errorf("ParseSpeed(%q) accepted", s)
		}
	}
	for _, s := range []string{"600°/s", "600度每秒", "inf°/s²"} {
		if _, err := ParseAccel(s); err == nil {
			t.Errorf("ParseAccel(%q) accepted", s)
		}
	}
}

func TestParseFrequencySpellings(t *testing.T) {
	for s, want := range frequencySpellings {
		if got, err := ParseFrequency(s); err != nil || float64(got) != want {
			t.Errorf("ParseFrequency(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"0Hz", "50", "1e308MHz", "NaNHz", "-5Hz", "5mHz"} {
		if _, err := ParseFrequency(s); err == nil {
			t.Errorf("ParseFrequency(%q) accepted", s)
		}
	}
}

// unitSeeds are the spellings the fuzzers start from.
var unitSeeds = []string{
	"3秒", "2分钟", "1小时", "500毫秒", "20 s", "1.5ms", "500us", "500µs", "500微秒", "1h30m", "0",
	"10°", "10度", "10deg", "-7.5°", "120°/s", "120度/秒", "120deg/s", "120 度每秒",
	"600°/s²", "600度/秒²", "600deg/s2", "600deg/s^2", "50Hz", "25MHz", "25兆赫", "1e308°", "9223372036854775807ns",
}

func FuzzParseUnits(f *testing.F) {
	for _, s := range unitSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		finite := func(what string, v float64) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s(%q) = %v accepted", what, s, v)
			}
		}
		if d, err := ParseDuration(s); err == nil && d < 0 {
			t.Fatalf("ParseDuration(%q) = %v, negative", s, d)
		}
		if v, err := ParseAngle(s); err == nil {
			finite("ParseAngle", float64(v))
		}
		if v, err := ParseSpeed(s); err == nil {
			finite("ParseSpeed", float64(v))
			if v < 0 {
				t.Fatalf("ParseSpeed(%q) = %v, negative", s, v)
			}
		}
		if v, err := ParseAccel(s); err == nil {
			finite("ParseAccel", float64(v))
		}
		if v, err := ParseFrequency(s); err == nil {
			finite("ParseFrequency", float64(v))
			if v <= 0 {
				t.Fatalf("ParseFrequency(%q) = %v, not positive", s, v)
			}
		}
	})
}
