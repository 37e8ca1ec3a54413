package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// CookieName is the panel's login cookie.
const CookieName = "cattease_token"

const cookieLife = 30 * 24 * time.Hour

// authorized reports whether r may use the controls: the token in a
// bearer header, or in the cookie from a same-origin page; without a
// token, any same-origin page on a loopback host.
func (s *Server) authorized(r *http.Request) bool {
	if s.Token == "" {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		return loopbackHost(strings.Trim(host, "[]")) && sameOrigin(r)
	}
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return s.tokenMatches(strings.TrimSpace(tok))
	}
	if c, err := r.Cookie(CookieName); err == nil {
		return s.tokenMatches(c.Value) && sameOrigin(r)
	}
	return false
}

// tokenMatches compares in constant time, lengths included.
func (s *Server) tokenMatches(tok string) bool {
	a, b := sha256.Sum256([]byte(tok)), sha256.Sum256([]byte(s.Token))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
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

// requireToken wraps a control handler: 401 without the token.
func (s *Server) requireToken(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="cattease"`)
			writeJSON(w, http.StatusUnauthorized, apiError{"web: token required"})
			return
		}
		h(w, r)
	}
}

func (s *Server) handleAuth(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		writeJSON(w, http.StatusUnauthorized, apiError{"web: token required"})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleLogin checks the token from the panel's form and sets the cookie.
// Failures are rate limited.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Token string `json:"token"`
	}
	if err := readArgs(w, r, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{err.Error()})
		return
	}
	if !sameOrigin(r) {
		writeJSON(w, http.StatusForbidden, apiError{"web: cross-site login"})
		return
	}
	res := s.login.Reserve() // only failures keep their reservation
	if !res.OK() || res.Delay() > 0 {
		res.Cancel()
		writeJSON(w, http.StatusTooManyRequests, apiError{"web: too many attempts; wait a moment"})
		return
	}
	if s.Token == "" || !s.tokenMatches(req.Token) {
		s.Log.Warn("web: panel login failed", "remote", r.RemoteAddr)
		writeJSON(w, http.StatusUnauthorized, apiError{"web: wrong token"})
		return
	}
	res.Cancel()
	http.SetCookie(w, s.cookie(r, s.Token, int(cookieLife/time.Second)))
	s.Log.Info("web: panel login", "remote", r.RemoteAddr)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
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
