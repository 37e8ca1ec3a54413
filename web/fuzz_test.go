package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzReadArgs: whatever a client sends as a control request's arguments
// is an error or a decoded value, never a panic, and an error names the
// package.
func FuzzReadArgs(f *testing.F) {
	f.Add("application/json", `{"policy":"latest"}`, "")
	f.Add("application/json", `{"switch":"laser","enabled":false}`, "")
	f.Add("application/json", `{"enabled":"yes"}`, "")
	f.Add("application/json; charset=utf-8", `{"name":"circle"}{"name":"x"}`, "")
	f.Add("application/x-www-form-urlencoded", "enabled=on&switch=laser", "policy=queue")
	f.Add("", "", "enabled=maybe")
	f.Add("text/plain", strings.Repeat("a", maxArgs+10), "name=%zz")
	f.Fuzz(func(t *testing.T, ct, body, query string) {
		r, err := http.NewRequest("POST", "/api/control/x", strings.NewReader(body))
		if err != nil {
			t.Skip()
		}
		r.URL.RawQuery = query
		r.Header.Set("Content-Type", ct)
		var a controlArgs
		err = readArgs(httptest.NewRecorder(), r, &a)
		if err != nil && !strings.HasPrefix(err.Error(), "web: ") {
			t.Fatalf("error without the package name: %v", err)
		}
	})
}

// FuzzModeration: whatever target and duration the panel sends, the
// moderation passed on is bounded (≤ maxTarget bytes of valid UTF-8
// without control characters, 0 ≤ For ≤ maxModerateFor), or refused with
// an error that names the package.
func FuzzModeration(f *testing.F) {
	f.Add("timeout", "猫奴", "10m")
	f.Add("end_exclusive", "", "")
	f.Add("exclusive", " 12345 ", "1h30m")
	f.Add("timeout", "a\x00b", "-5s")
	f.Add("untimeout", strings.Repeat("喵", 40), "9999999h")
	f.Fuzz(func(t *testing.T, kind, target, dur string) {
		m, err := moderation(kind, controlArgs{Target: target, For: dur})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "web: ") {
				t.Fatalf("error without the package name: %v", err)
			}
			return
		}
		if len(m.Target) > maxTarget || !utf8.ValidString(m.Target) || strings.ContainsFunc(m.Target, unicode.IsControl) ||
			m.For < 0 || m.For > maxModerateFor || m.Action != kind {
			t.Fatalf("unbounded moderation %+v from %q %q", m, target, dur)
		}
	})
}
