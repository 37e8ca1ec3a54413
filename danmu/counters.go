package danmu

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"maps"
	"net"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Counters counts what a source saw that did not become an Event, and how
// its connection fared: decode errors by reason, unknown message types,
// reconnects. Nothing a source drops goes uncounted. It also holds where
// the connection stands now (Conn): the source reports it with
// Connecting, Connected, Reconnecting and Ended, and whoever runs the
// source counts the events handed on with Got.
//
// Counter names must come from a small fixed set chosen by the source (for
// example "decode_error:bad_length", "unknown_cmd", "reconnect"): never put
// a value taken from the wire into a name, or a hostile server could grow
// the map without bound.
//
// The zero value is ready to use, and a nil *Counters discards everything,
// so sources may call Add unconditionally. Safe for concurrent use.
type Counters struct {
	mu   sync.Mutex
	m    map[string]uint64
	conn Conn // under mu; Events and LastEvent are the atomics below

	events atomic.Uint64
	last   atomic.Int64 // the last event's time, Unix nanoseconds; 0 = none
}

// Add increments the counter name by n.
func (c *Counters) Add(name string, n uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[string]uint64)
	}
	c.m[name] += n
	c.mu.Unlock()
}

// Inc increments the counter name by one.
func (c *Counters) Inc(name string) { c.Add(name, 1) }

// Get returns the current value of name.
func (c *Counters) Get(name string) uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[name]
}

// Snapshot returns a copy of every counter.
func (c *Counters) Snapshot() map[string]uint64 {
	if c == nil {
		return map[string]uint64{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.m)
}

// Names returns the counter names in sorted order.
func (c *Counters) Names() []string {
	s := c.Snapshot()
	names := make([]string, 0, len(s))
	for k := range s {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// ConnState is where a source's connection stands.
type ConnState string

// The states of a source's connection. A source starts connecting, is
// connected once the platform accepted it, reconnecting from the moment
// that connection (or a first attempt) fails until another is accepted,
// and ended once its Stream has returned.
const (
	ConnConnecting   ConnState = "connecting"
	ConnConnected    ConnState = "connected"
	ConnReconnecting ConnState = "reconnecting"
	ConnEnded        ConnState = "ended"
)

// Conn is a source's connection as Counters.Conn reports it.
type Conn struct {
	State ConnState
	// Room is the room as the source names it ("" until it knows one).
	// Never a secret: the Open Platform's 身份码 is not a room.
	Room string
	// Since is when State began. Reconnecting keeps the time the
	// connection was lost through every failed attempt after it.
	Since time.Time
	// Attempts counts, while reconnecting, the attempts that failed since
	// the connection was lost, the loss itself included.
	Attempts int
	// Err is, while reconnecting or ended, the class of the last error
	// (one of the ErrClass constants; "" for a source cancelled): never
	// the error's text, which can hold addresses, keys or tokens.
	Err string
	// LastEvent is when the last event was handed on (zero before the
	// first); Events counts them.
	LastEvent time.Time
	Events    uint64
}

// Connecting says the source has started and is not yet connected;
// room, if not "", is the room it names. Stream calls it first.
func (c *Counters) Connecting(room string) {
	c.setConn(ConnConnecting, room)
}

// Connected says the platform accepted the connection; room, if not "",
// names the room (the Open Platform learns it only then).
func (c *Counters) Connected(room string) {
	c.setConn(ConnConnected, room)
}

// Reconnecting says the connection, or an attempt at one, failed with an
// error of class (ErrClass) and the source will try again. The first
// call after Connecting or Connected starts the state; the next ones
// count attempts and keep its Since.
func (c *Counters) Reconnecting(class string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn.State == ConnEnded {
		return
	}
	if c.conn.State != ConnReconnecting {
		c.conn.State, c.conn.Since, c.conn.Attempts = ConnReconnecting, time.Now(), 0
	}
	c.conn.Attempts++
	c.conn.Err = class
}

// Ended says the source has stopped for good, for an error of class
// (ErrClass; "" when it was cancelled). Once ended, no later call
// changes the state: the first end says why.
func (c *Counters) Ended(class string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn.State != ConnEnded {
		c.conn.State, c.conn.Since, c.conn.Attempts, c.conn.Err = ConnEnded, time.Now(), 0, class
	}
}

func (c *Counters) setConn(state ConnState, room string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn.State == ConnEnded {
		return
	}
	if room != "" {
		c.conn.Room = room
	}
	c.conn.State, c.conn.Since, c.conn.Attempts, c.conn.Err = state, time.Now(), 0, ""
}

// Got counts n events handed on at once, at at: the caller of Stream
// calls it once per batch. It takes no lock, so the hot path pays two
// atomic writes a batch.
func (c *Counters) Got(n int, at time.Time) {
	if c == nil || n <= 0 {
		return
	}
	c.events.Add(uint64(n))
	c.last.Store(at.UnixNano())
}

// Conn returns where the connection stands. A Counters no source has
// reported on is connecting, since the zero time.
func (c *Counters) Conn() Conn {
	if c == nil {
		return Conn{State: ConnConnecting}
	}
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn.State == "" {
		conn.State = ConnConnecting
	}
	conn.Events = c.events.Load()
	if ns := c.last.Load(); ns != 0 {
		conn.LastEvent = time.Unix(0, ns)
	}
	return conn
}

// The classes of errors Conn.Err names: why a connection ended or could
// not be made, in words a streamer can act on, with nothing of the
// error's text.
const (
	ErrClassTimeout  = "timeout"   // no answer, or silence, within the time allowed
	ErrClassRefused  = "refused"   // nothing accepted the connection: the server is down or the address wrong
	ErrClassDNS      = "dns"       // the server's name did not resolve
	ErrClassNetwork  = "network"   // the network failed otherwise (unreachable, no route)
	ErrClassTLS      = "tls"       // the TLS handshake or the server's certificate failed
	ErrClassClosed   = "closed"    // the server or the network closed the connection
	ErrClassAuth     = "auth"      // the platform refused the login, the key or the credentials
	ErrClassAPI      = "api"       // the platform's HTTP API failed or refused (a status, an error code)
	ErrClassNotFound = "not_found" // the room does not exist
	ErrClassProtocol = "protocol"  // the server sent what the source cannot follow
	ErrClassOther    = "other"
)

// EndClass is the class of the error a source's Stream ended with, by the
// source's own classifier: none when it ended cleanly or was cancelled.
func EndClass(ctx context.Context, err error, class func(error) string) string {
	if err == nil || ctx.Err() != nil {
		return ""
	}
	return class(err)
}

// ErrClass is the class of err that the error alone tells: network,
// DNS, TLS, timeouts, closed connections; "" for nil. A source maps its
// own errors (a refused login, an undecodable frame) before asking it.
func ErrClass(err error) string {
	var (
		dns    *net.DNSError
		ne     net.Error
		op     *net.OpError
		verify *tls.CertificateVerificationError
		header tls.RecordHeaderError
		alert  tls.AlertError
		ua     x509.UnknownAuthorityError
		host   x509.HostnameError
		inval  x509.CertificateInvalidError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &dns): // before timeouts: a DNS error can be one
		return ErrClassDNS
	case errors.Is(err, syscall.ECONNREFUSED):
		return ErrClassRefused
	case errors.As(err, &verify), errors.As(err, &header), errors.As(err, &alert),
		errors.As(err, &ua), errors.As(err, &host), errors.As(err, &inval):
		return ErrClassTLS
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return ErrClassTimeout
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.ErrClosedPipe),
		errors.Is(err, net.ErrClosed), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, syscall.EPIPE):
		return ErrClassClosed
	case errors.As(err, &op):
		return ErrClassNetwork
	}
	return ErrClassOther
}
