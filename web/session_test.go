package web

import (
	"fmt"
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
