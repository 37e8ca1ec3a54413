// Package douyutest is a fake Douyu danmaku server for tests, in the spirit
// of net/http/httptest.
//
// NewServer listens on 127.0.0.1 for WebSocket (URL), plain TCP (TCPURL) and
// the room-info API (APIURL). NewPipeServer listens nowhere: hand DialPipe
// to douyu.Source.NetDial and HTTPClient to Source.HTTPClient, and the whole
// exchange runs over net.Pipe inside one process, which testing/synctest can
// drive on its fake clock.
//
// The server speaks the real framing and STT, and is strict where the real
// one is: the first packet must be loginreq (answered with loginres and
// pingreq in one write), the next must be joingroup for its room with gid
// -9999; anything else is a violation answered with type@=error and a
// close. After the join it echoes mrkl and honours logout. Messages given
// to Send go to every joined connection; several queued messages go out in
// one write (one WebSocket message), and SetSplit cuts writes in two so that
// packets straddle reads. Drop, Stall and SendRaw make connections die, fall
// silent or carry garbage.
//
// Not to be imported by non-test code.
package douyutest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/gorilla/websocket"

	"github.com/cattease/cattease/danmu/douyu"
)

// Stats counts what the server saw. Totals are over the server's lifetime.
type Stats struct {
	Accepted   int // connections accepted
	Active     int // connections open now
	Logins     int // valid loginreq
	Joins      int // valid joingroup
	Heartbeats int // mrkl received
	Logouts    int // logout received
	Violations int // protocol violations (out-of-order or wrong packets)
	BadFrames  int // undecodable client packets
	LastRoom   string
	LastGID    string
	Lookups    int // room-info API requests, failed ones included
}

// Server is a fake Douyu danmaku server.
type Server struct {
	room  string
	owner string

	mu      sync.Mutex
	aliases map[string]string
	failAPI []int // HTTP statuses for the next room-info requests
	joinAny bool  // loginreq and joingroup may name an alias
	stats   Stats
	conns   map[*serverConn]struct{}
	onJoin  []douyu.Message
	split   bool
	changed chan struct{} // closed and replaced on every change
	closed  bool

	httpSrv *http.Server
	wsLn    net.Listener
	tcpLn   net.Listener
	wg      sync.WaitGroup
}

// NewServer starts a fake for room (the real room id joingroup must name)
// on 127.0.0.1, for WebSocket, TCP and the API. Close it when done.
func NewServer(room string) *Server {
	s := newServer(room)
	var err error
	if s.wsLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		panic(fmt.Sprintf("douyutest: listen: %v", err))
	}
	if s.tcpLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		panic(fmt.Sprintf("douyutest: listen: %v", err))
	}
	s.httpSrv = &http.Server{Handler: s}
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		_ = s.httpSrv.Serve(s.wsLn)
	}()
	go func() {
		defer s.wg.Done()
		for {
			c, err := s.tcpLn.Accept()
			if err != nil {
				return
			}
			s.serve(&tcpWire{c: c})
		}
	}()
	return s
}

// NewPipeServer returns a fake that listens nowhere; connect through
// DialPipe (TCP framing over net.Pipe). Safe inside a synctest bubble.
func NewPipeServer(room string) *Server { return newServer(room) }

func newServer(room string) *Server {
	return &Server{
		room:    room,
		aliases: map[string]string{},
		conns:   map[*serverConn]struct{}{},
		changed: make(chan struct{}),
	}
}

// URL is the WebSocket address: ws://127.0.0.1:PORT.
func (s *Server) URL() string { return "ws://" + s.wsLn.Addr().String() }

// TCPURL is the plain-TCP address: tcp://127.0.0.1:PORT.
func (s *Server) TCPURL() string { return "tcp://" + s.tcpLn.Addr().String() }

// NotFoundPage is what the room-info API answers, with HTTP 200, for an id
// that names no room: Douyu's page, not JSON (shortened).
const NotFoundPage = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>斗鱼</title></head>` +
	`<body><div class="error"><span><p>该房间目前没有开放</p></span></div></body></html>`

// APIURL is the base URL of the room-info API (GET /betard/{id}): the
// room's JSON for its id and its aliases, NotFoundPage for any other id.
func (s *Server) APIURL() string { return "http://" + s.wsLn.Addr().String() }

// SetOwner sets the streamer uid the API reports.
func (s *Server) SetOwner(uid string) {
	s.mu.Lock()
	s.owner = uid
	s.mu.Unlock()
}

// AddAlias makes the API resolve alias (a short or vanity id) to the room.
func (s *Server) AddAlias(alias string) {
	s.mu.Lock()
	s.aliases[alias] = s.room
	s.mu.Unlock()
}

// FailResolve makes the next len(statuses) room-info requests answer with
// these HTTP statuses, in order, as a network not up yet or a refusing
// API would.
func (s *Server) FailResolve(statuses ...int) {
	s.mu.Lock()
	s.failAPI = append(s.failAPI, statuses...)
	s.mu.Unlock()
}

// SetJoinAliases lets loginreq and joingroup name an alias of the room
// instead of its real id, as a server that lets a client join an id with
// no chat of its own: the connection gets what Send sends, with the real
// room's rid.
func (s *Server) SetJoinAliases(on bool) {
	s.mu.Lock()
	s.joinAny = on
	s.mu.Unlock()
}

// SetOnJoin scripts messages sent, in one write, to every connection right
// after its joingroup.
func (s *Server) SetOnJoin(msgs ...douyu.Message) {
	s.mu.Lock()
	s.onJoin = msgs
	s.mu.Unlock()
}

// SetSplit makes every later write of more than one byte go out as two
// writes (two WebSocket messages), cut at a varying point.
func (s *Server) SetSplit(on bool) {
	s.mu.Lock()
	s.split = on
	s.mu.Unlock()
}

// Send queues messages for every joined connection; messages passed in one
// call go out in one write.
func (s *Server) Send(msgs ...douyu.Message) {
	var b []byte
	for _, m := range msgs {
		b = douyu.AppendMessage(b, douyu.TypeServer, m)
	}
	s.SendRaw(b)
}

// SendBody frames body as it is (which may be invalid STT or UTF-8) and
// queues it for every joined connection.
func (s *Server) SendBody(body []byte) {
	s.SendRaw(douyu.AppendPacket(nil, douyu.TypeServer, body))
}

// SendRaw queues raw bytes (garbage, hand-made headers) for every joined
// connection.
func (s *Server) SendRaw(b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if c.joined {
			c.queue(b)
		}
	}
}

// Drop closes every connection abruptly (no error message, no close frame).
func (s *Server) Drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.w.close()
	}
}

// Stall makes every current connection silent: nothing more is written to
// it (not even mrkl echoes), though it stays open and is still read.
func (s *Server) Stall() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.stalled = true
	}
}

// Stats returns a snapshot of the counts.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Active = len(s.conns)
	return st
}

// Wait blocks until cond holds for the current Stats or ctx ends.
func (s *Server) Wait(ctx context.Context, cond func(Stats) bool) error {
	for {
		s.mu.Lock()
		st := s.stats
		st.Active = len(s.conns)
		ch := s.changed
		s.mu.Unlock()
		if cond(st) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("douyutest: waiting: %w (stats %+v)", ctx.Err(), st)
		}
	}
}

// notify wakes Waiters; s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Close closes the listeners and every connection and waits for the
// server's goroutines.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.w.close()
	}
	s.mu.Unlock()
	if s.httpSrv != nil {
		_ = s.httpSrv.Close()
	}
	if s.tcpLn != nil {
		_ = s.tcpLn.Close()
	}
	s.wg.Wait()
}

// DialPipe connects to the server over net.Pipe, whatever the address: use
// it as douyu.Source.NetDial with a tcp:// Addr.
func (s *Server) DialPipe(ctx context.Context, network, addr string) (net.Conn, error) {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return nil, errors.New("douyutest: server closed")
	}
	client, server := net.Pipe()
	s.serve(&tcpWire{c: server})
	return client, nil
}

// HTTPClient returns a client whose requests are answered in process by the
// server's API, without sockets.
func (s *Server) HTTPClient() *http.Client {
	return &http.Client{Transport: roundTripper{s}}
}

type roundTripper struct{ s *Server }

func (rt roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	rt.s.ServeHTTP(rec, req)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// ServeHTTP serves the WebSocket endpoint at / and the room-info API at
// /betard/{id}.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id, ok := strings.CutPrefix(r.URL.Path, "/betard/"); ok {
		s.serveBetard(w, id)
		return
	}
	if r.URL.Path != "/" || !websocket.IsWebSocketUpgrade(r) {
		http.NotFound(w, r)
		return
	}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	s.serve(&wsWire{c: c})
}

func (s *Server) serveBetard(w http.ResponseWriter, id string) {
	s.mu.Lock()
	s.stats.Lookups++
	s.notify()
	if len(s.failAPI) > 0 {
		status := s.failAPI[0]
		s.failAPI = s.failAPI[1:]
		s.mu.Unlock()
		http.Error(w, http.StatusText(status), status)
		return
	}
	real := ""
	if id == s.room {
		real = s.room
	} else if r, ok := s.aliases[id]; ok {
		real = r
	}
	owner := s.owner
	s.mu.Unlock()
	if real == "" {
		// Douyu's answer for an id that names no room: its page, with 200.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, NotFoundPage)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	// room_id as a number, owner_uid as a string: both shapes occur.
	room := map[string]any{"room_id": json.Number(real), "room_name": "fake room", "show_status": 1}
	if owner != "" {
		room["owner_uid"] = owner
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"room": room})
}

// wire is one transport's connection.
type wire interface {
	fill(sp *douyu.Splitter) error
	write(b []byte) error
	close()
}

type tcpWire struct {
	c    net.Conn
	once sync.Once
}

func (t *tcpWire) fill(sp *douyu.Splitter) error {
	n, err := sp.Fill(t.c)
	if n > 0 && err == io.EOF {
		return nil
	}
	return err
}
func (t *tcpWire) write(b []byte) error { _, err := t.c.Write(b); return err }
func (t *tcpWire) close()               { t.once.Do(func() { t.c.Close() }) }

type wsWire struct {
	c    *websocket.Conn
	cur  io.Reader
	once sync.Once
}

func (w *wsWire) fill(sp *douyu.Splitter) error {
	for {
		if w.cur == nil {
			_, r, err := w.c.NextReader()
			if err != nil {
				return err
			}
			w.cur = r
		}
		n, err := sp.Fill(w.cur)
		if errors.Is(err, io.EOF) {
			w.cur, err = nil, nil
		}
		if n > 0 || err != nil {
			return err
		}
	}
}
func (w *wsWire) write(b []byte) error { return w.c.WriteMessage(websocket.BinaryMessage, b) }
func (w *wsWire) close()               { w.once.Do(func() { w.c.Close() }) }

// serverConn is one client connection.
type serverConn struct {
	s       *Server
	w       wire
	joined  bool // under s.mu
	stalled bool // under s.mu
	pending []byte
	wmu     sync.Mutex    // serialises writes to w
	wake    chan struct{} // buffered 1
	done    chan struct{}
	nwrite  int
}

// queue appends b to the connection's pending output; s.mu must be held.
func (c *serverConn) queue(b []byte) {
	c.pending = append(c.pending, b...)
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (s *Server) serve(w wire) {
	c := &serverConn{s: s, w: w, wake: make(chan struct{}, 1), done: make(chan struct{})}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		w.close()
		return
	}
	s.conns[c] = struct{}{}
	s.stats.Accepted++
	s.wg.Add(2)
	s.notify()
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		c.readLoop()
		w.close()
		close(c.done)
		s.mu.Lock()
		delete(s.conns, c)
		s.notify()
		s.mu.Unlock()
	}()
	go func() {
		defer s.wg.Done()
		c.writeLoop()
	}()
}

// writeLoop sends whatever is pending, all in one write (or two when
// splitting), until the connection ends.
func (c *serverConn) writeLoop() {
	s := c.s
	for {
		select {
		case <-c.done:
			return
		case <-c.wake:
		}
		s.mu.Lock()
		if c.stalled || len(c.pending) == 0 {
			s.mu.Unlock()
			continue
		}
		b := c.pending
		c.pending = nil
		split := s.split
		s.mu.Unlock()
		c.nwrite++
		var err error
		c.wmu.Lock()
		if split && len(b) > 1 {
			cut := 1 + (c.nwrite*7919)%(len(b)-1)
			if err = c.w.write(b[:cut]); err == nil {
				err = c.w.write(b[cut:])
			}
		} else {
			err = c.w.write(b)
		}
		c.wmu.Unlock()
		if err != nil {
			c.w.close()
			return
		}
	}
}

// violation answers a protocol error with type@=error and closes.
func (c *serverConn) violation(code string) {
	s := c.s
	s.mu.Lock()
	s.stats.Violations++
	s.notify()
	s.mu.Unlock()
	c.wmu.Lock()
	_ = c.w.write(douyu.AppendMessage(nil, douyu.TypeServer, douyu.Msg("type", "error", "code", code)))
	c.wmu.Unlock()
}

func (c *serverConn) readLoop() {
	s := c.s
	sp := douyu.Splitter{Type: douyu.TypeClient}
	state := 0 // 0 want loginreq, 1 want joingroup, 2 joined
	for {
		for {
			p, ok, err := sp.Next()
			if err != nil {
				s.mu.Lock()
				s.stats.BadFrames++
				s.notify()
				s.mu.Unlock()
				return
			}
			if !ok {
				break
			}
			m, err := douyu.Decode(p.Body)
			if err != nil {
				s.mu.Lock()
				s.stats.BadFrames++
				s.notify()
				s.mu.Unlock()
				continue
			}
			keep, code := c.handle(&state, m)
			if code != "" {
				c.violation(code)
			}
			if !keep {
				return
			}
		}
		if err := c.w.fill(&sp); err != nil {
			return
		}
	}
}

// handle applies one client message. keep=false ends the connection; a
// non-empty code is a violation to answer with type@=error first.
func (c *serverConn) handle(state *int, m douyu.Message) (keep bool, code string) {
	s := c.s
	typ := m.Type()
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notify()
	switch {
	case typ == "logout":
		s.stats.Logouts++
		return false, ""
	case *state == 0 && typ == "loginreq":
		if !s.isRoom(m.Get("roomid")) {
			return false, "204" // wrong room id
		}
		s.stats.Logins++
		s.stats.LastRoom = m.Get("roomid")
		*state = 1
		var b []byte
		b = douyu.AppendMessage(b, douyu.TypeServer, douyu.Msg("type", "loginres", "userid", "0", "roomgroup", "0",
			"pg", "0", "sessionid", "0", "username", "", "nickname", "", "live_stat", "0", "is_illegal", "0"))
		b = douyu.AppendMessage(b, douyu.TypeServer, douyu.Msg("type", "pingreq", "tick", "1700000000000"))
		c.queue(b)
		return true, ""
	case *state >= 1 && (typ == "mrkl" || typ == "keeplive"):
		s.stats.Heartbeats++
		c.queue(douyu.AppendMessage(nil, douyu.TypeServer, douyu.Msg("type", "mrkl")))
		return true, ""
	case *state == 1 && typ == "joingroup":
		if !s.isRoom(m.Get("rid")) || m.Get("gid") != "-9999" {
			return false, "207" // parameter check failed
		}
		s.stats.Joins++
		s.stats.LastRoom = m.Get("rid")
		s.stats.LastGID = m.Get("gid")
		*state = 2
		c.joined = true
		var b []byte
		for _, m := range s.onJoin {
			b = douyu.AppendMessage(b, douyu.TypeServer, m)
		}
		if len(b) > 0 {
			c.queue(b)
		}
		return true, ""
	case *state == 2:
		return true, "" // sub, a second joingroup…: tolerated
	}
	return false, "51" // out of order
}

// isRoom reports whether id may be joined: the room's, or with
// SetJoinAliases one of its aliases; s.mu must be held.
func (s *Server) isRoom(id string) bool {
	if id == s.room {
		return true
	}
	_, alias := s.aliases[id]
	return s.joinAny && alias
}
