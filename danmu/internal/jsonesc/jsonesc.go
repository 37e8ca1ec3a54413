// Package jsonesc undoes JSON string escapes for the hand-written
// scanners of the chat decoders (the Bilibili fast path, the replay
// reader), and finds, a word at a time, where a string's plain bytes end.
// The scanners validate first; this only rewrites.
package jsonesc

import (
	"bytes"
	"unicode/utf8"
)

// AppendUnescaped appends the contents of a JSON string, b without its
// quotes, with every escape undone. b must already be valid: each escape
// complete, and no \u escape a surrogate (the scanners refuse those and
// leave them to encoding/json).
func AppendUnescaped(dst, b []byte) []byte {
	for {
		i := bytes.IndexByte(b, '\\')
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:i]...)
		c := b[i+1]
		b = b[i+2:]
		switch c {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			v := Unhex(b[0])<<12 | Unhex(b[1])<<8 | Unhex(b[2])<<4 | Unhex(b[3])
			dst = utf8.AppendRune(dst, rune(v))
			b = b[4:]
		default: // " \ /
			dst = append(dst, c)
		}
	}
}

// Unhex is the value of one hex digit, or -1.
func Unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// EscapeLen is the length of the escape sequence b starts with (b[0] is
// the backslash), or 0 for a bad one or a \u surrogate, which the
// scanners leave to encoding/json.
func EscapeLen(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if len(b) < 6 {
			return 0
		}
		v := 0
		for _, h := range b[2:6] {
			d := Unhex(h)
			if d < 0 {
				return 0
			}
			v = v<<4 | d
		}
		if v >= 0xd800 && v < 0xe000 {
			return 0
		}
		return 6
	}
	return 0
}

// Plain marks the bytes a JSON string holds as they are: ASCII except '"',
// '\\' and control characters. The scanners and writers of chat and
// recordings test bytes against it.
var Plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()
