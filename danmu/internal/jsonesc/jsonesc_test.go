package jsonesc

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzAppendUnescaped: on every valid JSON string of valid UTF-8 without
// surrogate escapes (what the scanners let through), AppendUnescaped agrees
// with encoding/json.
func FuzzAppendUnescaped(f *testing.F) {
	for _, s := range []string{`"plain"`, `"a\"b\\c\/d"`, `"\b\f\n\r\t"`, `"\u732b\u0041"`, `"猫\u00e9"`, `""`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want string
		if !utf8.ValidString(s) || json.Unmarshal([]byte(s), &want) != nil || len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' || hasSurrogateEscape(s) {
			return
		}
		if got := string(AppendUnescaped(nil, []byte(s[1:len(s)-1]))); got != want {
			t.Fatalf("%q: %q, want %q", s, got, want)
		}
	})
}

func hasSurrogateEscape(s string) bool {
	for i := 0; i+5 < len(s); i++ {
		if s[i] == '\\' && s[i+1] == '\\' {
			i++
			continue
		}
		if s[i] == '\\' && s[i+1] == 'u' {
			v := Unhex(s[i+2])<<12 | Unhex(s[i+3])<<8 | Unhex(s[i+4])<<4 | Unhex(s[i+5])
			if v >= 0xd800 && v < 0xe000 {
				return true
			}
		}
	}
	return false
}

func TestEscapeLen(t *testing.T) {
	for in, want := range map[string]int{`\n`: 2, `\"x`: 2, `\u00e9`: 6, `\uD83D`: 0, `\u12`: 0, `\x`: 0, `\`: 0, `\u00g0`: 0} {
		if got := EscapeLen([]byte(in)); got != want {
			t.Errorf("EscapeLen(%q) = %d, want %d", in, got, want)
		}
	}
}
