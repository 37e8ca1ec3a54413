package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sessionCookie logs in from remote and returns the panel's cookie as a
// header pair.
func sessionCookie(t *testing.T, s *Server, remote string) []string {
	t.Helper()
	w := doFrom(t, s.Handler(), remote, "POST", "/api/login", login(s.Token))
	c := w.Result().Cookies()
	if w.Code != 204 || len(c) != 1 || c[0].Name != CookieName {
		t.Fatalf("login: %d %v", w.Code, c)
	}
	if c[0].Value == s.Token || c[0].Value == "" {
		t.Fatalf("the cookie holds %q: it must be a session, never the token", c[0].Value)
	}
	return []string{"Cookie", CookieName + "=" + c[0].Value}
}

// TestGuessersCannotLockOutALoggedInPanel: whoever guesses tokens (a
// neighbour in the streamer's IPv6 /64, link-local or global; a dozen
// LAN addresses keeping everyone's allowance empty; a rebinding page in
// the streamer's own browser, guessing from the streamer's own address),
// the panel's STOP with its login cookie always goes through: a cookie is
// a signed session, checked without the guess limiter.
func TestGuessersCannotLockOutALoggedInPanel(t *testing.T) {
	for _, c := range []struct {
		name    string
		phone   string
		guesser func(sec, i int) string // the address of guess i in second sec
	}{
		{"IPv6 neighbour", "[2001:db8:1:2:1c2d:3e4f:5a6b:7c8d]:50000", func(int, int) string { return "[2001:db8:1:2::bad]:40000" }},
		{"link-local neighbour", "[fe80::1c2d:3e4f:5a6b:7c8d%eth0]:50000", func(int, int) string { return "[fe80::bad%eth0]:40000" }},
		{"many addresses", "192.168.1.23:50000", func(_, i int) string { return fmt.Sprintf("192.168.1.%d:1", 100+i) }},
		{"the streamer's own browser", "192.168.1.23:50000", func(int, int) string { return "192.168.1.23:50001" }},
	} {
		s, _, now := clockServer(t, testToken)
		h := s.Handler()
		cookie := sessionCookie(t, s, c.phone)
		for sec := range 60 {
			for i := range 12 {
				*now = t0.Add(time.Duration(sec)*time.Second + time.Duration(i)*time.Millisecond)
				doFrom(t, h, c.guesser(sec, i), "GET", "/api/auth", "", "Authorization", "Bearer "+guessN(sec*100+i))
			}
			if w := doFrom(t, h, c.phone, "POST", "/api/control/stop", "", cookie...); w.Code != 200 {
				t.Fatalf("%s, second %d: the panel's STOP got %d %s", c.name, sec, w.Code, w.Body)
			}
		}
	}
}

// TestSessionOutlivesARestartNotANewToken: a login made before a restart
// (the same key from the state directory) still holds; a new token, or a
// new key, logs every panel out.
func TestSessionOutlivesARestartNotANewToken(t *testing.T) {
	const key = "a-session-key-kept-in-the-state-directory"
	before, _, _ := newTestServer(testToken)
	before.SessionKey = key
	cookie := sessionCookie(t, before, "192.168.1.23:1")
	for _, c := range []struct {
		name, token, key string
		want             int
	}{
		{"restarted", testToken, key, 204},
		{"new token", testToken + "-rotated", key, 401},
		{"new key", testToken, key + "-lost", 401},
	} {
		after, _, _ := newTestServer(c.token)
		after.SessionKey = c.key
		if w := doFrom(t, after.Handler(), "192.168.1.23:1", "GET", "/api/auth", "", cookie...); w.Code != c.want {
			t.Errorf("%s: %d, want %d", c.name, w.Code, c.want)
		}
	}
}

// TestSessionRenewedInUse: a session is good for cookieLife from when it
// was issued. Used when a day old or more, it is issued anew (a panel in
// use stays logged in, however long it stays open); younger, it is left
// alone; older than cookieLife, or with its time changed, it gets 401 and
// is cleared. One issued by a clock more than a day ahead is issued anew
// on this clock (its life is 30 days of this clock, not of the skew). A
// cookie from before sessions had a time, which had no end, is refused.
func TestSessionRenewedInUse(t *testing.T) {
	s, _, now := clockServer(t, testToken)
	h := s.Handler()
	const phone = "192.168.1.23:1"
	auth := func(at time.Duration, value string) (int, *http.Cookie) {
		t.Helper()
		*now = t0.Add(at)
		w := doFrom(t, h, phone, "GET", "/api/auth", "", "Cookie", CookieName+"="+value)
		var set *http.Cookie
		for _, c := range w.Result().Cookies() {
			if c.Name == CookieName {
				set = c
			}
		}
		return w.Code, set
	}
	first := sessionCookie(t, s, phone)[1][len(CookieName)+1:]

	if code, set := auth(time.Hour, first); code != 204 || set != nil {
		t.Fatalf("an hour old: %d, cookie %v; want 204 and no new cookie", code, set)
	}
	code, renewed := auth(2*24*time.Hour, first)
	if code != 204 || renewed == nil || renewed.MaxAge != int(cookieLife/time.Second) || renewed.Value == first ||
		!renewed.HttpOnly || renewed.SameSite != http.SameSiteStrictMode {
		t.Fatalf("two days old: %d, cookie %+v; want 204 and a new 30-day session", code, renewed)
	}
	if code, set := auth(31*24*time.Hour, first); code != 401 || set == nil || set.MaxAge >= 0 {
		t.Errorf("the first session 31 days on: %d, cookie %+v; want 401 and the cookie cleared", code, set)
	}
	if code, _ := auth(31*24*time.Hour, renewed.Value); code != 204 {
		t.Errorf("the renewed session 31 days after the login, 29 after its renewal: %d, want 204", code)
	}
	if code, _ := auth(33*24*time.Hour, renewed.Value); code != 401 {
		t.Errorf("the renewed session 31 days after its renewal: %d, want 401", code)
	}

	forged := strconv.FormatInt(t0.Add(40*24*time.Hour).Unix(), 10) + renewed.Value[strings.Index(renewed.Value, "."):]
	if code, _ := auth(41*24*time.Hour, forged); code != 401 {
		t.Errorf("a session with its time changed: %d, want 401", code)
	}
	if code, set := auth(-time.Hour, first); code != 204 || set != nil {
		t.Errorf("a session from a clock an hour ahead: %d, cookie %v; want 204, kept", code, set)
	}
	code, set := auth(-200*24*time.Hour, first)
	if code != 204 || set == nil || !strings.HasPrefix(set.Value, strconv.FormatInt(t0.Add(-200*24*time.Hour).Unix(), 10)+".") {
		t.Fatalf("a session from a clock 200 days ahead: %d, cookie %+v; want 204 and a session issued now", code, set)
	}
	if code, _ := auth(-200*24*time.Hour+31*24*time.Hour, set.Value); code != 401 {
		t.Errorf("the reissued session 31 days on: %d, want 401", code)
	}
	// A clock not yet synchronised is the one likely wrong (a Pi booted
	// behind): the session is kept as it is, and survives NTP's step.
	s.ClockSynced = func() bool { return false }
	if code, set := auth(-200*24*time.Hour, first); code != 204 || set != nil {
		t.Errorf("a session ahead of an unsynchronised clock: %d, cookie %+v; want 204, kept", code, set)
	}
	s.ClockSynced = nil
	if code, _ := auth(3*24*time.Hour, first); code != 204 {
		t.Errorf("the kept session once the clock is right, three days on: %d, want 204", code)
	}

	m := hmac.New(sha256.New, s.sessionKey)
	m.Write([]byte("cattease panel session\x00" + testToken))
	legacy := base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	if code, _ := auth(5*365*24*time.Hour, legacy); code != 401 {
		t.Errorf("a cookie from before sessions had a time, five years on: %d, want 401", code)
	}
}
