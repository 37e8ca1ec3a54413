package web

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// doFrom is do from the client address remote (host:port).
func doFrom(t *testing.T, h http.Handler, remote, method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.RemoteAddr = remote
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func login(tok string) string { return `{"token":"` + tok + `"}` }

func guessN(i int) string { return fmt.Sprintf("guess-%016d", i) }

// TestGuesserCannotLockOutStreamer: someone on the LAN trying a wrong
// token every second, for an hour, never keeps the streamer's phone (another
// address) from logging in; neither does a faster guesser, who gets 429.
func TestGuesserCannotLockOutStreamer(t *testing.T) {
	s, _, now := clockServer(t, testToken)
	h := s.Handler()
	const attacker, phone = "192.168.1.66:40000", "192.168.1.23:50000"
	for i := range 3600 {
		*now = t0.Add(time.Duration(i) * time.Second)
		if w := doFrom(t, h, attacker, "POST", "/api/login", login(guessN(i))); w.Code != 401 {
			t.Fatalf("guess %d at one a second: %d, want 401", i, w.Code)
		}
		if i%600 == 0 {
			if w := doFrom(t, h, phone, "POST", "/api/login", login(testToken)); w.Code != 204 {
				t.Fatalf("the streamer's login after %d guesses: %d %s", i, w.Code, w.Body)
			}
		}
	}
	codes := map[int]int{}
	for i := range 50 { // fast, all in one instant
		codes[doFrom(t, h, attacker, "POST", "/api/login", login(guessN(10000+i))).Code]++
	}
	if codes[429] < 45 {
		t.Fatalf("50 quick guesses: %v, want 429 after the burst", codes)
	}
	if w := doFrom(t, h, phone, "POST", "/api/login", login(testToken)); w.Code != 204 {
		t.Fatalf("the streamer's login during a fast guesser: %d", w.Code)
	}
}

// TestLoginRateLimitedPerAddress: an address that used up its guesses
// gets 429 even for the right token, which is not compared; others do not.
func TestLoginRateLimitedPerAddress(t *testing.T) {
	s, _, _ := clockServer(t, testToken)
	h := s.Handler()
	codes := map[int]int{}
	var last *httptest.ResponseRecorder
	for i := range 20 {
		last = doFrom(t, h, "10.0.0.9:1", "POST", "/api/login", login(guessN(i)))
		codes[last.Code]++
	}
	if codes[401] != guessBurst || codes[429] != 20-guessBurst {
		t.Fatalf("20 quick wrong guesses: %v, want %d 401s then 429s", codes, guessBurst)
	}
	if ra := last.Header().Get("Retry-After"); ra != "1" {
		t.Errorf("Retry-After %q, want 1", ra)
	}
	if w := doFrom(t, h, "10.0.0.9:2", "POST", "/api/login", login(testToken)); w.Code != 429 {
		t.Fatalf("the right token from the limited address: %d, want 429", w.Code)
	}
	if w := doFrom(t, h, "10.0.0.10:1", "POST", "/api/login", login(testToken)); w.Code != 204 {
		t.Fatalf("the right token from another address: %d", w.Code)
	}
	if got := refusedCount(t, s, refusedLimited); got != 16 {
		t.Errorf("limited counted %d, want 16", got)
	}
	if got := refusedCount(t, s, refusedBadToken); got != guessBurst {
		t.Errorf("wrong tokens counted %d, want %d", got, guessBurst)
	}
}

// TestBearerGuessesLimited: every route that judges a token, not only the
// login form, charges wrong ones to the address: /api/auth (public), the
// network guard and the control routes. Once limited, even the right
// bearer token waits.
func TestBearerGuessesLimited(t *testing.T) {
	for _, c := range []struct {
		name, method, path string
		network            bool
	}{
		{"auth", "GET", "/api/auth", false},
		{"auth on the network", "GET", "/api/auth", true},
		{"status on the network", "GET", "/api/status", true},
		{"control", "POST", "/api/control/stop", false},
	} {
		s, _, _ := clockServer(t, testToken)
		h := s.Handler()
		if c.network {
			h = s.guard(h, ExposureNetwork, &net.TCPAddr{IP: net.IPv4(192, 168, 1, 2), Port: 8080})
		}
		codes := map[int]int{}
		for i := range 500 {
			codes[doFrom(t, h, "192.168.1.66:1", c.method, c.path, "", "Authorization", "Bearer "+guessN(i)).Code]++
		}
		if codes[401] != guessBurst || codes[429] != 500-guessBurst {
			t.Errorf("%s: 500 bearer guesses: %v, want %d 401s, the rest 429", c.name, codes, guessBurst)
		}
		if w := doFrom(t, h, "192.168.1.66:2", c.method, c.path, "", "Authorization", "Bearer "+testToken); w.Code != 429 {
			t.Errorf("%s: right token from the limited address: %d, want 429", c.name, w.Code)
		}
		if w := doFrom(t, h, "192.168.1.23:1", c.method, c.path, "", "Authorization", "Bearer "+testToken); w.Code/100 != 2 {
			t.Errorf("%s: right token from another address: %d", c.name, w.Code)
		}
	}
}

// TestRightAndMissingTokensCostNothing: a right token gives back its
// charge, and a request without a token (the overlay, the login page) is
// not a guess.
func TestRightAndMissingTokensCostNothing(t *testing.T) {
	s, _, _ := clockServer(t, testToken)
	h := s.Handler()
	const from = "192.168.1.23:1"
	for range 100 {
		if w := doFrom(t, h, from, "GET", "/api/auth", "", "Authorization", "Bearer "+testToken); w.Code != 204 {
			t.Fatalf("right token: %d", w.Code)
		}
		if w := doFrom(t, h, from, "GET", "/api/auth", ""); w.Code != 401 {
			t.Fatalf("no token: %d", w.Code)
		}
		if w := doFrom(t, h, from, "POST", "/api/login", `{"token":""}`); w.Code != 401 {
			t.Fatalf("empty login: %d", w.Code)
		}
	}
	for i := range guessBurst {
		if w := doFrom(t, h, from, "GET", "/api/auth", "", "Authorization", "Bearer "+guessN(i)); w.Code != 401 {
			t.Fatalf("wrong guess %d after 300 free requests: %d, want 401 (the burst untouched)", i, w.Code)
		}
	}
	if got := refusedCount(t, s, refusedNoToken); got != 200 {
		t.Errorf("no_token counted %d, want 200", got)
	}
}

// TestStaleCookie: a browser still holding the cookie of a token that has
// since been replaced gets 401 and the cookie cleared; sending it again
// (requests already on their way) costs no guesses, so its user can log in
// with the new token at once.
func TestStaleCookie(t *testing.T) {
	s, _, _ := clockServer(t, testToken)
	h := s.Handler()
	const from = "192.168.1.23:1"
	stale := []string{"Cookie", CookieName + "=the-old-token-0123456789", "Origin", "http://example.com"}
	for i := range 3 * guessBurst {
		w := doFrom(t, h, from, "GET", "/api/auth", "", stale...)
		c := w.Result().Cookies()
		if w.Code != 401 || len(c) != 1 || c[0].Name != CookieName || c[0].MaxAge >= 0 {
			t.Fatalf("stale cookie, request %d: %d, cookies %v; want 401 and the cookie cleared", i, w.Code, c)
		}
	}
	if w := doFrom(t, h, from, "POST", "/api/control/stop", "", stale...); w.Code != 401 || len(w.Result().Cookies()) != 1 {
		t.Fatalf("stale cookie on a control: %d %v", w.Code, w.Result().Cookies())
	}
	if w := doFrom(t, h, from, "POST", "/api/login", login(testToken), "Origin", "http://example.com"); w.Code != 204 {
		t.Fatalf("login with the new token: %d %s", w.Code, w.Body)
	}
	// A right cookie is never cleared, and a cookie sent by another site's
	// page is ignored, not judged.
	good := []string{"Cookie", CookieName + "=" + s.session(s.now())}
	if w := doFrom(t, h, from, "GET", "/api/auth", "", good...); w.Code != 204 || len(w.Result().Cookies()) != 0 {
		t.Fatalf("right cookie: %d %v", w.Code, w.Result().Cookies())
	}
	cross := []string{"Cookie", CookieName + "=the-old-token-0123456789", "Sec-Fetch-Site", "cross-site"}
	if w := doFrom(t, h, from, "GET", "/api/auth", "", cross...); w.Code != 401 || len(w.Result().Cookies()) != 0 {
		t.Fatalf("cross-site cookie: %d %v", w.Code, w.Result().Cookies())
	}
	if got := refusedCount(t, s, refusedBadToken); got != 3*guessBurst+1 {
		t.Errorf("bad_token counted %d, want %d", got, 3*guessBurst+1)
	}
}

// TestGuessesFromEverywhere: a machine with many addresses meets the
// bound on everyone's guesses; a new address then waits too, but the
// streamer's phone, which logged in before, does not.
func TestGuessesFromEverywhere(t *testing.T) {
	s, _, now := clockServer(t, testToken)
	h := s.Handler()
	const phone = "192.168.1.23:1"
	if w := doFrom(t, h, phone, "POST", "/api/login", login(testToken)); w.Code != 204 {
		t.Fatalf("login: %d", w.Code)
	}
	codes := map[int]int{}
	for i := range 200 {
		from := fmt.Sprintf("10.1.%d.%d:1", i/250, i%250)
		codes[doFrom(t, h, from, "GET", "/api/auth", "", "Authorization", "Bearer "+guessN(i)).Code]++
	}
	if codes[401] != allGuessBurst || codes[429] != 200-allGuessBurst {
		t.Fatalf("200 guesses from 200 addresses at once: %v, want %d 401s", codes, allGuessBurst)
	}
	if w := doFrom(t, h, "192.168.1.99:1", "POST", "/api/login", login(testToken)); w.Code != 429 {
		t.Fatalf("a new address while everyone is limited: %d, want 429", w.Code)
	}
	if w := doFrom(t, h, phone, "POST", "/api/control/stop", "", "Authorization", "Bearer "+testToken); w.Code != 200 {
		t.Fatalf("the streamer's STOP while everyone is limited: %d", w.Code)
	}
	*now = now.Add(allGuessBurst * allGuessEvery)
	if w := doFrom(t, h, "192.168.1.99:1", "POST", "/api/login", login(testToken)); w.Code != 204 {
		t.Fatalf("a new address once the bound refilled: %d", w.Code)
	}
}

// TestGuessLogBounded: a thousand wrong tokens from a hundred addresses
// cost two log lines (the first wrong token, the first refusal), and the
// token is never in them.
func TestGuessLogBounded(t *testing.T) {
	s, buf, now := clockServer(t, testToken)
	h := s.Handler()
	for i := range 1000 {
		doFrom(t, h, fmt.Sprintf("10.2.0.%d:1", i%100), "POST", "/api/login", login(guessN(i)))
	}
	*now = now.Add(time.Second)
	if w := doFrom(t, h, "10.3.0.1:1", "POST", "/api/login", login(testToken)); w.Code != 204 {
		t.Fatalf("login a second later: %d", w.Code)
	}
	out := buf.String()
	if n := strings.Count(out, "\n"); n != 3 || strings.Count(out, `msg="web: wrong token"`) != 1 ||
		strings.Count(out, "too many wrong tokens") != 1 || !strings.Contains(out, "panel login") {
		t.Fatalf("1000 wrong tokens logged as %d lines:\n%.2000s", n, out)
	}
	if strings.Contains(out, testToken) || strings.Contains(out, "guess-") {
		t.Fatalf("a token in the log:\n%s", out)
	}
}

// TestGuessTableBounded: wrong tokens from ever new addresses keep the
// table of groups bounded.
func TestGuessTableBounded(t *testing.T) {
	l := newGuessLimiter()
	var sum [32]byte
	for i := range 3 * maxGuessGroups {
		sum[0], sum[1] = byte(i), byte(i>>8)
		g := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 32)
		if v, _ := l.take(t0.Add(time.Duration(i)*time.Millisecond), g, sum); v == guessCheck {
			l.wrong(g, sum)
		}
		if len(l.groups) > maxGuessGroups {
			t.Fatalf("%d groups after %d addresses", len(l.groups), i+1)
		}
	}
}

// TestLogoutCrossSite: another site's page cannot log the streamer out
// (a form posted to /api/logout), so the panel's next STOP cannot be made
// to fail at the moment that site chooses.
func TestLogoutCrossSite(t *testing.T) {
	s, _, _ := clockServer(t, testToken)
	h := s.Handler()
	for _, hdr := range [][]string{
		{"Origin", "https://evil.example"},
		{"Origin", "null"},
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"}, // another port or subdomain: another origin
	} {
		w := do(t, h, "POST", "/api/logout", "", hdr...)
		if w.Code != http.StatusForbidden || len(w.Result().Cookies()) != 0 {
			t.Errorf("logout with %q: %d, cookies %v; want 403 and the cookie kept", hdr, w.Code, w.Result().Cookies())
		}
	}
	w := do(t, h, "POST", "/api/logout", "", "Origin", "http://example.com", "Sec-Fetch-Site", "same-origin")
	if c := w.Result().Cookies(); w.Code != http.StatusNoContent || len(c) != 1 || c[0].MaxAge >= 0 {
		t.Fatalf("the panel's own logout: %d %v", w.Code, c)
	}
	if got := refusedCount(t, s, refusedCrossSite); got != 4 {
		t.Errorf("cross_site counted %d, want 4", got)
	}
}
