package web

import (
	"log/slog"
	"sync"
	"time"
)

// Why the server refused a request before it reached its route, the reason
// label of cattease_web_refused_total. A hostile page or a guessing script
// can make thousands of these a second, so each is counted, and logged at
// most once per logInterval (see logEvery).
const (
	refusedHost      = "host"       // 421: on loopback, a Host that is not this server (DNS rebinding)
	refusedNoToken   = "no_token"   // 401: no token presented
	refusedBadToken  = "bad_token"  // 401: a wrong token (login form, bearer header or cookie)
	refusedLimited   = "limited"    // 429: too many wrong tokens from the address, or from everyone
	refusedCrossSite = "cross_site" // 403: login or logout from another site's page
	// busy: on the network, a connection closed at once, or an event
	// stream refused with 503, because its client holds its share
	// (connsPerClient, streamsPerClient).
	refusedBusy = "busy"
)

var refusedReasons = []string{refusedHost, refusedNoToken, refusedBadToken, refusedLimited, refusedCrossSite, refusedBusy}

// refuse counts one refused request.
func (s *Server) refuse(reason string) {
	if s.Metrics != nil {
		s.Metrics.refuse(reason)
	}
}

// logInterval is the least time between two log lines of one kind of
// refusal.
const logInterval = time.Minute

// logEvery lets the first of a kind of refusal be logged, then at most one
// line per logInterval, which says how many went unlogged since the line
// before. A flood then costs a line a minute instead of filling the
// journal until its rate limit drops cattease's own safety messages; the
// metric counts every one. The zero value is ready to use.
type logEvery struct {
	mu       sync.Mutex
	last     time.Time
	unlogged int
}

// allow reports whether to log a refusal at now, and how many were not
// logged since the last line.
func (l *logEvery) allow(now time.Time) (ok bool, unlogged int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if d := now.Sub(l.last); !l.last.IsZero() && d >= 0 && d < logInterval {
		l.unlogged++
		return false, 0
	}
	n := l.unlogged
	l.last, l.unlogged = now, 0
	return true, n
}

// unloggedAttr is the attribute that tells how many refusals went unlogged,
// none when there were none: slog drops an empty Attr.
func unloggedAttr(n int) slog.Attr {
	if n == 0 {
		return slog.Attr{}
	}
	return slog.Int("unlogged", n)
}
