package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Exposure says who can reach the server, and so which checks it makes.
type Exposure int

const (
	// ExposureAuto decides from the listener's address: loopback or not.
	ExposureAuto Exposure = iota
	// ExposureLoopback: only this machine can connect. Every request must
	// name a loopback host (localhost, 127.0.0.1, [::1]) with the
	// listener's port in its Host header, so a web page that rebinds its
	// own name to 127.0.0.1 (DNS rebinding) gets 421 and reads nothing.
	ExposureLoopback
	// ExposureNetwork: other machines can connect. Every request needs the
	// token except the pages, their static files, the overlay's event
	// stream, login/logout/auth and /healthz (see publicPath).
	ExposureNetwork
)

func (e Exposure) String() string {
	switch e {
	case ExposureLoopback:
		return "loopback"
	case ExposureNetwork:
		return "network"
	}
	return "auto"
}

// exposureOf resolves ExposureAuto from a listener address.
func exposureOf(e Exposure, addr net.Addr) Exposure {
	if e != ExposureAuto {
		return e
	}
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		return ExposureLoopback
	}
	if addr != nil && LoopbackAddr(addr.String()) {
		return ExposureLoopback
	}
	return ExposureNetwork
}

// publicPath reports whether a request may go without the token when the
// server is reachable from the network: what the overlay needs to draw
// (its page, the static files, the event stream), what the panel needs to
// log in, the favicon and the liveness probe. None of these changes
// anything, and none shows more than the overlay shows on the stream.
func publicPath(method, path string) bool {
	if method != http.MethodGet && method != http.MethodHead {
		return method == http.MethodPost && (path == "/api/login" || path == "/api/logout")
	}
	switch path {
	case "/", "/overlay", "/panel", "/favicon.ico", "/api/events", "/api/auth", "/healthz":
		return true
	}
	return strings.HasPrefix(path, "/static/")
}

// guard wraps the routes with the checks of the exposure: a Host check on
// loopback, the token on everything but publicPath on the network.
func (s *Server) guard(h http.Handler, exp Exposure, addr net.Addr) http.Handler {
	switch exp {
	case ExposureLoopback:
		port := ""
		if addr != nil {
			if _, p, err := net.SplitHostPort(addr.String()); err == nil {
				port = p
			}
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !loopbackHostHeader(r.Host, port) {
				s.refuse(refusedHost)
				if ok, n := s.hostLog.allow(s.now()); ok {
					s.Log.Warn("web: request for another host refused (DNS rebinding?)", "host", clipHost(r.Host), "remote", r.RemoteAddr, unloggedAttr(n))
				}
				writeJSON(w, http.StatusMisdirectedRequest, apiError{"web: this server answers to localhost only"})
				return
			}
			h.ServeHTTP(w, r)
		})
	case ExposureNetwork:
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r = r.WithContext(context.WithValue(r.Context(), clientShare{}, requestClient(r)))
			if !carriesCredentials(r) {
				// Its body within bodyTimeout, not the ReadTimeout of 10 s:
				// a few addresses holding slow logins would otherwise hold
				// connections the streamer's STOP needs. An event stream
				// lifts the deadline once subscribed.
				http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyTimeout))
			}
			if publicPath(r.Method, r.URL.Path) {
				if r.Method != http.MethodGet || r.URL.Path != "/api/events" {
					closeAfter(w)
				}
				h.ServeHTTP(w, r)
				return
			}
			if res, wait := s.authorize(w, r); res != authOK {
				closeAfter(w)
				s.deny(w, res, wait)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	return h
}

// bodyTimeout is how long a request without the token or the panel's
// cookie has, on the network, from its headers to the end of its body (a
// login's token is a few dozen bytes): as long as its headers had.
var bodyTimeout = readHeaderTimeout // a variable for tests

// carriesCredentials reports whether r carries a bearer token or the
// panel's cookie, right or wrong: who has them gets the server's
// ReadTimeout for its body.
func carriesCredentials(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" {
		return true
	}
	_, err := r.Cookie(CookieName)
	return err == nil
}

// closeAfter has the connection closed once the answer is sent. On the
// network a request that carried no valid token (one that needs none, or
// one refused for it) does not keep its connection open for the next:
// anyone on the LAN could otherwise hold connections open for ever with a
// request every few seconds. An event stream holds its connection anyway,
// and counts in its client's share of streams.
func closeAfter(w http.ResponseWriter) { w.Header().Set("Connection", "close") }

// loopbackHostHeader reports whether a Host header names this server on
// loopback: localhost or a loopback IP, with the listener's port (which a
// browser leaves out only for port 80).
func loopbackHostHeader(host, port string) bool {
	h, p, err := net.SplitHostPort(host)
	if err != nil { // no port
		h, p = host, "80"
	}
	if port != "" && p != port {
		return false
	}
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h == "localhost" {
		return true
	}
	if strings.Contains(h, ":") && !strings.HasPrefix(host, "[") {
		return false // an IPv6 literal must be bracketed
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// clipHost bounds a hostile Host header in a log line.
func clipHost(h string) string {
	if len(h) > 64 {
		return strconv.Quote(h[:64]) + "…"
	}
	return strconv.Quote(h)
}

// limitListener accepts at most n connections at once. Without
// perClient (loopback, where every client is this machine) Accept waits
// while n are open, so further clients wait in the kernel's backlog (a few
// hundred bytes each) instead of costing a goroutine and buffers each;
// golang.org/x/net/netutil.LimitListener does that part, and these lines
// spare a dependency.
//
// With perClient > 0 (the network), every connection is accepted from the
// kernel at once, since a client cannot be told from another in the
// backlog, and then:
//   - a client (clientKey) that has perClient open has it closed;
//   - below n open, it is kept;
//   - at n, fair-share eviction: a client holding fewer than the client
//     holding the most is kept, and that client's newest connection is
//     closed in its place, so that a few addresses together cannot take
//     every connection from the streamer's phone; a client holding as
//     many as anyone has it closed. A client evicted from still holds at
//     least as many as the newcomer: nobody drops below a fair share.
//
// refused, if set, is told of each connection closed, evicted says whether
// it was held.
type limitListener struct {
	net.Listener
	n         int
	sem       chan struct{} // without perClient: one slot per open connection
	done      chan struct{} // closed by Close: a waiting Accept returns
	once      sync.Once
	perClient int
	refused   func(remote net.Addr, evicted bool)

	mu      sync.Mutex
	open    int                           // connections held, with perClient
	clients map[netip.Prefix][]*limitConn // held by client, oldest first, with perClient
}

func newLimitListener(ln net.Listener, n, perClient int, refused func(net.Addr, bool)) *limitListener {
	return &limitListener{Listener: ln, n: n, sem: make(chan struct{}, n), done: make(chan struct{}),
		perClient: perClient, refused: refused, clients: map[netip.Prefix][]*limitConn{}}
}

func (l *limitListener) Accept() (net.Conn, error) {
	if l.perClient <= 0 {
		select {
		case l.sem <- struct{}{}:
		case <-l.done:
			return nil, net.ErrClosed
		}
		c, err := l.Listener.Accept()
		if err != nil {
			<-l.sem
			return nil, err
		}
		return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
	}
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		lc := &limitConn{Conn: c, key: clientKey(c.RemoteAddr().String(), c.LocalAddr())}
		lc.release = func() { l.give(lc) }
		victim, ok := l.take(lc)
		if victim != nil {
			victim.Close()
			if l.refused != nil {
				l.refused(victim.RemoteAddr(), true)
			}
		}
		if ok {
			return lc, nil
		}
		c.Close()
		if l.refused != nil {
			l.refused(c.RemoteAddr(), false)
		}
	}
}

// take holds c, unless its client has its share open or, with every
// connection taken, holds as many as anyone; victim, if not nil, was held
// and is to be closed in c's place.
func (l *limitListener) take(c *limitConn) (victim *limitConn, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	mine := len(l.clients[c.key])
	if mine >= l.perClient {
		return nil, false
	}
	if l.open >= l.n {
		var most netip.Prefix
		for k, cs := range l.clients {
			if len(cs) > len(l.clients[most]) {
				most = k
			}
		}
		cs := l.clients[most]
		if len(cs) <= mine {
			return nil, false
		}
		victim = cs[len(cs)-1]
		l.drop(victim)
	}
	l.clients[c.key] = append(l.clients[c.key], c)
	l.open++
	return victim, true
}

// give lets go of c, once it is closed, unless take evicted it.
func (l *limitListener) give(c *limitConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !c.dropped {
		l.drop(c)
	}
}

// drop forgets c. Caller holds l.mu.
func (l *limitListener) drop(c *limitConn) {
	c.dropped = true
	cs := slices.DeleteFunc(l.clients[c.key], func(o *limitConn) bool { return o == c })
	if len(cs) == 0 {
		delete(l.clients, c.key)
	} else {
		l.clients[c.key] = cs
	}
	l.open--
}

func (l *limitListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitConn gives its slot back once, at the first Close.
type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
	key     netip.Prefix // its client, with perClient
	dropped bool         // no longer held (closed, or evicted); guarded by the listener's mu
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
