package bilibilitest

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cattease/cattease/danmu/bilibili"
)

// fakeConn is one WebSocket connection on the server side.
type fakeConn struct {
	srv     *Server
	ws      *websocket.Conn
	wmu     sync.Mutex // one writer at a time: replies, Send, drops
	authed  bool       // guarded by srv.mu
	seq     int        // its place among the connections authenticated, from 0; guarded by srv.mu
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
	c.seq = s.stats.Auths
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
