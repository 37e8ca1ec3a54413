package web

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"image/png"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// serve runs s on a fresh 127.0.0.1 listener (wrapped by wrap, if given)
// until the test ends, and returns its address.
func serve(t *testing.T, s *Server, wrap func(net.Listener) net.Listener) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if wrap != nil {
		ln = wrap(ln)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Serve: %v", err)
		}
	})
	return addr
}

// get sends one request with the given Host header and headers.
func get(t *testing.T, addr, host, path string, hdr ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", "http://"+addr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	res, err := (&http.Client{Transport: tr, Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s (Host %q): %v", path, host, err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Type") == "text/event-stream" {
		line, _ := bufio.NewReader(res.Body).ReadString('\n')
		return res.StatusCode, line
	}
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// countingListener counts the connections the server holds: accepted
// from the kernel and not yet closed.
type countingListener struct {
	net.Listener
	mu             sync.Mutex
	open, max, all int
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.open++
	l.all++
	l.max = max(l.max, l.open)
	l.mu.Unlock()
	return &countedConn{Conn: c, l: l}, nil
}

func (l *countingListener) counts() (open, maxOpen, all int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open, l.max, l.all
}

type countedConn struct {
	net.Conn
	l    *countingListener
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.l.mu.Lock(); c.l.open--; c.l.mu.Unlock() })
	return c.Conn.Close()
}

// poll waits for cond, failing after d.
func poll(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(d)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
	}
}

// TestConnectionCap: 3,000 idle connections (the attack on a
// 512 MB Pi) never make the server hold more than MaxConns at once; the
// rest wait in the kernel's backlog; silent ones are closed after
// readHeaderTimeout, so they cannot keep the slots; once they are gone the
// server answers as usual.
func TestConnectionCap(t *testing.T) {
	const limit, idle = 8, 3000
	s, _, _ := newTestServer(testToken)
	s.MaxConns = limit
	var cl *countingListener
	addr := serve(t, s, func(ln net.Listener) net.Listener { cl = &countingListener{Listener: ln}; return cl })
	conns := make([]net.Conn, 0, idle)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range idle {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatalf("dial %d: %v", len(conns), err)
		}
		conns = append(conns, c)
	}
	poll(t, 5*time.Second, "the first connections to be accepted", func() bool { _, _, all := cl.counts(); return all >= limit })
	// Silent connections are dropped after readHeaderTimeout, freeing
	// their slots for the next ones in the backlog.
	poll(t, 4*readHeaderTimeout, "silent connections to be dropped and others accepted",
		func() bool { _, _, all := cl.counts(); return all >= 2*limit })
	if _, maxOpen, all := cl.counts(); maxOpen > limit {
		t.Fatalf("the server held %d connections at once (cap %d; %d accepted so far)", maxOpen, limit, all)
	}
	for _, c := range conns {
		c.Close()
	}
	conns = nil
	poll(t, 10*time.Second, "the backlog to drain", func() bool { open, _, all := cl.counts(); return open == 0 && all == idle })
	if code, _ := get(t, addr, "", "/healthz"); code != http.StatusOK {
		t.Fatalf("healthz after the flood: %d", code)
	}
	if _, maxOpen, _ := cl.counts(); maxOpen > limit {
		t.Fatalf("the server held %d connections at once (cap %d)", maxOpen, limit)
	}
}

// TestLoopbackHostCheck: on loopback the server answers only to
// localhost names with its own port, so a page that rebinds its DNS name
// to 127.0.0.1 cannot read the status.
func TestLoopbackHostCheck(t *testing.T) {
	s, _, _ := newTestServer(testToken)
	addr := serve(t, s, nil)
	_, port, _ := net.SplitHostPort(addr)
	for host, want := range map[string]int{
		"127.0.0.1:" + port:         200,
		"localhost:" + port:         200,
		"LOCALHOST.:" + port:        200,
		"[::1]:" + port:             200,
		"evil.example:" + port:      421, // DNS rebinding
		"evil.example":              421,
		"127.0.0.1.evil.example":    421,
		"localhost:1":               421, // another port: another origin
		"127.0.0.1":                 421, // port 80 implied
		"192.168.1.5:" + port:       421,
		"[::ffff:7f00:1]:" + port:   200, // 127.0.0.1 mapped into IPv6
		"::1:" + port:               421,
		"localhost.evil.example:80": 421,
	} {
		code, body := get(t, addr, host, "/api/status")
		if code != want {
			t.Errorf("Host %q: %d %.80s, want %d", host, code, body, want)
		}
	}
}

// TestNetworkNeedsToken: reachable from the network, the server shows
// only the overlay's own data without the token. The test binds 127.0.0.1
// and forces the network policy.
func TestNetworkNeedsToken(t *testing.T) {
	s, _, _ := newTestServer(testToken)
	s.Exposure = ExposureNetwork
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	s.Metrics = m
	addr := serve(t, s, nil)
	bearer := []string{"Authorization", "Bearer " + testToken}
	for _, c := range []struct {
		path   string
		hdr    []string
		want   int
		public bool
	}{
		{"/", nil, 200, true},
		{"/overlay", nil, 200, true},
		{"/panel", nil, 200, true},
		{"/static/overlay.js", nil, 200, true},
		{"/favicon.ico", nil, 200, true},
		{"/api/events", nil, 200, true},
		{"/healthz", nil, 200, true},
		{"/api/auth", nil, 401, true}, // public, and says no
		{"/api/status", nil, 401, false},
		{"/api/commands", nil, 401, false},
		{"/metrics", nil, 401, false},
		{"/api/status", []string{"Authorization", "Bearer wrong-token-wrong-token"}, 401, false},
		{"/api/status", bearer, 200, false},
		{"/metrics", bearer, 200, false},
		{"/api/commands", bearer, 200, false},
		{"/api/status", []string{"Cookie", CookieName + "=" + s.session(s.now())}, 200, false},
		{"/api/status", []string{"Cookie", CookieName + "=" + testToken}, 401, false}, // the token itself is no session
	} {
		code, body := get(t, addr, "cat.local:8080", c.path, c.hdr...) // any name: no Host check here
		if code != c.want {
			t.Errorf("GET %s %q: %d %.80s, want %d", c.path, c.hdr, code, body, c.want)
		}
		if publicPath("GET", c.path) != c.public {
			t.Errorf("publicPath(%s) = %v", c.path, !c.public)
		}
	}
	if publicPath("POST", "/api/control/stop") || !publicPath("POST", "/api/login") || publicPath("DELETE", "/") {
		t.Error("publicPath: POSTs other than login/logout must need the token")
	}

	open, _, _ := newTestServer("")
	open.Exposure = ExposureNetwork
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := open.Serve(t.Context(), ln); err == nil {
		t.Fatal("Serve on the network without a token must fail")
	}
}

func TestExposureOf(t *testing.T) {
	for addr, want := range map[string]Exposure{
		"127.0.0.1:80": ExposureLoopback, "[::1]:80": ExposureLoopback, "0.0.0.0:80": ExposureNetwork,
		"[::]:80": ExposureNetwork, "192.168.1.2:80": ExposureNetwork,
	} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := exposureOf(ExposureAuto, a); got != want {
			t.Errorf("%s: %v, want %v", addr, got, want)
		}
		if got := exposureOf(ExposureNetwork, a); got != ExposureNetwork {
			t.Errorf("%s forced: %v", addr, got)
		}
	}
}

func TestFavicon(t *testing.T) {
	s, _, _ := newTestServer(testToken)
	w := do(t, s.Handler(), "GET", "/favicon.ico", "")
	b := w.Body.Bytes()
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/x-icon" || len(b) < 22 || !bytes.Equal(b[:4], []byte{0, 0, 1, 0}) {
		t.Fatalf("favicon: %d %q % x", w.Code, w.Header().Get("Content-Type"), b[:min(len(b), 8)])
	}
	img, err := png.Decode(bytes.NewReader(b[22:]))
	if err != nil || img.Bounds().Dx() != 32 {
		t.Fatalf("favicon image: %v", err)
	}
}
