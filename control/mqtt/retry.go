package mqtt

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
)

// The waits between connection attempts: the first attempt (and the
// first after a drop) at once, then 1 s, doubling to 15 s, so that a
// broker back from a restart is found within 15 s (with two machines the
// agent keeps the laser off until then); a broker that refused the login
// is asked again once a minute, no sooner, since only someone fixing the
// password or the broker's users can change its answer.
const (
	retryMin   = time.Second
	retryMax   = 15 * time.Second
	retryLogin = time.Minute
	// warnEvery spaces the warnings of a connection that keeps failing
	// the same way; the attempts in between log at Debug.
	warnEvery = time.Minute
)

// CONNACK reason codes (MQTT 5) that refuse the login itself.
const (
	connackBadLogin      = 0x86 // bad user name or password
	connackNotAuthorized = 0x87 // not authorised
	connackBadAuthMethod = 0x8C // bad authentication method
)

// failure is what kind of connection failure was seen last.
type failure int

const (
	failNone  failure = iota
	failOther         // unreachable, closed port, TLS, a refusal other than the login's
	failLogin         // the broker refused the user name or password
	failLocal         // a .local name did not resolve: this program does no mDNS
)

// retry follows the failures since the last connection: it spaces the
// attempts and the warnings about them.
type retry struct {
	mu       sync.Mutex
	fails    int       // failed attempts since the last connection
	last     failure   // kind of the last failure
	warned   failure   // kind of the last warning; failNone: none since the last connection
	warnedAt time.Time // when it was logged
}

// delay is autopaho's ReconnectBackoff: the wait before attempt n of a
// connection (0: the first, after a start or a drop).
func (r *retry) delay(attempt int) time.Duration {
	if attempt <= 0 {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.next()
}

// next is the wait after the failures so far; r.mu held.
func (r *retry) next() time.Duration {
	if r.fails == 0 {
		return 0
	}
	if r.last == failLogin {
		return retryLogin
	}
	return min(retryMin<<min(r.fails-1, 7), retryMax)
}

// up forgets the failures: the connection is made.
func (r *retry) up() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fails, r.last, r.warned, r.warnedAt = 0, failNone, failNone, time.Time{}
}

// failed counts a failed attempt on broker u and logs it: at Warn the
// first of a run of failures, the first of another kind, and then at most
// one every warnEvery, with the count; at Debug the others. u holds no
// password (Run takes it out); err is autopaho's.
func (r *retry) failed(log *slog.Logger, u *url.URL, err error) {
	kind := classify(u, err)
	r.mu.Lock()
	r.fails++
	r.last = kind
	now := time.Now()
	warn := kind != r.warned || now.Sub(r.warnedAt) >= warnEvery
	if warn {
		r.warned, r.warnedAt = kind, now
	}
	fails, wait := r.fails, r.next()
	r.mu.Unlock()
	attrs := []any{"broker", u.Redacted(), "reason", reason(err), "failures", fails, "retry_in", wait}
	if !warn {
		log.Debug("mqtt: connect failed", attrs...)
		return
	}
	switch kind {
	case failLogin:
		log.Warn("mqtt: the broker refused the login: check the user name and password (mqtt.credentials) and that the broker lets this user connect; trying again once a minute", attrs...)
	case failLocal:
		log.Warn("mqtt: cannot resolve the broker's .local name: cattease does not look up .local (mDNS) names; use the broker's IP address in the URL (Home Assistant shows it under Settings → System → Network)", attrs...)
	default:
		log.Warn("mqtt: cannot connect to the broker; trying again", attrs...)
	}
}

// connackReasons name the CONNACK refusals a streamer may meet.
var connackReasons = map[byte]string{
	0x80: "unspecified error", 0x81: "malformed packet", 0x82: "protocol error",
	0x83: "implementation specific error", 0x84: "unsupported protocol version",
	0x85: "client identifier not valid", connackBadLogin: "bad user name or password",
	connackNotAuthorized: "not authorized", 0x88: "server unavailable", 0x89: "server busy",
	0x8A: "banned", connackBadAuthMethod: "bad authentication method", 0x9F: "connection rate exceeded",
}

// reason says why an attempt failed: the broker's refusal by its name,
// else the error.
func reason(err error) string {
	var ce *autopaho.ConnackError
	if !errors.As(err, &ce) {
		return err.Error()
	}
	s := fmt.Sprintf("the broker refused the connection: %s (CONNACK reason %#x)", cmp.Or(connackReasons[ce.ReasonCode], "refused"), ce.ReasonCode)
	if ce.Reason != "" {
		s += ": " + ce.Reason
	}
	return s
}

// classify tells a refused login and an unresolved .local name from
// the other failures.
func classify(u *url.URL, err error) failure {
	var ce *autopaho.ConnackError
	if errors.As(err, &ce) {
		switch ce.ReasonCode {
		case connackBadLogin, connackNotAuthorized, connackBadAuthMethod:
			return failLogin
		}
		return failOther
	}
	var de *net.DNSError
	if errors.As(err, &de) && isLocalName(u.Hostname()) {
		return failLocal
	}
	return failOther
}

// isLocalName reports whether host is a multicast DNS name (RFC 6762),
// which Go's own resolver, the one of a CGO_ENABLED=0 build, cannot look
// up.
func isLocalName(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return strings.HasSuffix(h, ".local")
}
