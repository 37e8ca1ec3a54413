package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
)

const testToken = "s3cret-token-0123456789"

// do is doFrom from httptest's own client address.
func do(t *testing.T, h http.Handler, method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	return doFrom(t, h, "192.0.2.1:1234", method, path, body, hdr...)
}

func TestControlActions(t *testing.T) {
	bearer := []string{"Authorization", "Bearer " + testToken}
	for _, c := range []struct {
		path, body string
		code       int
		call       string // what the engine or rig must have been told
	}{
		{"/api/control/stop", "", 200, "stop"},
		{"/api/control/stop", `{"garbage`, 200, "stop"}, // a stop never fails on its body
		{"/api/control/policy", `{"garbage`, 400, ""},
		{"/api/control/resume", "", 200, "resume"},
		{"/api/control/pause", "", 200, "paused=true"},
		{"/api/control/unpause", "", 200, "paused=false"},
		{"/api/control/policy", `{"policy":"latest"}`, 200, "policy=latest"},
		{"/api/control/policy", `{"policy":"vote"}`, 200, "policy=vote"},
		{"/api/control/policy", `{"policy":"lottery"}`, 400, ""},
		{"/api/control/pattern", `{"name":"circle"}`, 200, "inject=circle"},
		{"/api/control/pattern", `{"name":"nope"}`, 404, ""},
		{"/api/control/laser", `{"enabled":false}`, 200, "rig:laser=false"},
		{"/api/control/laser", `{"switch":"fan","enabled":true}`, 404, "rig:fan=true"},
		{"/api/control/laser", `{}`, 400, ""},
		{"/api/control/laser?enabled=on", "", 200, "rig:laser=true"},
		{"/api/control/reload", "", 200, "reload"},
		{"/api/control/launch", "", 404, ""},
		{"/api/control/policy", `{"policy":1}`, 400, ""},
		{"/api/control/policy", `{"policy":"queue","extra":1}`, 400, ""},
	} {
		s, eng, rig := newTestServer(testToken)
		reloaded := false
		s.Reload = func() ([]string, error) { reloaded = true; return nil, nil }
		h := s.Handler()
		w := do(t, h, "POST", c.path, c.body, bearer...)
		if w.Code != c.code {
			t.Errorf("%s %s: code %d, want %d: %s", c.path, c.body, w.Code, c.code, w.Body)
			continue
		}
		var got []string
		got = append(got, eng.Calls()...)
		for _, r := range rig.calls {
			got = append(got, "rig:"+r)
		}
		if reloaded {
			got = append(got, "reload")
		}
		if (c.call == "" && len(got) > 0) || (c.call != "" && !slices.Equal(got, []string{c.call})) {
			t.Errorf("%s %s: calls %q, want %q", c.path, c.body, got, c.call)
		}
		var res result
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res.OK != (c.code == 200) {
			t.Errorf("%s: reply %s (%v)", c.path, w.Body, err)
		}
	}
}

func TestControlNeedsToken(t *testing.T) {
	for _, action := range []string{"stop", "resume", "pause", "unpause", "policy", "pattern", "laser", "reload",
		"timeout", "untimeout", "exclusive", "end_exclusive"} {
		for _, hdr := range [][]string{
			nil,
			{"Authorization", "Bearer wrong-token-wrong-token"},
			{"Authorization", testToken},                              // no "Bearer "
			{"Cookie", CookieName + "=wrong-token-value"},             // bad cookie
			{"Cookie", CookieName + "=" + testToken},                  // the token is no session
			{"Cookie", "cross-site", "Origin", "http://evil.example"}, // a valid session, from another site
		} {
			s, eng, rig := newTestServer(testToken)
			if len(hdr) == 4 && hdr[1] == "cross-site" {
				hdr = []string{"Cookie", CookieName + "=" + s.session(s.now()), hdr[2], hdr[3]}
			}
			w := do(t, s.Handler(), "POST", "/api/control/"+action, `{"policy":"latest","name":"circle","enabled":true}`, hdr...)
			if w.Code != http.StatusUnauthorized {
				t.Errorf("%s with %q: code %d, want 401", action, hdr, w.Code)
			}
			if len(eng.Calls()) > 0 || len(rig.calls) > 0 {
				t.Errorf("%s with %q: the engine was called: %q %q", action, hdr, eng.Calls(), rig.calls)
			}
		}
	}
}

func TestControlGetNotAllowed(t *testing.T) {
	s, eng, _ := newTestServer(testToken)
	w := do(t, s.Handler(), "GET", "/api/control/stop", "", "Authorization", "Bearer "+testToken)
	if w.Code != http.StatusMethodNotAllowed || len(eng.Calls()) > 0 {
		t.Fatalf("GET stop: %d %q", w.Code, eng.Calls())
	}
}

func TestCookieLogin(t *testing.T) {
	s, eng, _ := newTestServer(testToken)
	h := s.Handler()
	if w := do(t, h, "GET", "/api/auth", ""); w.Code != 401 {
		t.Fatalf("auth without cookie: %d", w.Code)
	}
	if w := do(t, h, "POST", "/api/login", `{"token":"nope-nope-nope-nope"}`); w.Code != 401 {
		t.Fatalf("wrong token: %d", w.Code)
	}
	w := do(t, h, "POST", "/api/login", `{"token":"`+testToken+`"}`, "Origin", "http://example.com")
	if w.Code != http.StatusNoContent {
		t.Fatalf("login: %d %s", w.Code, w.Body)
	}
	c := w.Result().Cookies()
	if len(c) != 1 || c[0].Name != CookieName || !c[0].HttpOnly || c[0].SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie %+v", c)
	}
	cookie := CookieName + "=" + c[0].Value
	if w := do(t, h, "GET", "/api/auth", "", "Cookie", cookie); w.Code != http.StatusNoContent {
		t.Fatalf("auth with cookie: %d", w.Code)
	}
	if w := do(t, h, "POST", "/api/control/stop", "", "Cookie", cookie, "Origin", "http://example.com"); w.Code != 200 {
		t.Fatalf("stop with cookie: %d", w.Code)
	}
	if !slices.Equal(eng.Calls(), []string{"stop"}) {
		t.Fatalf("calls %q", eng.Calls())
	}
	w = do(t, h, "POST", "/api/logout", "")
	if c := w.Result().Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Fatalf("logout must expire the cookie: %+v", c)
	}
}

// TestLoginRateLimited: quick wrong tokens from one client are limited;
// the same wrong token again is no new guess (a browser resending an old
// cookie), so it is answered 401 without a charge. Per-address limits and
// the other ways of presenting a token: auth_test.go.
func TestLoginRateLimited(t *testing.T) {
	s, _, _ := newTestServer(testToken)
	h := s.Handler()
	codes := map[int]int{}
	for i := range 20 {
		codes[do(t, h, "POST", "/api/login", `{"token":"`+guessN(i)+`"}`).Code]++
	}
	if codes[401] != guessBurst || codes[429] != 20-guessBurst {
		t.Fatalf("20 quick wrong guesses: %v; want %d 401s then 429s", codes, guessBurst)
	}
	if w := do(t, h, "POST", "/api/login", `{"token":"`+testToken+`"}`); w.Code != 429 {
		t.Fatalf("while limited even the right token waits: %d", w.Code)
	}
	s2, _, _ := newTestServer(testToken)
	for range 20 {
		if w := do(t, s2.Handler(), "POST", "/api/login", `{"token":"guess-guess-guess-guess"}`); w.Code != 401 {
			t.Fatalf("one wrong token repeated: %d, want 401 each time", w.Code)
		}
	}
	if w := do(t, s2.Handler(), "POST", "/api/login", `{"token":"`+testToken+`"}`); w.Code != 204 {
		t.Fatalf("the right token after one wrong token repeated: %d", w.Code)
	}
}

func TestNoTokenLoopbackOnly(t *testing.T) {
	for _, c := range []struct {
		host, origin string
		code         int
	}{
		{"127.0.0.1:8080", "", 200},
		{"localhost:8080", "http://localhost:8080", 200},
		{"[::1]:8080", "", 200},
		{"127.0.0.1:8080", "http://evil.example", 401},         // a page elsewhere
		{"evil.example:8080", "http://evil.example:8080", 401}, // DNS rebinding
		{"192.168.1.5:8080", "", 401},
	} {
		s, _, _ := newTestServer("")
		r := httptest.NewRequest("POST", "/api/control/stop", nil)
		r.Host = c.host
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		if w.Code != c.code {
			t.Errorf("host %s origin %q: %d, want %d", c.host, c.origin, w.Code, c.code)
		}
	}
}

func TestReloadErrors(t *testing.T) {
	s, _, _ := newTestServer(testToken)
	bearer := []string{"Authorization", "Bearer " + testToken}
	if w := do(t, s.Handler(), "POST", "/api/control/reload", "", bearer...); w.Code != http.StatusNotImplemented {
		t.Fatalf("nil Reload: %d", w.Code)
	}
	s2, _, _ := newTestServer(testToken)
	s2.Reload = func() ([]string, error) { return nil, errBadConfig }
	w := do(t, s2.Handler(), "POST", "/api/control/reload", "", bearer...)
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "unknown key") {
		t.Fatalf("bad config: %d %s", w.Code, w.Body)
	}
	// Applied, but with sections that wait for a restart: the answer names them.
	s3, _, _ := newTestServer(testToken)
	s3.Reload = func() ([]string, error) { return []string{"safety"}, nil }
	w = do(t, s3.Handler(), "POST", "/api/control/reload", "", bearer...)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"decision":{"restart":["safety"]}`) {
		t.Fatalf("restart-only sections: %d %s", w.Code, w.Body)
	}
}

func TestStatus(t *testing.T) {
	s, eng, _ := newTestServer("")
	s.Decision(control.Decision{Time: t0, EventID: "1", Platform: "bilibili", UserName: "江***", Masked: true,
		Rule: "left", Outcome: control.Accepted, Reason: control.ReasonQueued})
	s.Decision(control.Decision{Time: t0, EventID: "2", Platform: "bilibili", UserName: "b", Rule: "left",
		Outcome: control.Dropped, Reason: control.ReasonCooldownUser, RetryAfter: 2 * time.Second})
	w := do(t, s.Handler(), "GET", "/api/status", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("status: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	var f Frame
	if err := json.Unmarshal(w.Body.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if !f.Time.Equal(t0) || f.Engine.QueueLen != 2 || f.Engine.Cooldowns["laser"] != 3*time.Second {
		t.Errorf("engine part: %+v", f)
	}
	if len(f.Rig.Axes) != 2 || f.Rig.Session.Phase != "rest" || !f.Rig.Switches[0].On {
		t.Errorf("rig part: %+v", f.Rig)
	}
	if len(f.Feed) != 1 || f.Feed[0].UserName != "江***" || !f.Feed[0].Masked {
		t.Errorf("feed: %+v", f.Feed)
	}
	if len(f.Feedback) != 1 || f.Feedback[0].Count != 1 || !f.Feedback[0].Until.Equal(t0.Add(2*time.Second)) {
		t.Errorf("feedback: %+v", f.Feedback)
	}
	if eng.statuses != 1 {
		t.Errorf("one status request asked the engine %d times", eng.statuses)
	}
}

func TestPagesAndAssets(t *testing.T) {
	s, _, _ := newTestServer(testToken)
	h := s.Handler()
	for _, c := range []struct{ path, ctype, contains string }{
		{"/", "text/html", `id="map"`},
		{"/overlay", "text/html", `id="feed"`},
		{"/panel", "text/html", `id="stop"`},
		{"/static/overlay.js", "text/javascript", "CT.stream"},
		{"/static/panel.js", "text/javascript", "/api/control/"},
		{"/static/common.js", "text/javascript", "EventSource"},
		{"/static/overlay.css", "text/css", "transparent"},
		{"/static/panel.css", "text/css", "button.stop"},
		{"/healthz", "text/plain", "ok"},
		{"/api/commands", "application/json", `{"name":"circle"}`},
	} {
		w := do(t, h, "GET", c.path, "")
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), c.ctype) || !strings.Contains(w.Body.String(), c.contains) {
			t.Errorf("%s: %d %q, want %s containing %q", c.path, w.Code, w.Header().Get("Content-Type"), c.ctype, c.contains)
		}
		if w.Header().Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(w.Header().Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("%s: security headers missing: %v", c.path, w.Header())
		}
	}
	if w := do(t, h, "GET", "/panel", ""); w.Header().Get("X-Frame-Options") != "DENY" {
		t.Error("the panel must not be framable")
	}
	if w := do(t, h, "GET", "/nothing", ""); w.Code != 404 {
		t.Errorf("/nothing: %d", w.Code)
	}
	if w := do(t, h, "GET", "/metrics", ""); w.Code != 404 {
		t.Errorf("/metrics without Metrics: %d", w.Code)
	}
}

var handlerAttr = regexp.MustCompile(`\son[a-z]+=`)

// TestNoInlineScript keeps the pages working under the CSP: every script
// is a file of ours, nothing loads from elsewhere.
func TestNoInlineScript(t *testing.T) {
	for _, name := range []string{"overlay.html", "panel.html"} {
		f, err := assets.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(f)
		f.Close()
		page := string(b)
		if strings.Contains(page, "<script>") || strings.Contains(page, "//") || handlerAttr.MatchString(page) {
			t.Errorf("%s: inline script or remote resource", name)
		}
	}
}
