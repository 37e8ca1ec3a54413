package main

import (
	"strings"
	"unicode/utf8"
)

// What the live view prints of a viewer's is capped, in characters: a
// name or gift of a thousand characters must not flood the terminal.
// Chat text is clipped by the engine already (control.MaxTextInDecision,
// in bytes); its cap here only guards decisions from elsewhere.
const (
	maxViewName = 32  // a viewer's name, a moderator's target, a gift's name, a policy
	maxViewText = 256 // a chat message
)

// termSafe returns s as the terminal may show it. A viewer's name and chat
// reach the live view as the platform sent them, and a terminal obeys the
// control characters in what it prints: ESC starts sequences that clear
// the screen, recolour it, set the window title or write the clipboard
// (OSC 52), CR and LF forge lines, bidi controls reorder what follows.
// termSafe replaces each C0 control and DEL with its visible symbol (ESC
// becomes ␛, LF ␊; a tab becomes a space), and each C1 control, bidi
// control, line or paragraph separator and byte that is not UTF-8 with
// U+FFFD. Everything else (Chinese, emoji and their ZWJ sequences) is
// kept. With limit > 0, s is cut to limit characters, "…" marking the cut.
//
// The chat sources, the engine, the audit log (JSON) and the overlay
// (textContent) keep the text as it came: only the terminal needs this.
// A string that needs nothing is returned as it is, without a copy.
func termSafe(s string, limit int) string {
	n := 0
	for i := 0; i < len(s); n++ {
		if limit > 0 && n == limit {
			return termEscape(s, limit)
		}
		if c := s[i]; c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return termEscape(s, limit)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, size) {
			return termEscape(s, limit)
		}
		i += size
	}
	return s
}

// termEscape is termSafe's slow path: the copy with the replacements.
func termEscape(s string, limit int) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	n := 0
	for i := 0; i < len(s); n++ {
		if limit > 0 && n == limit {
			// A ZWJ left at the end would join the mark to the emoji before it.
			out := strings.TrimSuffix(b.String(), "\u200d")
			return out + "…"
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20:
			b.WriteRune(0x2400 + r) // the Control Pictures block: ␀ … ␟
		case r == 0x7f:
			b.WriteRune('␡')
		case unsafeRune(r, size):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unsafeRune reports whether a rune past ASCII, size bytes long, must not
// reach a terminal as it is.
func unsafeRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1: // a byte that is not UTF-8: 0x9b alone is CSI to some terminals
		return true
	case r >= 0x80 && r <= 0x9f: // C1 controls
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // ALM, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	}
	return false
}
