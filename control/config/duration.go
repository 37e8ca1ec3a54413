package config

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"
)

// ParseDuration parses a duration that carries a unit: Go's own spellings
// ("30s", "1.5ms", "1h30m", "500µs"), "us" for µs, and the Chinese units
// ("3秒", "2分钟", "1小时30分", "500毫秒", "500微秒"), with or without
// spaces ("20 s"). A bare number is an error, except "0".
func ParseDuration(s string) (Duration, error) {
	g, err := goDuration(s)
	if err != nil {
		return 0, fmt.Errorf("config: bad duration %q: %w", s, err)
	}
	d, err := time.ParseDuration(g)
	if err != nil {
		return 0, fmt.Errorf("config: bad duration %q: write a duration with a unit, e.g. \"30s\", \"1.5ms\" or \"3秒\"", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("config: bad duration %q: must not be negative", s)
	}
	return Duration(d), nil
}

var errNoUnit = errors.New("write a duration with a unit, e.g. \"30s\", \"1.5ms\" or \"3秒\"")

// goDuration rewrites s in time.ParseDuration's spelling: each number
// followed by its unit, spaces dropped, Chinese units translated.
func goDuration(s string) (string, error) {
	s = strings.TrimSpace(width.Fold.String(s))
	if s == "0" || s == "+0" || s == "-0" {
		return "0", nil // a bare zero needs no unit
	}
	var b strings.Builder
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		b.WriteByte('-')
		s = rest
	} else {
		s = strings.TrimPrefix(s, "+")
	}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		num, unit, rest := durationPart(s)
		g, ok := durationUnits[unit]
		switch {
		case num == "" || unit == "":
			return "", errNoUnit
		case !ok:
			return "", fmt.Errorf("unknown unit %q: use ms, s, m, h or 毫秒, 秒, 分钟, 小时", unit)
		}
		b.WriteString(num + g)
		s = rest
	}
	if b.Len() == 0 || b.String() == "-" {
		return "", errNoUnit
	}
	return b.String(), nil
}

// durationPart splits the number and unit at the start of s from the rest.
func durationPart(s string) (num, unit, rest string) {
	i := 0
	for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
		i++
	}
	num, s = s[:i], strings.TrimLeftFunc(s[i:], unicode.IsSpace)
	j := strings.IndexFunc(s, func(r rune) bool { return r == '.' || unicode.IsDigit(r) || unicode.IsSpace(r) })
	if j < 0 {
		j = len(s)
	}
	return num, s[:j], s[j:]
}
