package open

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultAPI is the Open Platform's HTTP host.
const DefaultAPI = "https://live-open.biliapi.com"

// Sentinel errors an *APIError matches with errors.Is, for the codes a
// caller branches on (reference §4.1).
var (
	// ErrInvalidCode: 7007, the 身份码 is wrong. Not retried.
	ErrInvalidCode = errors.New("bilibili/open: the 身份码 (identity code) was refused; copy the 主播身份码 again from the live centre (直播中心)")
	// ErrInvalidApp: 4001, the app id or access key is not valid. Not retried.
	ErrInvalidApp = errors.New("bilibili/open: the app was refused; check app_id and access_key_id")
	// ErrSignature: 4002, the signature did not verify, usually a wrong
	// access key secret. Not retried.
	ErrSignature = errors.New("bilibili/open: the request signature was refused; check the access key secret file")
	// ErrRoomBusy: 7002, another game (互动玩法) is running in the room:
	// often our own last one, whose end was not confirmed (a timeout, a
	// 5xx, a crash), which the platform closes within 60 s of its last
	// heartbeat. Retried at least RoomBusyWait apart for RoomBusyFor, then
	// returned.
	ErrRoomBusy = errors.New("bilibili/open: another game is running in this room; end it (or wait for it to time out) and start again")
	// ErrCooldown: 7001 (request cooldown) or 4009 (rate limited). Retried
	// after at least Source.CooldownMin.
	ErrCooldown = errors.New("bilibili/open: the platform asked to slow down")
	// ErrGameOver: 7003, the game's heartbeat expired and the platform
	// closed it. The game is started again.
	ErrGameOver = errors.New("bilibili/open: the game was closed by the platform")
)

// APIError is a response whose code is not 0.
type APIError struct {
	Path    string // e.g. "/v2/app/start"
	Code    int64
	Message string // the platform's message, as sent (bounded)
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("bilibili/open: %s: code %d %q", e.Path, e.Code, e.Message)
	if s := e.Unwrap(); s != nil {
		msg += ": " + strings.TrimPrefix(s.Error(), "bilibili/open: ")
	}
	return msg
}

// Unwrap returns the sentinel for e.Code, or nil.
func (e *APIError) Unwrap() error {
	switch e.Code {
	case 7007:
		return ErrInvalidCode
	case 4001:
		return ErrInvalidApp
	case 4002:
		return ErrSignature
	case 7002:
		return ErrRoomBusy
	case 7001, 4009:
		return ErrCooldown
	case 7003:
		return ErrGameOver
	}
	return nil
}

// permanent reports whether err is one that retrying cannot fix.
// ErrRoomBusy is not: it passes when the game in the way times out.
func permanent(err error) bool {
	return errors.Is(err, ErrInvalidCode) || errors.Is(err, ErrInvalidApp) ||
		errors.Is(err, ErrSignature)
}

// maxResponse caps an API response body.
const maxResponse = 1 << 20

// api signs and sends the Open Platform's requests.
type api struct {
	http        *http.Client
	base        string
	accessKeyID string
	secret      []byte
}

// post sends req as JSON to path and decodes the envelope's data into
// data (which may be nil).
func (a *api) post(ctx context.Context, path string, req, data any) error {
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("bilibili/open: %s: %w", path, err)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("bilibili/open: %s: %w", path, err)
	}
	sign(hr.Header, body, a.accessKeyID, a.secret, newNonce(), time.Now())
	resp, err := a.http.Do(hr)
	if err != nil {
		return fmt.Errorf("bilibili/open: %s: %w", path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return fmt.Errorf("bilibili/open: %s: read: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("bilibili/open: %s: HTTP %d", path, resp.StatusCode)
	}
	if len(raw) > maxResponse {
		return fmt.Errorf("bilibili/open: %s: response larger than %d bytes", path, maxResponse)
	}
	var env struct {
		Code    *jint           `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || env.Code == nil {
		return fmt.Errorf("bilibili/open: %s: unreadable response: %w", path, errors.Join(err, errors.New("no code")))
	}
	if *env.Code != 0 {
		return &APIError{Path: path, Code: int64(*env.Code), Message: truncate(env.Message, 200)}
	}
	if data == nil || len(env.Data) == 0 || string(env.Data) == "null" {
		return nil
	}
	if err := json.Unmarshal(env.Data, data); err != nil {
		return fmt.Errorf("bilibili/open: %s: unreadable data: %w", path, err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// game is a started game: what /v2/app/start returned.
type game struct {
	id       string   // may be "" for apps not yet listed
	authBody string   // sent verbatim as the op-7 body
	links    []string // WebSocket URLs, in order
	roomID   int64
	anchor   string // the streamer's open_id
	uname    string
}

// Caps on what /v2/app/start hands out: a real auth_body is ~250 bytes,
// and there are 3 links.
const (
	maxAuthBody = 8 << 10
	maxLinks    = 16
)

func (a *api) start(ctx context.Context, code string, appID int64, plainWS bool) (*game, error) {
	req := struct {
		Code  string `json:"code"`
		AppID int64  `json:"app_id"`
	}{code, appID}
	var data json.RawMessage
	if err := a.post(ctx, "/v2/app/start", req, &data); err != nil {
		return nil, err
	}
	return parseStart(data, plainWS)
}

// parseStart reads the data of a /v2/app/start response. Pure. It returns
// the game even when it is unusable (with an error), so that a started
// game can still be ended. ws:// links count only with plainWS (an http://
// API, for tests).
func parseStart(data []byte, plainWS bool) (*game, error) {
	var d struct {
		GameInfo struct {
			GameID string `json:"game_id"`
		} `json:"game_info"`
		WebsocketInfo struct {
			AuthBody string   `json:"auth_body"`
			WssLink  []string `json:"wss_link"`
		} `json:"websocket_info"`
		AnchorInfo struct {
			RoomID jint   `json:"room_id"`
			Uname  string `json:"uname"`
			OpenID string `json:"open_id"`
		} `json:"anchor_info"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("bilibili/open: /v2/app/start: unreadable data: %w", err)
	}
	g := &game{
		id:       d.GameInfo.GameID,
		authBody: d.WebsocketInfo.AuthBody,
		roomID:   int64(d.AnchorInfo.RoomID),
		anchor:   d.AnchorInfo.OpenID,
		uname:    truncate(d.AnchorInfo.Uname, 200),
	}
	for _, l := range d.WebsocketInfo.WssLink[:min(len(d.WebsocketInfo.WssLink), maxLinks)] {
		if u, err := url.Parse(l); err == nil && (u.Scheme == "wss" || (plainWS && u.Scheme == "ws")) && u.Host != "" {
			g.links = append(g.links, l)
		}
	}
	switch {
	case len(g.id) > 256 || len(g.anchor) > 256:
		return &game{id: ""}, errors.New("bilibili/open: /v2/app/start: oversized game_id or open_id")
	case g.authBody == "" || len(g.authBody) > maxAuthBody:
		return g, errors.New("bilibili/open: /v2/app/start: no usable auth_body")
	case len(g.links) == 0:
		return g, errors.New("bilibili/open: /v2/app/start: no usable wss_link")
	case g.roomID <= 0:
		return g, errors.New("bilibili/open: /v2/app/start: no room id")
	}
	return g, nil
}

func (a *api) heartbeat(ctx context.Context, gameID string) error {
	return a.post(ctx, "/v2/app/heartbeat", struct {
		GameID string `json:"game_id"`
	}{gameID}, nil)
}

func (a *api) end(ctx context.Context, appID int64, gameID string) error {
	err := a.post(ctx, "/v2/app/end", struct {
		AppID  int64  `json:"app_id"`
		GameID string `json:"game_id"`
	}{appID, gameID}, nil)
	var ae *APIError
	if errors.As(err, &ae) && (ae.Code == 7000 || ae.Code == 7003) {
		return nil // already closed
	}
	return err
}
