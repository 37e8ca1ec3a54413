package bilibili

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The real hosts of the HTTP endpoints. With Source.API set, every path
// below is requested from that one base URL instead.
const (
	liveAPIHost = "https://api.live.bilibili.com"
	mainAPIHost = "https://api.bilibili.com"
)

// The HTTP paths, as Bilibili serves them.
const (
	PathRoomInit    = "/room/v1/Room/room_init"               // ?id=short or real → real id, streamer uid
	PathNav         = "/x/web-interface/nav"                  // own uid, WBI keys
	PathSPI         = "/x/frontend/finger/spi"                // buvid3 for guests
	PathDanmuInfo   = "/xlive/web-room/v1/index/getDanmuInfo" // WBI-signed: token, host list
	PathWebSocket   = "/sub"                                  // on every host of the host list
	codeOK          = 0
	codeNotLoggedIn = -101 // nav without a valid SESSDATA: still carries the WBI keys
	codeRiskCtrl    = -352 // "风控校验失败": stale WBI keys, no buvid3, old UA
	codeNoRoom      = 60004
	codeBadRoom     = 1002002
)

// UserAgent is sent on every request and on the WebSocket handshake:
// getDanmuInfo answers -352 to outdated or missing user agents.
const UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36"

// wbiKeyTTL is how long nav's WBI keys are used before fetching them again
// (they rotate about daily; blivedm keeps them just under 12 h).
const wbiKeyTTL = 11 * time.Hour

// maxAPIBody caps an HTTP response body; real ones are a few KB.
const maxAPIBody = 1 << 20

// ErrRoomNotFound is returned by Run when Bilibili says the room does not
// exist: retrying cannot help.
var ErrRoomNotFound = errors.New("bilibili: room not found")

// errRiskControl is getDanmuInfo's -352.
var errRiskControl = errors.New("bilibili: risk control (-352): WBI keys refreshed, retrying later")

// apiError is a non-zero code from an endpoint.
type apiError struct {
	path    string
	code    int64
	message string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("bilibili: %s: code %d: %s", e.path, e.code, e.message)
}

// host is one entry of getDanmuInfo's host_list.
type host struct {
	Host    string `json:"host"`
	Port    int    `json:"port"`
	WSSPort int    `json:"wss_port"`
	WSPort  int    `json:"ws_port"`
}

// room is what room_init says about the room.
type room struct {
	id          int64 // real room id
	streamerUID int64
}

// api talks to Bilibili's HTTP endpoints and keeps what may be reused
// between connections: the real room id, WBI keys, buvid3, the own uid.
// Used by one goroutine at a time.
type api struct {
	client  *http.Client
	live    string // base URL for api.live.bilibili.com paths
	main    string // base URL for api.bilibili.com paths
	cookies []*http.Cookie

	room   *room
	keys   wbiKeys
	keysAt time.Time
	uid    int64 // nav's mid; 0 = guest
	navOK  bool
	buvid  string
}

func newAPI(client *http.Client, base string, cookies []*http.Cookie) *api {
	a := &api{client: client, live: liveAPIHost, main: mainAPIHost, cookies: cookies}
	if base != "" {
		base = strings.TrimRight(base, "/")
		a.live, a.main = base, base
	}
	a.forget()
	return a
}

// forget drops everything cached except the cookie file's content, so the
// next connection re-runs room_init, nav and the buvid3 lookup (a buvid3
// from the cookie file is kept).
func (a *api) forget() {
	a.room = nil
	a.keys, a.keysAt, a.navOK = wbiKeys{}, time.Time{}, false
	a.buvid = ""
	for _, c := range a.cookies {
		if c.Name == "buvid3" && c.Value != "" {
			a.buvid = c.Value
		}
	}
}

// loggedIn reports whether nav accepted the cookie file's SESSDATA.
func (a *api) loggedIn() bool { return a.uid != 0 }

// get requests base+path?query and decodes the {code, message, data}
// envelope, returning data. Codes in accept are not errors.
func (a *api) get(ctx context.Context, base, path string, query url.Values, data any, accept ...int64) (int64, error) {
	u := base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "application/json, text/plain, */*")
	req.Header.Set("Referer", "https://live.bilibili.com/")
	req.Header.Set("Origin", "https://live.bilibili.com")
	if c := a.cookieHeader(); c != "" {
		req.Header.Set("Cookie", c)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("bilibili: %s: %w", path, redactURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAPIBody))
	if err != nil {
		return 0, fmt.Errorf("bilibili: %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("bilibili: %s: HTTP %s", path, resp.Status)
	}
	var env struct {
		Code    jint            `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return 0, fmt.Errorf("bilibili: %s: bad response: %w", path, err)
	}
	code := int64(env.Code)
	ok := code == codeOK
	for _, c := range accept {
		ok = ok || code == c
	}
	if !ok {
		return code, &apiError{path: path, code: code, message: env.Message}
	}
	if data != nil && len(env.Data) > 0 && string(env.Data) != "null" {
		if err := json.Unmarshal(env.Data, data); err != nil {
			return code, fmt.Errorf("bilibili: %s: bad data: %w", path, err)
		}
	}
	return code, nil
}

// redactURLError drops the query string from a *url.Error: it may carry
// w_rid and is noise in logs.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery = ""
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
	}
	return err
}

func (a *api) cookieHeader() string {
	var parts []string
	hasBuvid := false
	for _, c := range a.cookies {
		if c.Name == "buvid3" {
			hasBuvid = true
		}
		parts = append(parts, c.String())
	}
	if !hasBuvid && a.buvid != "" {
		parts = append(parts, (&http.Cookie{Name: "buvid3", Value: a.buvid}).String())
	}
	return strings.Join(parts, "; ")
}

// resolveRoom turns a short or real room id into the real one and the
// streamer's uid (room_init), once per bootstrap.
func (a *api) resolveRoom(ctx context.Context, id string) (room, error) {
	if a.room != nil {
		return *a.room, nil
	}
	var d struct {
		RoomID jint `json:"room_id"`
		UID    jint `json:"uid"`
	}
	code, err := a.get(ctx, a.live, PathRoomInit, url.Values{"id": {id}}, &d)
	if code == codeNoRoom || code == codeBadRoom {
		return room{}, fmt.Errorf("%w: %s", ErrRoomNotFound, id)
	}
	if err != nil {
		return room{}, err
	}
	if d.RoomID <= 0 {
		return room{}, fmt.Errorf("bilibili: room_init: no room id for %s", id)
	}
	a.room = &room{id: int64(d.RoomID), streamerUID: int64(d.UID)}
	return *a.room, nil
}

// refreshNav fetches the own uid and the WBI keys when they are missing or
// older than wbiKeyTTL. Logged out, nav answers -101 and still carries
// the keys.
func (a *api) refreshNav(ctx context.Context, now time.Time) error {
	if a.navOK && now.Sub(a.keysAt) < wbiKeyTTL {
		return nil
	}
	var d struct {
		Mid    jint `json:"mid"`
		WBIImg struct {
			ImgURL string `json:"img_url"`
			SubURL string `json:"sub_url"`
		} `json:"wbi_img"`
	}
	code, err := a.get(ctx, a.main, PathNav, nil, &d, codeNotLoggedIn)
	if err != nil {
		return err
	}
	k := wbiKeys{wbiKeyFromURL(d.WBIImg.ImgURL), wbiKeyFromURL(d.WBIImg.SubURL)}
	if k.mixinKey() == "" {
		return errors.New("bilibili: nav: no WBI keys in the response")
	}
	a.keys, a.keysAt, a.navOK = k, now, true
	a.uid = 0
	if code == codeOK {
		a.uid = int64(d.Mid)
	}
	return nil
}

// ensureBuvid gets a buvid3 for guests and cookie files without one: from
// the spi endpoint, else a random one of the same shape.
func (a *api) ensureBuvid(ctx context.Context) {
	if a.buvid != "" {
		return
	}
	var d struct {
		B3 string `json:"b_3"`
	}
	if _, err := a.get(ctx, a.main, PathSPI, nil, &d); err == nil && validCookieValue(d.B3) {
		a.buvid = d.B3
		return
	}
	a.buvid = randomBuvid3()
}

// randomBuvid3 makes a value shaped like a real buvid3:
// 8-4-4-4-12 upper-case hex plus 5 digits and "infoc".
func randomBuvid3() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	n := int(b[0])<<8 | int(b[1])
	return fmt.Sprintf("%s-%s-%s-%s-%s%05dinfoc", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32], n%100000)
}

// danmuInfo asks for a fresh token and host list (getDanmuInfo, WBI
// signed). On -352 the WBI keys are dropped so the next try re-fetches
// them.
func (a *api) danmuInfo(ctx context.Context, roomID int64, now time.Time) (string, []host, error) {
	q := url.Values{"id": {strconv.FormatInt(roomID, 10)}, "type": {"0"}, "web_location": {"444.8"}}
	q = wbiSign(q, a.keys, now)
	var d struct {
		Token    string `json:"token"`
		HostList []host `json:"host_list"`
	}
	code, err := a.get(ctx, a.live, PathDanmuInfo, q, &d)
	if code == codeRiskCtrl {
		a.navOK = false
		return "", nil, errRiskControl
	}
	if err != nil {
		return "", nil, err
	}
	hosts := d.HostList[:0]
	for _, h := range d.HostList {
		if validHost(h) {
			hosts = append(hosts, h)
		}
	}
	if d.Token == "" || len(hosts) == 0 {
		return "", nil, errors.New("bilibili: getDanmuInfo: empty token or host list")
	}
	return d.Token, hosts, nil
}

func validHost(h host) bool {
	if h.Host == "" || strings.ContainsAny(h.Host, "/?#@[] \t\r\n") {
		return false
	}
	ok := func(p int) bool { return p > 0 && p < 65536 }
	return ok(h.WSSPort) || ok(h.WSPort)
}

// wsURL is the WebSocket address of h: wss on wss_port, or plain ws on
// ws_port when the API base is http:// (tests, local proxies).
func wsURL(h host, plain bool) (string, bool) {
	scheme, port := "wss", h.WSSPort
	if plain {
		scheme, port = "ws", h.WSPort
	}
	if port <= 0 || port >= 65536 {
		return "", false
	}
	return scheme + "://" + net.JoinHostPort(h.Host, strconv.Itoa(port)) + PathWebSocket, true
}
