package bilibilitest

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cattease/cattease/danmu/bilibili"
)

func get(t *testing.T, s *Server, path string, hdr http.Header) (code int64) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	req.Header = hdr
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct{ Code int64 }
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatal(err)
	}
	return env.Code
}

func TestDanmuInfoRules(t *testing.T) {
	s := NewServer(Config{})
	defer s.Close()
	ua := http.Header{"User-Agent": {bilibili.UserAgent}, "Cookie": {"buvid3=x"}}
	tests := []struct {
		query string
		hdr   http.Header
		want  string
	}{
		{"?id=21144080", ua, "no WBI parameters"},
		{"?id=21144080&wts=1&w_rid=00", http.Header{"Cookie": {"buvid3=x"}}, "no browser User-Agent"},
		{"?id=21144080&wts=1&w_rid=00", http.Header{"User-Agent": {bilibili.UserAgent}}, "no buvid3 cookie"},
	}
	for _, tt := range tests {
		if code := get(t, s, bilibili.PathDanmuInfo+tt.query, tt.hdr); code != -352 {
			t.Errorf("%s: code %d, want -352", tt.want, code)
		}
		v := s.Violations()
		if len(v) == 0 || !strings.Contains(v[len(v)-1], tt.want) {
			t.Errorf("violations %q, want %q", v, tt.want)
		}
	}
	if code := get(t, s, bilibili.PathRoomInit+"?id=21", nil); code != 0 {
		t.Errorf("room_init 21: %d", code)
	}
	if code := get(t, s, bilibili.PathRoomInit+"?id=22", nil); code != 60004 {
		t.Errorf("room_init 22: %d", code)
	}
}

// dial opens a WebSocket to s and returns it.
func dial(t *testing.T, s *Server) *websocket.Conn {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(s.URL, "http")+"/sub", http.Header{"User-Agent": {bilibili.UserAgent}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	t.Cleanup(func() { ws.Close() })
	return ws
}

func auth(t *testing.T, ws *websocket.Conn, key string) int64 {
	t.Helper()
	body := `{"uid":0,"roomid":21144080,"protover":3,"buvid":"b","platform":"web","type":2,"key":"` + key + `"}`
	if err := ws.WriteMessage(websocket.BinaryMessage, Frame(bilibili.VerRaw, bilibili.OpAuth, []byte(body))); err != nil {
		t.Fatal(err)
	}
	_, msg, err := ws.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	var reply struct{ Code int64 }
	if binary.BigEndian.Uint32(msg[8:]) != bilibili.OpAuthReply || json.Unmarshal(msg[bilibili.HeaderLen:], &reply) != nil {
		t.Fatalf("auth reply %q", msg)
	}
	return reply.Code
}

func TestTokensAreSingleUse(t *testing.T) {
	s := NewServer(Config{})
	defer s.Close()
	s.mu.Lock()
	s.tokens["k1"] = tokenInfo{room: s.cfg.RoomID}
	s.mu.Unlock()
	if code := auth(t, dial(t, s), "k1"); code != 0 {
		t.Fatalf("first use: code %d", code)
	}
	if code := auth(t, dial(t, s), "k1"); code != -101 {
		t.Errorf("reuse: code %d", code)
	}
	if code := auth(t, dial(t, s), "unknown"); code != -101 {
		t.Errorf("unknown key: code %d", code)
	}
	if v := s.Violations(); len(v) != 2 || !strings.Contains(v[0], "reused") || !strings.Contains(v[1], "unknown key") {
		t.Errorf("violations %q", v)
	}
}

// The heartbeat reply has the real quirk: its length field counts only the
// popularity, the echoed body follows uncounted.
func TestHeartbeatReplyAndTimeouts(t *testing.T) {
	s := NewServer(Config{AuthTimeout: 50 * time.Millisecond, HeartbeatTimeout: 100 * time.Millisecond})
	defer s.Close()
	s.mu.Lock()
	s.tokens["k"] = tokenInfo{room: s.cfg.RoomID}
	s.mu.Unlock()
	ws := dial(t, s)
	auth(t, ws, "k")
	echo := []byte("[object Object]")
	if err := ws.WriteMessage(websocket.BinaryMessage, Frame(bilibili.VerRaw, bilibili.OpHeartbeat, echo)); err != nil {
		t.Fatal(err)
	}
	_, msg, err := ws.ReadMessage()
	if err != nil || len(msg) != 35 || binary.BigEndian.Uint32(msg) != 20 || binary.BigEndian.Uint32(msg[8:]) != bilibili.OpHeartbeatReply {
		t.Fatalf("reply %x, %v", msg, err)
	}
	// Then silence: the server drops the connection and says why.
	if _, _, err := ws.ReadMessage(); err == nil {
		t.Fatal("connection survived without heartbeats")
	}
	dial(t, s) // and never authenticates
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = s.WaitFor(ctx, func(st Stats) bool { return len(st.Violations) == 2 })
	if v := s.Violations(); err != nil || !strings.Contains(v[0], "no heartbeat") || !strings.Contains(v[1], "no auth packet") {
		t.Errorf("violations %q, %v", v, err)
	}
}

// SendFrameTo reaches the one connection of that place in the order of
// authentication, and no other.
func TestSendFrameTo(t *testing.T) {
	s := NewServer(Config{})
	defer s.Close()
	s.mu.Lock()
	s.tokens["a"] = tokenInfo{room: s.cfg.RoomID}
	s.tokens["b"] = tokenInfo{room: s.cfg.RoomID}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	first, second := dial(t, s), dial(t, s)
	auth(t, first, "a")
	if err := s.WaitAuths(ctx, 1); err != nil { // its place is taken after the reply
		t.Fatal(err)
	}
	auth(t, second, "b")
	if err := s.WaitAuths(ctx, 2); err != nil {
		t.Fatal(err)
	}
	s.SendFrameTo(1, Frame(bilibili.VerRaw, bilibili.OpMessage, []byte(`{"cmd":"to second"}`)))
	s.SendFrameTo(0, Frame(bilibili.VerRaw, bilibili.OpMessage, []byte(`{"cmd":"to first"}`)))
	s.SendFrameTo(2, Frame(bilibili.VerRaw, bilibili.OpMessage, []byte(`{"cmd":"to nobody"}`)))
	for _, c := range []struct {
		ws   *websocket.Conn
		want string
	}{{first, "to first"}, {second, "to second"}} {
		_, msg, err := c.ws.ReadMessage()
		if err != nil || !strings.Contains(string(msg), c.want) {
			t.Errorf("got %q, %v; want %q", msg, err, c.want)
		}
	}
	if got := s.Stats().Delivered; got != 2 {
		t.Errorf("delivered %d frames, want 2", got)
	}
}
