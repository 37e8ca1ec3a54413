package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
