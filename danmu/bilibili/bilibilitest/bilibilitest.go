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
	"bytes"
	"compress/zlib"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/gorilla/websocket"

	"github.com/cattease/cattease/danmu/bilibili"
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
	http     *httptest.Server // loopback mode
	pipe     *pipeListener    // in-memory mode
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
	s.pipe = newPipeListener()
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
	return s.pipe.dial(ctx)
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

func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+bilibili.PathRoomInit, s.roomInit)
	mux.HandleFunc("GET "+bilibili.PathNav, s.nav)
	mux.HandleFunc("GET "+bilibili.PathSPI, s.spi)
	mux.HandleFunc("GET "+bilibili.PathDanmuInfo, s.danmuInfo)
	mux.HandleFunc("GET "+bilibili.PathWebSocket, s.webSocket)
	return mux
}

func writeJSON(w http.ResponseWriter, code int64, message string, data any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": message, "ttl": 1, "data": data})
}

func (s *Server) roomInit(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.stats.RoomInits++
	s.changed()
	s.mu.Unlock()
	id, _ := strconv.ParseInt(r.URL.Query().Get("id"), 10, 64)
	if id == 0 || (id != s.cfg.ShortID && id != s.cfg.RoomID) {
		writeJSON(w, 60004, "直播间不存在", map[string]any{})
		return
	}
	writeJSON(w, 0, "ok", map[string]any{
		"room_id": s.cfg.RoomID, "short_id": s.cfg.ShortID, "uid": s.cfg.StreamerUID, "live_status": 1,
	})
}

// login returns the uid of the request's SESSDATA, 0 for guests.
func (s *Server) login(r *http.Request) int64 {
	if c, err := r.Cookie("SESSDATA"); err == nil {
		return s.cfg.Logins[c.Value]
	}
	return 0
}

func (s *Server) nav(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.stats.Navs++
	s.changed()
	img, sub := s.img, s.sub
	s.mu.Unlock()
	wbi := map[string]any{
		"img_url": "https://i0.hdslb.com/bfs/wbi/" + img + ".png",
		"sub_url": "https://i0.hdslb.com/bfs/wbi/" + sub + ".png",
	}
	if uid := s.login(r); uid != 0 {
		writeJSON(w, 0, "0", map[string]any{"isLogin": true, "mid": uid, "wbi_img": wbi})
		return
	}
	writeJSON(w, -101, "账号未登录", map[string]any{"isLogin": false, "wbi_img": wbi})
}

func (s *Server) spi(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 0, "ok", map[string]any{"b_3": randomBuvid(), "b_4": randomHex(16)})
}

func (s *Server) danmuInfo(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	img, sub := s.img, s.sub
	s.mu.Unlock()
	var problems []string
	if ua := r.UserAgent(); !strings.Contains(ua, "Mozilla/5.0") || !strings.Contains(ua, "Chrome/") {
		problems = append(problems, "no browser User-Agent")
	}
	if c, err := r.Cookie("buvid3"); err != nil || c.Value == "" {
		problems = append(problems, "no buvid3 cookie")
	}
	if q.Get("wts") == "" || q.Get("w_rid") == "" {
		problems = append(problems, "no WBI parameters")
	} else if !bilibili.WBIValid(q, img, sub) {
		problems = append(problems, "WBI signature does not match the current keys")
	}
	if len(problems) > 0 {
		s.mu.Lock()
		s.stats.RiskControl++
		// A stale key is normal after RotateWBIKeys; the rest is a bug.
		if len(problems) > 1 || problems[0] != "WBI signature does not match the current keys" {
			s.stats.Violations = append(s.stats.Violations, "getDanmuInfo: "+strings.Join(problems, ", "))
		}
		s.changed()
		s.mu.Unlock()
		writeJSON(w, -352, "-352", map[string]any{"v_voucher": "voucher_fake"})
		return
	}
	id, _ := strconv.ParseInt(q.Get("id"), 10, 64)
	if id != s.cfg.RoomID {
		s.violate("getDanmuInfo: id=%q is not the real room id %d", q.Get("id"), s.cfg.RoomID)
		writeJSON(w, 1002002, "房间号错误", nil)
		return
	}
	token := randomHex(48)
	var hosts []map[string]any
	for range s.cfg.DeadHosts {
		hosts = append(hosts, map[string]any{"host": "127.0.0.1", "port": 1, "wss_port": 1, "ws_port": 1})
	}
	for range s.cfg.Hosts {
		hosts = append(hosts, map[string]any{"host": s.hostName, "port": s.port, "wss_port": s.port, "ws_port": s.port})
	}
	s.mu.Lock()
	s.tokens[token] = tokenInfo{room: id, uid: s.login(r)}
	s.stats.DanmuInfos++
	s.changed()
	s.mu.Unlock()
	writeJSON(w, 0, "0", map[string]any{
		"group": "live", "business_id": 0, "refresh_row_factor": 0.125, "refresh_rate": 100,
		"max_delay": 5000, "token": token, "host_list": hosts,
	})
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (s *Server) webSocket(w http.ResponseWriter, r *http.Request) {
	if r.UserAgent() == "" {
		s.violate("WebSocket handshake without User-Agent")
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &fakeConn{srv: s, ws: ws}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ws.Close()
		return
	}
	s.conns[c] = true
	s.stats.Conns++
	s.changed()
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()
	c.serve()
}

// randomHex returns n random bytes as hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func randomBuvid() string {
	h := strings.ToUpper(randomHex(16))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32] + "12345infoc"
}

// Frame returns one packet (header + body) with the given version and
// operation, e.g. Frame(0, 5, body) for an uncompressed command.
func Frame(ver uint16, op uint32, body []byte) []byte {
	return bilibili.AppendPacket(nil, ver, op, body)
}

// inner concatenates the bodies as plain op-5 packets.
func inner(bodies [][]byte) []byte {
	var b []byte
	for _, body := range bodies {
		b = bilibili.AppendPacket(b, bilibili.VerJSON, bilibili.OpMessage, body)
	}
	return b
}

// BrotliFrame packs the command bodies as plain packets inside one
// brotli-compressed op-5 packet, as Bilibili batches them for protover 3.
func BrotliFrame(bodies ...[]byte) []byte {
	var z bytes.Buffer
	w := brotli.NewWriterLevel(&z, 5)
	_, _ = w.Write(inner(bodies))
	_ = w.Close()
	return Frame(bilibili.VerBrotli, bilibili.OpMessage, z.Bytes())
}

// ZlibFrame is BrotliFrame with zlib (protover 2, the open platform).
func ZlibFrame(bodies ...[]byte) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	_, _ = w.Write(inner(bodies))
	_ = w.Close()
	return Frame(bilibili.VerZlib, bilibili.OpMessage, z.Bytes())
}

// fakeConn is one WebSocket connection on the server side.
type fakeConn struct {
	srv     *Server
	ws      *websocket.Conn
	wmu     sync.Mutex // one writer at a time: replies, Send, drops
	authed  bool       // guarded by srv.mu
	stalled atomic.Bool
	gone    bool // guarded by wmu
}

func (c *fakeConn) write(frame []byte) {
	if c.stalled.Load() {
		return
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.gone {
		return
	}
	_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := c.ws.WriteMessage(websocket.BinaryMessage, frame); err != nil {
		c.gone = true
		c.ws.Close()
		return
	}
	if len(frame) >= 12 && binary.BigEndian.Uint32(frame[8:]) == bilibili.OpMessage {
		c.srv.mu.Lock()
		c.srv.stats.Delivered++
		c.srv.changed()
		c.srv.mu.Unlock()
	}
}

func (c *fakeConn) close() {
	c.wmu.Lock()
	c.gone = true
	c.wmu.Unlock()
	c.ws.Close()
}

// dropMidFrame writes the start of a binary frame that announces 100
// payload bytes, sends 10, and closes the socket.
func (c *fakeConn) dropMidFrame() {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.gone {
		return
	}
	c.gone = true
	partial := append([]byte{0x82, 100}, bilibili.AppendPacket(nil, 0, bilibili.OpMessage, []byte(`{"cmd":"DANMU_MSG","info":[`))[:10]...)
	nc := c.ws.NetConn()
	_ = nc.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = nc.Write(partial)
	_ = nc.Close()
}

// serve checks the auth packet, then answers heartbeats until the client
// goes away, breaks a rule, or the server closes.
func (c *fakeConn) serve() {
	s := c.srv
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.changed()
		s.mu.Unlock()
		c.close()
	}()
	_ = c.ws.SetReadDeadline(time.Now().Add(s.cfg.AuthTimeout))
	_, msg, err := c.ws.ReadMessage()
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			s.violate("no auth packet within %v", s.cfg.AuthTimeout)
		}
		return
	}
	if problem := c.checkAuth(msg); problem != "" {
		s.violate("auth: %s", problem)
		c.write(Frame(bilibili.VerRaw, bilibili.OpAuthReply, []byte(`{"code":-101}`)))
		return
	}
	s.mu.Lock()
	silent := s.silent > 0
	if silent {
		s.silent--
	}
	s.mu.Unlock()
	if silent {
		for {
			_ = c.ws.SetReadDeadline(time.Time{})
			if _, _, err := c.ws.ReadMessage(); err != nil {
				return
			}
		}
	}
	c.write(Frame(bilibili.VerRaw, bilibili.OpAuthReply, []byte(`{"code":0}`)))
	s.mu.Lock()
	c.authed = true
	s.stats.Auths++
	pending := s.pending
	s.pending = nil
	s.changed()
	s.mu.Unlock()
	for _, f := range pending {
		c.write(f)
	}

	for {
		_ = c.ws.SetReadDeadline(time.Now().Add(s.cfg.HeartbeatTimeout))
		_, msg, err := c.ws.ReadMessage()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && !c.stalled.Load() {
				s.violate("no heartbeat for %v", s.cfg.HeartbeatTimeout)
			}
			return
		}
		if len(msg) < bilibili.HeaderLen || binary.BigEndian.Uint32(msg[8:]) != bilibili.OpHeartbeat {
			s.violate("unexpected client packet after auth (%d bytes)", len(msg))
			continue
		}
		s.mu.Lock()
		s.stats.Heartbeats++
		s.changed()
		s.mu.Unlock()
		// The real reply: plen counts the popularity only, the echo of the
		// client's body follows uncounted.
		reply := Frame(bilibili.VerRaw, bilibili.OpHeartbeatReply, []byte{0, 0, 0x09, 0xa2})
		reply = append(reply, msg[bilibili.HeaderLen:]...)
		c.write(reply)
	}
}

// checkAuth validates an op-7 packet; "" means accepted.
func (c *fakeConn) checkAuth(msg []byte) string {
	if len(msg) < bilibili.HeaderLen {
		return "short packet"
	}
	plen := binary.BigEndian.Uint32(msg[0:])
	ver := binary.BigEndian.Uint16(msg[6:])
	op := binary.BigEndian.Uint32(msg[8:])
	if op != bilibili.OpAuth || ver != bilibili.VerRaw || int(plen) != len(msg) {
		return fmt.Sprintf("first packet is op %d ver %d len %d/%d, want op 7 ver 1", op, ver, plen, len(msg))
	}
	var a struct {
		UID      *int64 `json:"uid"`
		RoomID   int64  `json:"roomid"`
		ProtoVer int    `json:"protover"`
		Buvid    string `json:"buvid"`
		Platform string `json:"platform"`
		Type     int    `json:"type"`
		Key      string `json:"key"`
	}
	d := json.NewDecoder(bytes.NewReader(msg[bilibili.HeaderLen:]))
	d.DisallowUnknownFields()
	if err := d.Decode(&a); err != nil {
		return "body: " + err.Error()
	}
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[a.Key]
	switch {
	case a.Key == "" || !ok:
		return "unknown key"
	case t.used:
		return "key reused: tokens are fetched fresh for every connection"
	case a.RoomID != s.cfg.RoomID:
		return fmt.Sprintf("roomid %d, want the real room id %d", a.RoomID, s.cfg.RoomID)
	case a.UID == nil || *a.UID != t.uid:
		return fmt.Sprintf("uid does not match the cookie that fetched the key (want %d)", t.uid)
	case a.ProtoVer != 3 || a.Platform != "web" || a.Type != 2:
		return fmt.Sprintf("protover %d platform %q type %d, want 3 web 2", a.ProtoVer, a.Platform, a.Type)
	case a.Buvid == "":
		return "no buvid"
	}
	t.used = true
	s.tokens[a.Key] = t
	a.Key = "…"
	b, _ := json.Marshal(a)
	s.stats.LastAuth = string(b)
	return ""
}
