package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// CookieName is the panel's login cookie.
const CookieName = "cattease_token"

// A login lasts cookieLife from when its session was issued; a session
// in use is issued anew once it is sessionRenew old, so that a panel in
// use stays logged in while one forgotten for a month is not.
const (
	cookieLife   = 30 * 24 * time.Hour
	sessionRenew = 24 * time.Hour
)

// How a token was presented, for the log.
const (
	viaBearer = "bearer"
	viaCookie = "cookie"
	viaLogin  = "login"
)

// authResult is the outcome of a token check.
type authResult int

const (
	authOK      authResult = iota
	authNone               // no token presented: 401, nothing charged
	authWrong              // a wrong token: 401, charged to the client's address group
	authLimited            // too many wrong tokens: 429, the token not even compared
)

// authorize checks whether r may use the controls: the token in a bearer
// header, or in the cookie from a same-origin page; without a token, any
// same-origin page on a loopback host. A presented token goes through the
// guess limiter (guesses.go). A wrong cookie is cleared in w, so a browser
// that kept one from before the token changed stops sending it, and its
// user can log in again instead of being counted as a guesser.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) (authResult, time.Duration) {
	if s.Token == "" {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		if loopbackHost(strings.Trim(host, "[]")) && sameOrigin(r) {
			return authOK, 0
		}
		return authNone, 0
	}
	tok, via := presented(r)
	switch {
	case tok == "":
		return authNone, 0
	case via == viaCookie:
		return s.checkSession(w, r, tok), 0
	}
	return s.checkToken(r, tok, via)
}

// session is the value of the panel's cookie for a login at issued: the
// time in Unix seconds, a dot, and an HMAC of the token and that time
// under the session key. It changes with the token, so a new token logs
// every panel out, and its time cannot be changed without the key.
func (s *Server) session(issued time.Time) string {
	ts := strconv.FormatInt(issued.Unix(), 10)
	s.init() // the key
	m := hmac.New(sha256.New, s.sessionKey)
	m.Write([]byte("cattease panel session 2\x00" + s.Token + "\x00" + ts))
	return ts + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sessionIssued returns when the session in a cookie was issued, and
// false when it is none of ours. A cookie from before sessions had a time
// is not: it had no end, and a copied one would have worked for ever; its
// panel logs in once more.
func (s *Server) sessionIssued(cookie string) (time.Time, bool) {
	ts, _, ok := strings.Cut(cookie, ".")
	if !ok {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || strconv.FormatInt(sec, 10) != ts {
		return time.Time{}, false
	}
	issued := time.Unix(sec, 0)
	return issued, hmac.Equal([]byte(cookie), []byte(s.session(issued)))
}

// checkSession checks a cookie's session, in constant time and without
// the guess limiter: a session is a 256-bit MAC, hopeless to guess or
// forge, so a check costs nothing and cannot be refused for other
// people's guesses. A wrong cookie (from before the token or the key
// changed) or one older than cookieLife is cleared in w, so that its
// browser stops sending it and its user logs in again; a good one
// sessionRenew old is issued anew in w, so a panel in use stays logged in.
func (s *Server) checkSession(w http.ResponseWriter, r *http.Request, cookie string) authResult {
	now := s.now()
	issued, ok := s.sessionIssued(cookie)
	if !ok {
		http.SetCookie(w, s.cookie(r, "", -1))
		if ok, n := s.badLog.allow(now); ok {
			s.Log.Warn("web: wrong token", "via", viaCookie, "remote", r.RemoteAddr, unloggedAttr(n))
		}
		return authWrong
	}
	age := now.Sub(issued)
	switch {
	case age > cookieLife:
		http.SetCookie(w, s.cookie(r, "", -1))
		return authWrong
	case age < sessionRenew && (age > -sessionRenew || !s.clockSynced()): // young: keep it
		return authOK
	}
	// A day old, or issued a day or more ahead of this clock, which is
	// known to be right (the login was on a clock ahead): issued anew on
	// this clock, so that its life is 30 days of this clock and not the
	// skew's. On a clock not yet synchronised (a Pi booted without a
	// real-time clock, behind) the session is kept as it is: dated by
	// that clock, it would run out when NTP steps it forward.
	http.SetCookie(w, s.cookie(r, s.session(now), int(cookieLife/time.Second)))
	return authOK
}

// presented returns the token r carries and how: a bearer header, else
// the panel's cookie, which counts only from a same-origin page (from
// another site it is ignored, not judged). "" = none.
func presented(r *http.Request) (tok, via string) {
	if b, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(b), viaBearer
	}
	if c, err := r.Cookie(CookieName); err == nil && sameOrigin(r) {
		return c.Value, viaCookie
	}
	return "", ""
}

// checkToken compares tok with the token, in constant time, unless the
// client's address group (guessKey) has used up its wrong guesses (or
// everyone has). A client on loopback is never limited: it is this
// machine. Wrong tokens and refusals are counted and logged at most once
// per logInterval each.
func (s *Server) checkToken(r *http.Request, tok, via string) (authResult, time.Duration) {
	now := s.now()
	group, loopback := guessKey(r.RemoteAddr)
	limits := s.guesses
	if loopback {
		limits = nil // no allowance to keep: every token is compared
	}
	sum := sha256.Sum256([]byte(tok))
	v, wait := limits.take(now, group, sum)
	switch {
	case v == guessLimited || v == guessAllBusy:
		if ok, n := s.limitLog.allow(now); ok {
			who := "this address"
			if v == guessAllBusy {
				who = "every address"
			}
			s.Log.Warn("web: too many wrong tokens; refusing tokens for a while", "remote", r.RemoteAddr, "from", who, unloggedAttr(n))
		}
		return authLimited, wait
	case v == guessCheck && s.sumMatches(sum):
		limits.refund(now, group)
		return authOK, 0
	case v == guessCheck:
		limits.wrong(group, sum)
	}
	if ok, n := s.badLog.allow(now); ok {
		s.Log.Warn("web: wrong token", "via", via, "remote", r.RemoteAddr, unloggedAttr(n))
	}
	return authWrong, 0
}

// sumMatches compares a token's hash with the token's in constant time,
// lengths included (both are hashes).
func (s *Server) sumMatches(sum [sha256.Size]byte) bool {
	want := sha256.Sum256([]byte(s.Token))
	return subtle.ConstantTimeCompare(sum[:], want[:]) == 1
}

// deny answers a request that authorize refused, and counts it.
func (s *Server) deny(w http.ResponseWriter, res authResult, wait time.Duration) {
	switch res {
	case authLimited:
		s.refuse(refusedLimited)
		w.Header().Set("Retry-After", strconv.Itoa(int(max(time.Second, wait.Round(time.Second))/time.Second)))
		writeJSON(w, http.StatusTooManyRequests, apiError{"web: too many attempts; wait a moment"})
		return
	case authWrong:
		s.refuse(refusedBadToken)
	default:
		s.refuse(refusedNoToken)
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="cattease"`)
	writeJSON(w, http.StatusUnauthorized, apiError{"web: token required"})
}

// sameOrigin rejects requests a browser made on behalf of another site:
// an Origin that is not this host, or Sec-Fetch-Site: cross-site.
func sameOrigin(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		return err == nil && u.Host == r.Host
	}
	site := r.Header.Get("Sec-Fetch-Site")
	return site == "" || site == "same-origin" || site == "none"
}

// requireToken wraps a control handler: 401 without the token, 429 after
// too many wrong ones.
func (s *Server) requireToken(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if res, wait := s.authorize(w, r); res != authOK {
			s.deny(w, res, wait)
			return
		}
		h(w, r)
	}
}

func (s *Server) handleAuth(w http.ResponseWriter, r *http.Request) {
	if res, wait := s.authorize(w, r); res != authOK {
		s.deny(w, res, wait)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleLogin checks the token from the panel's form and sets the cookie.
// Wrong tokens are limited per address (see guessLimiter), so a guesser
// elsewhere on the network cannot keep the streamer from logging in.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Token string `json:"token"`
	}
	if err := readArgs(w, r, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{err.Error()})
		return
	}
	if !sameOrigin(r) {
		s.refuse(refusedCrossSite)
		writeJSON(w, http.StatusForbidden, apiError{"web: cross-site login"})
		return
	}
	if s.Token == "" || req.Token == "" { // nothing to compare: not a guess
		s.refuse(refusedNoToken)
		writeJSON(w, http.StatusUnauthorized, apiError{"web: wrong token"})
		return
	}
	switch res, wait := s.checkToken(r, req.Token, viaLogin); res {
	case authOK:
	case authWrong:
		s.refuse(refusedBadToken)
		writeJSON(w, http.StatusUnauthorized, apiError{"web: wrong token"})
		return
	default:
		s.deny(w, res, wait)
		return
	}
	http.SetCookie(w, s.cookie(r, s.session(s.now()), int(cookieLife/time.Second)))
	s.Log.Info("web: panel login", "remote", r.RemoteAddr)
	w.WriteHeader(http.StatusNoContent)
}

// handleLogout clears the cookie, for the panel's own page only: another
// site could otherwise log the streamer out with a posted form, and the
// panel's next STOP would answer 401 at a moment of that site's choosing.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.refuse(refusedCrossSite)
		writeJSON(w, http.StatusForbidden, apiError{"web: cross-site logout"})
		return
	}
	http.SetCookie(w, s.cookie(r, "", -1))
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: CookieName, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil}
}

type apiError struct {
	Error string `json:"error"`
}

func (s *Server) clockSynced() bool { return s.ClockSynced == nil || s.ClockSynced() }
