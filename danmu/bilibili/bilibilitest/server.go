// Package bilibilitest is a fake Bilibili live server for tests, in the
// manner of net/http/httptest: the HTTP endpoints a client bootstraps from
// (room_init, nav, spi, getDanmuInfo) and the WebSocket /sub stream, served
// on 127.0.0.1 or over in-memory pipes for testing/synctest.
//
// It enforces the rules the real service enforces or that a well-behaved
// client must keep, and records every breach as a violation a test can
// assert on:
//
//   - getDanmuInfo needs a browser User-Agent, a buvid3 cookie and a valid
//     WBI signature (wts, w_rid) under the current keys, else -352;
//   - every token is good for one connection only, and only for the room
//     and uid it was issued to;
//   - the auth packet (op 7, protover 3, platform web, type 2, buvid, key)
//     must arrive within AuthTimeout of the connection opening;
//   - a connection without a heartbeat for HeartbeatTimeout is dropped;
//     heartbeat replies carry the real op-3 length quirk (the echo of the
//     client's heartbeat body is not counted in the packet length).
//
// Tests script the stream: Send and SendFrame deliver commands to every
// authenticated connection (queued until one exists), DropMidFrame cuts
// connections in the middle of a frame, Stall makes them go silent, and
// SendFrame with arbitrary bytes sends garbage.
//
// Only tests may import this package.
package bilibilitest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/internal/pipenet"
)

// Config describes the fake room. Zero fields take the defaults noted.
type Config struct {
	ShortID     int64 // 21
	RoomID      int64 // 21144080
	StreamerUID int64 // 1000
	// Logins maps a SESSDATA cookie value to the uid nav reports for it;
	// any other request is a guest.
	Logins map[string]int64
	// Hosts is how many entries getDanmuInfo's host_list has (all this
	// server); 0 = 2.
	Hosts int
	// DeadHosts puts this many unreachable entries at the front of the
	// host list, to exercise host rotation.
	DeadHosts int
	// SilentAuths is how many connections, from the first, get no auth
	// reply at all (a half-dead server).
	SilentAuths      int
	AuthTimeout      time.Duration // 0 = 5 s
	HeartbeatTimeout time.Duration // 0 = 60 s
}

// Stats is what the server has seen so far.
type Stats struct {
	RoomInits   int      // room_init requests
	Navs        int      // nav requests
	DanmuInfos  int      // getDanmuInfo requests answered with a token
	RiskControl int      // getDanmuInfo requests refused with -352
	Conns       int      // WebSocket connections accepted
	Auths       int      // connections authenticated
	Heartbeats  int      // heartbeats received
	Delivered   int      // op-5 frames written to authenticated connections
	Violations  []string // rule breaches by the client, in order
	LastAuth    string   // the last accepted auth body with the key replaced by "…"
}

// Server is a fake Bilibili. Create it with NewServer or NewPipeServer and
// Close it when done.
type Server struct {
	// URL is the base URL to pass as bilibili.Source.API.
	URL string

	cfg      Config
	http     *httptest.Server  // loopback mode
	pipe     *pipenet.Listener // in-memory mode
	pipeSrv  *http.Server
	wg       sync.WaitGroup
	hostName string
	port     int

	mu       sync.Mutex
	cond     chan struct{} // closed and replaced whenever stats change
	stats    Stats
	img, sub string
	tokens   map[string]tokenInfo
	conns    map[*fakeConn]bool
	pending  [][]byte
	silent   int // SilentAuths left
	closed   bool
}

type tokenInfo struct {
	room int64
	uid  int64
	used bool
}

// NewServer starts a fake on a loopback port. Pass s.URL as
// Source.API; the client dials the WebSocket with ordinary sockets.
func NewServer(cfg Config) *Server {
	s := newServer(cfg)
	s.http = httptest.NewServer(s.handler())
	s.URL = s.http.URL
	u, _ := url.Parse(s.URL)
	s.hostName = u.Hostname()
	s.port, _ = strconv.Atoi(u.Port())
	return s
}

// NewPipeServer starts a fake that is reachable only through s.Client()
// and s.Dial (set as Source.HTTPClient and Source.NetDial): every
// connection is an in-memory net.Pipe, so it runs inside a
// testing/synctest bubble. Start and Close it inside the bubble.
func NewPipeServer(cfg Config) *Server {
	s := newServer(cfg)
	s.pipe = pipenet.NewListener("bilibili.test:80")
	s.pipeSrv = &http.Server{Handler: s.handler()}
	s.URL = "http://bilibili.test"
	s.hostName, s.port = "bilibili.test", 80
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		_ = s.pipeSrv.Serve(s.pipe)
	}()
	return s
}

func newServer(cfg Config) *Server {
	if cfg.ShortID == 0 {
		cfg.ShortID = 21
	}
	if cfg.RoomID == 0 {
		cfg.RoomID = 21144080
	}
	if cfg.StreamerUID == 0 {
		cfg.StreamerUID = 1000
	}
	if cfg.Hosts <= 0 {
		cfg.Hosts = 2
	}
	if cfg.AuthTimeout <= 0 {
		cfg.AuthTimeout = 5 * time.Second
	}
	if cfg.HeartbeatTimeout <= 0 {
		cfg.HeartbeatTimeout = 60 * time.Second
	}
	s := &Server{
		cfg:    cfg,
		cond:   make(chan struct{}),
		tokens: map[string]tokenInfo{},
		conns:  map[*fakeConn]bool{},
		silent: cfg.SilentAuths,
	}
	s.img, s.sub = randomHex(16), randomHex(16)
	return s
}

// Client returns an HTTP client that reaches this server (for pipe servers
// the only way to; for loopback servers an ordinary client).
func (s *Server) Client() *http.Client {
	if s.pipe == nil {
		return s.http.Client()
	}
	return &http.Client{Transport: &http.Transport{DialContext: s.Dial}, Timeout: 15 * time.Second}
}

// Dial connects to the server whatever the address (for pipe servers; a
// loopback server dials 127.0.0.1 normally).
func (s *Server) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if s.pipe == nil {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	return s.pipe.Dial(ctx)
}

// Close drops every connection and stops the server. The HTTP client from
// Client should have its idle connections closed by the caller.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	conns := s.connList()
	s.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
	if s.http != nil {
		s.http.Close()
	} else {
		_ = s.pipeSrv.Close()
	}
	s.wg.Wait()
}

// Stats returns a copy of what the server has seen.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Violations = append([]string(nil), s.stats.Violations...)
	return st
}

// Violations returns the rule breaches seen so far.
func (s *Server) Violations() []string { return s.Stats().Violations }

// WaitFor blocks until cond(stats) holds or ctx ends.
func (s *Server) WaitFor(ctx context.Context, cond func(Stats) bool) error {
	for {
		s.mu.Lock()
		ok, ch := cond(s.stats), s.cond
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("bilibilitest: %w (stats %+v)", ctx.Err(), s.Stats())
		}
	}
}

// Key mints a connection key for guest room RoomID, as getDanmuInfo hands
// out, for a client that skips the HTTP steps: a benchmark's bare client
// that only reads frames. The key still works once only.
func (s *Server) Key() string {
	key := randomHex(48)
	s.mu.Lock()
	s.tokens[key] = tokenInfo{room: s.cfg.RoomID}
	s.mu.Unlock()
	return key
}

// WebSocketURL is the address a key from Key connects to.
func (s *Server) WebSocketURL() string {
	return "ws://" + net.JoinHostPort(s.hostName, strconv.Itoa(s.port)) + bilibili.PathWebSocket
}

// WaitAuths blocks until n connections have authenticated in total.
func (s *Server) WaitAuths(ctx context.Context, n int) error {
	return s.WaitFor(ctx, func(st Stats) bool { return st.Auths >= n })
}

// changed wakes WaitFor; s.mu must be held.
func (s *Server) changed() {
	close(s.cond)
	s.cond = make(chan struct{})
}

func (s *Server) violate(format string, args ...any) {
	s.mu.Lock()
	s.stats.Violations = append(s.stats.Violations, fmt.Sprintf(format, args...))
	s.changed()
	s.mu.Unlock()
}

func (s *Server) connList() []*fakeConn {
	out := make([]*fakeConn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

// authedConns returns the authenticated, live connections; s.mu held.
func (s *Server) authedConns() []*fakeConn {
	var out []*fakeConn
	for c := range s.conns {
		if c.authed {
			out = append(out, c)
		}
	}
	return out
}

// Send delivers the JSON command bodies as one brotli-compressed op-5
// frame (what protover 3 gets) to every authenticated connection, or to
// the next one to authenticate if there is none.
func (s *Server) Send(bodies ...[]byte) {
	s.SendFrame(BrotliFrame(bodies...))
}

// SendFrame delivers one raw WebSocket binary message as is, like Send:
// to every authenticated connection, else queued for the next.
func (s *Server) SendFrame(frame []byte) {
	s.mu.Lock()
	conns := s.authedConns()
	if len(conns) == 0 {
		s.pending = append(s.pending, frame)
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.write(frame)
	}
}

// SendFrameTo delivers one raw WebSocket binary message to the k-th
// connection to have authenticated (from 0), if it is still open: a
// benchmark alternates frames between clients with it.
func (s *Server) SendFrameTo(k int, frame []byte) {
	s.mu.Lock()
	var to *fakeConn
	for c := range s.conns {
		if c.authed && c.seq == k {
			to = c
			break
		}
	}
	s.mu.Unlock()
	if to != nil {
		to.write(frame)
	}
}

// RotateWBIKeys changes the WBI keys nav hands out; signatures made with
// the old keys now get -352.
func (s *Server) RotateWBIKeys() {
	s.mu.Lock()
	s.img, s.sub = randomHex(16), randomHex(16)
	s.mu.Unlock()
}

// DropMidFrame cuts every connection in the middle of a WebSocket frame:
// it writes a frame header announcing more bytes than follow, then closes
// the socket.
func (s *Server) DropMidFrame() {
	s.mu.Lock()
	conns := s.connList()
	s.mu.Unlock()
	for _, c := range conns {
		c.dropMidFrame()
	}
}

// Stall makes every current connection go silent: it stops answering
// heartbeats and delivering messages but stays open, as a half-dead
// server does. New connections behave normally.
func (s *Server) Stall() {
	s.mu.Lock()
	for c := range s.conns {
		c.stalled.Store(true)
	}
	s.mu.Unlock()
}
