package web

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// TestStreamShares: a client with a share has at most streamsPerClient
// event streams, whatever the others hold; MaxClients still bounds them
// all; a stream ended gives its place back.
func TestStreamShares(t *testing.T) {
	s, _, _ := newTestServer("")
	s.init()
	a, b := netip.MustParsePrefix("192.168.1.66/32"), netip.MustParsePrefix("192.168.1.23/32")
	var held []*client
	defer func() {
		for _, c := range held {
			s.hub.unsubscribe(c)
		}
		s.hub.wait()
	}()
	sub := func(key netip.Prefix, shared bool) error {
		c, err := s.hub.subscribe(key, shared)
		if err == nil {
			held = append(held, c)
		}
		return err
	}
	for i := range streamsPerClient {
		if err := sub(a, true); err != nil {
			t.Fatalf("stream %d of one client: %v", i, err)
		}
	}
	if err := sub(a, true); !errors.Is(err, errStreamsShare) {
		t.Fatalf("stream %d of one client: %v, want %v", streamsPerClient+1, err, errStreamsShare)
	}
	if err := sub(b, true); err != nil {
		t.Fatalf("another client's stream: %v", err)
	}
	s.hub.unsubscribe(held[0])
	held = held[1:]
	if err := sub(a, true); err != nil {
		t.Fatalf("a stream of the client after one of its own ended: %v", err)
	}
	for len(held) < MaxClients {
		if err := sub(netip.Prefix{}, false); err != nil { // loopback: no share
			t.Fatalf("stream %d: %v", len(held)+1, err)
		}
	}
	// Every stream taken: b, holding fewer than a, takes a's newest; a,
	// then holding as many as anyone, is refused, as is a stream without a
	// share.
	var newest *client // a's
	for _, c := range held {
		if c.key == a && (newest == nil || c.n > newest.n) {
			newest = c
		}
	}
	if err := sub(b, true); err != nil {
		t.Fatalf("stream %d, of a client holding fewer: %v", MaxClients+1, err)
	}
	select {
	case <-newest.evicted:
	default:
		t.Fatal("the newest stream of the client holding the most was not evicted")
	}
	if err := sub(a, true); !errors.Is(err, errStreamsFull) {
		t.Fatalf("stream %d, of the client holding the most: %v, want %v", MaxClients+1, err, errStreamsFull)
	}
	if err := sub(netip.Prefix{}, false); !errors.Is(err, errStreamsFull) {
		t.Fatalf("stream %d without a share: %v, want %v", MaxClients+1, err, errStreamsFull)
	}
}

// TestStreamEvictionKeepsFairShares: 4 hostile clients fill every stream;
// the overlay's client then gets its streams, up to its share, each taken
// from the client holding the most, and no hostile client drops below
// what the overlay holds: eviction never takes a client below its fair
// share.
func TestStreamEvictionKeepsFairShares(t *testing.T) {
	s, _, _ := newTestServer("")
	s.init()
	var held []*client
	defer func() {
		for _, c := range held {
			s.hub.unsubscribe(c)
		}
		s.hub.wait()
	}()
	hostile := make([]netip.Prefix, 4)
	for i := range hostile {
		hostile[i] = netip.MustParsePrefix(fmt.Sprintf("127.0.0.%d/32", 2+i))
		for range streamsPerClient {
			c, err := s.hub.subscribe(hostile[i], true)
			if err != nil {
				t.Fatalf("hostile client %d: %v", i, err)
			}
			held = append(held, c)
		}
	}
	if _, err := s.hub.subscribe(hostile[0], true); err == nil {
		t.Fatal("a hostile client over its share got a stream")
	}
	overlay := netip.MustParsePrefix("127.0.0.50/32")
	for i := range streamsPerClient {
		c, err := s.hub.subscribe(overlay, true)
		if err != nil {
			t.Fatalf("the overlay's stream %d with every stream taken: %v", i+1, err)
		}
		held = append(held, c)
		s.hub.mu.Lock()
		for _, k := range hostile {
			if s.hub.shares[k] < s.hub.shares[overlay]-1 {
				t.Errorf("after the overlay's stream %d: %v holds %d, below the overlay's %d", i+1, k, s.hub.shares[k], s.hub.shares[overlay])
			}
		}
		if n := len(s.hub.clients); n != MaxClients {
			t.Errorf("%d streams open, want %d", n, MaxClients)
		}
		s.hub.mu.Unlock()
	}
	evicted := 0
	for _, c := range held {
		select {
		case <-c.evicted:
			evicted++
			if c.key == overlay {
				t.Error("the overlay's own stream was evicted")
			}
		default:
		}
	}
	if evicted != streamsPerClient {
		t.Errorf("%d streams evicted, want %d", evicted, streamsPerClient)
	}
}

// networkServer serves a test server on 127.0.0.1 with the network's
// checks (the token; shares of clients), counting the connections it
// holds by client address.
func networkServer(t *testing.T) (*Server, *fakeEngine, *perAddrListener, string) {
	t.Helper()
	s, eng, _ := newTestServer(testToken)
	s.Now = time.Now
	s.Exposure = ExposureNetwork
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	s.Metrics = m
	var pl *perAddrListener
	addr := serve(t, s, func(ln net.Listener) net.Listener {
		pl = &perAddrListener{Listener: ln, open: map[string]int{}, all: map[string]int{}}
		return pl
	})
	return s, eng, pl, addr
}

// perAddrListener counts the connections the server holds (accepted from
// the kernel and not closed) and all it accepted, by client IP.
type perAddrListener struct {
	net.Listener
	mu        sync.Mutex
	open, all map[string]int
}

func (l *perAddrListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	ip := c.RemoteAddr().(*net.TCPAddr).IP.String()
	l.mu.Lock()
	l.open[ip]++
	l.all[ip]++
	l.mu.Unlock()
	return &perAddrConn{Conn: c, release: func() { l.mu.Lock(); l.open[ip]--; l.mu.Unlock() }}, nil
}

func (l *perAddrListener) counts(ip string) (open, all int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open[ip], l.all[ip]
}

type perAddrConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *perAddrConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}

// from dials addr from the loopback address ip (any of 127.0.0.0/8 on
// Linux), skipping the test where the system cannot.
func from(t *testing.T, ip, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	c, err := d.DialContext(t.Context(), "tcp", addr)
	if err != nil {
		t.Skipf("cannot dial from %s: %v", ip, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// clientFrom is an HTTP client whose connections come from ip.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}, Timeout: 2 * time.Second}
}

// TestOneClientCannotStarveTheStreamer: a hostile client on the LAN
// (127.0.0.2) without the token asks for 16 event streams and opens 64
// more connections that send a login slowly (each held for the 10 s
// ReadTimeout): it gets streamsPerClient streams and holds connsPerClient
// connections, its others are closed at once. Meanwhile the streamer
// (127.0.0.3) stops the rig with the token and opens the overlay's stream
// at once, where the hostile client used to hold every one of the 64
// connections and all 16 streams.
func TestOneClientCannotStarveTheStreamer(t *testing.T) {
	const hostile, streamer = "127.0.0.2", "127.0.0.3"
	s, eng, pl, addr := networkServer(t)

	streams := 0
	var conns []net.Conn
	for range 16 {
		c := from(t, hostile, addr)
		fmt.Fprintf(c, "GET /api/events HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		switch {
		case err != nil && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "reset")):
			// closed at once: over the client's share of connections
		case err != nil:
			t.Fatalf("a hostile stream: %v", err)
		case res.StatusCode == http.StatusOK:
			streams++
		case res.StatusCode != http.StatusServiceUnavailable || !res.Close:
			t.Fatalf("a hostile stream over its share: %d (close %v), want 503 and the connection closed", res.StatusCode, res.Close)
		}
	}
	if streams != streamsPerClient {
		t.Fatalf("one client got %d of 16 event streams, want %d", streams, streamsPerClient)
	}
	const slow = 64
	for range slow {
		c := from(t, hostile, addr)
		fmt.Fprintf(c, "POST /api/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", addr)
	}
	poll(t, 5*time.Second, "every hostile connection to be accepted (most to be closed), or all the server takes", func() bool {
		open, all := pl.counts(hostile)
		return all == 16+slow || open >= DefaultMaxConns
	})

	c := clientFrom(streamer)
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/control/stop", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("the streamer's STOP while one client holds its share: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !slices.Contains(eng.Calls(), "stop") {
		t.Fatalf("the streamer's STOP: %d, engine %v", res.StatusCode, eng.Calls())
	}
	res, err = c.Get("http://" + addr + "/api/events")
	if err != nil {
		t.Fatalf("the streamer's overlay stream: %v", err)
	}
	defer res.Body.Close()
	if line, _ := bufio.NewReader(res.Body).ReadString('\n'); res.StatusCode != 200 || line != "retry: 2000\n" {
		t.Fatalf("the streamer's overlay stream: %d %q", res.StatusCode, line)
	}
	if open, all := pl.counts(hostile); open != connsPerClient {
		t.Fatalf("the server holds %d connections of one client (%d accepted), want its share %d", open, all, connsPerClient)
	}
	if n := refusedCount(t, s, refusedBusy); n < slow {
		t.Errorf("busy counted %d, want ≥ %d", n, slow)
	}
}

// TestPublicRequestsCloseTheirConnection: on the network, a request
// without the token, to a public path or refused, is answered and its
// connection closed, so nobody can hold connections open with a request
// every few seconds; one with the token keeps its connection for the next.
func TestPublicRequestsCloseTheirConnection(t *testing.T) {
	_, _, _, addr := networkServer(t)
	for _, c := range []struct {
		req   string
		code  int
		close bool
	}{
		{"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 200, true},
		{"GET /overlay HTTP/1.1\r\nHost: x\r\n\r\n", 200, true},
		{"HEAD /api/events HTTP/1.1\r\nHost: x\r\n\r\n", 200, true},
		{"GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n", 401, true},
		{"GET /api/status HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + testToken + "\r\n\r\n", 200, false},
	} {
		conn := from(t, "127.0.0.1", addr)
		br := bufio.NewReader(conn)
		method, _, _ := strings.Cut(c.req, " ")
		fmt.Fprint(conn, c.req)
		res, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			t.Fatalf("%.30q: %v", c.req, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != c.code || res.Close != c.close {
			t.Errorf("%.30q: %d, close %v; want %d, close %v", c.req, res.StatusCode, res.Close, c.code, c.close)
			continue
		}
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		if c.close {
			if _, err := br.ReadByte(); err != io.EOF {
				t.Errorf("%.30q: after the answer the connection gave %v, want EOF", c.req, err)
			}
			continue
		}
		fmt.Fprint(conn, c.req) // the same connection serves the next request
		if res, err := http.ReadResponse(br, nil); err != nil || res.StatusCode != c.code {
			t.Errorf("%.30q again on its connection: %v %v", c.req, res, err)
		}
	}
}
