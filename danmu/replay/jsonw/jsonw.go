// Package jsonw appends JSON values to byte slices exactly as
// encoding/json encodes them with SetEscapeHTML(false), without reflection:
// the building blocks of the --record writer, the audit log and the replay
// trace, whose lines must stay byte-for-byte what encoding/json wrote.
package jsonw

import (
	"errors"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/cattease/cattease/danmu/internal/jsonesc"
)

const hex = "0123456789abcdef"

// String appends s as a JSON string: '"' and '\\' escaped, control
// characters as \b \f \n \r \t or \u00XX, invalid UTF-8 as \ufffd, U+2028
// and U+2029 escaped; '<', '>' and '&' left as they are.
func String(dst []byte, s string) []byte {
	dst = append(dst, '"')
	i := 0
	for i < len(s) && jsonesc.Plain[s[i]] {
		i++ // the common case: ASCII that needs no escape
	}
	if i == len(s) {
		dst = append(dst, s...)
		return append(dst, '"')
	}
	start := 0
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		if plain3(s, i) {
			i += 3 // the common case of Chinese text: kept as it is
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// plain3 reports whether s[i:] starts with a three-byte UTF-8 sequence
// that needs no escape: lead E1–EC or EE–EF (whose continuations are all
// valid: no overlong forms, no surrogates) and not U+2028 or U+2029.
func plain3(s string, i int) bool {
	if i+2 >= len(s) {
		return false
	}
	c, c1, c2 := s[i], s[i+1], s[i+2]
	return c >= 0xe1 && c <= 0xef && c != 0xed && c1&0xc0 == 0x80 && c2&0xc0 == 0x80 &&
		!(c == 0xe2 && c1 == 0x80 && c2&0xfe == 0xa8)
}

// ErrUnsupported is a value encoding/json refuses: NaN, ±Inf.
var ErrUnsupported = errors.New("jsonw: unsupported value")

// Float appends f as encoding/json encodes a float64.
func Float(dst []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return dst, ErrUnsupported
	}
	fmt := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		fmt = 'e'
	}
	dst = strconv.AppendFloat(dst, f, fmt, -1, 64)
	if fmt == 'e' {
		// clean up e-09 to e-9
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

// Int appends an integer.
func Int(dst []byte, v int64) []byte { return strconv.AppendInt(dst, v, 10) }

// Bool appends true or false.
func Bool(dst []byte, v bool) []byte {
	if v {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}

// Time appends t as time.Time.MarshalJSON does (RFC 3339 with nanoseconds,
// quoted), and its error for a year outside 0–9999 or an offset of a day
// or more.
func Time(dst []byte, t time.Time) ([]byte, error) {
	_, off := t.Zone()
	if y := t.Year(); y < 0 || y > 9999 || off <= -24*3600 || off >= 24*3600 {
		b, err := t.MarshalJSON()
		if err != nil {
			return dst, err
		}
		return append(dst, b...), nil
	}
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"'), nil
}
