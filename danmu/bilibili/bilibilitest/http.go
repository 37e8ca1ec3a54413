package bilibilitest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/websocket"

	"github.com/cattease/cattease/danmu/bilibili"
)

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
