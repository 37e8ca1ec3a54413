package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
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

// limitListener accepts at most n connections at once: Accept waits while
// n are open, so further clients wait in the kernel's backlog (a few
// hundred bytes each) instead of costing a goroutine and buffers each.
// With perClient > 0, a client (clientKey) that has perClient open has its
// next ones closed as soon as they are accepted: a client cannot tell its
// connections from another's in the backlog, so holding them there would
// let one client keep every other waiting. refused, if set, is told of
// each one closed. golang.org/x/net/netutil.LimitListener does the first
// part; these lines spare a dependency.
type limitListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{} // closed by Close: a waiting Accept returns
	once      sync.Once
	perClient int
	refused   func(remote net.Addr)

	mu      sync.Mutex
	clients map[netip.Prefix]int // open connections by client, with perClient
}

func newLimitListener(ln net.Listener, n, perClient int, refused func(net.Addr)) *limitListener {
	return &limitListener{Listener: ln, sem: make(chan struct{}, n), done: make(chan struct{}),
		perClient: perClient, refused: refused, clients: map[netip.Prefix]int{}}
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
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
		if l.perClient <= 0 {
			return &limitConn{Conn: c, release: l.release}, nil
		}
		key := clientKey(c.RemoteAddr().String(), c.LocalAddr())
		if l.take(key) {
			return &limitConn{Conn: c, release: func() { l.give(key); l.release() }}, nil
		}
		c.Close()
		l.release()
		if l.refused != nil {
			l.refused(c.RemoteAddr())
		}
	}
}

func (l *limitListener) release() { <-l.sem }

// take counts a connection of key, unless key has its share open.
func (l *limitListener) take(key netip.Prefix) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.clients[key] >= l.perClient {
		return false
	}
	l.clients[key]++
	return true
}

func (l *limitListener) give(key netip.Prefix) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.clients[key]--; l.clients[key] <= 0 {
		delete(l.clients, key)
	}
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
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
