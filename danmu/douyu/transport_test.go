package douyu

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cattease/cattease/danmu"
)

func TestEndpoints(t *testing.T) {
	starts := map[string]bool{}
	for range 200 {
		eps, err := endpoints("")
		if err != nil {
			t.Fatal(err)
		}
		// Only TLS: on a plaintext fallback, whoever blocks the
		// WebSocket ports could forge a moderator's or the streamer's chat.
		if len(eps) != 6 {
			t.Fatalf("%d endpoints: %v", len(eps), eps)
		}
		seen := map[string]bool{}
		for i, ep := range eps {
			if ep.scheme != "wss" || !strings.HasPrefix(ep.host, "danmuproxy.douyu.com:850") || ep.plaintext() {
				t.Fatalf("endpoint %d: %v", i, ep)
			}
			seen[ep.host] = true
		}
		if len(seen) != 6 {
			t.Fatalf("ports repeat: %v", eps)
		}
		starts[eps[0].host] = true
	}
	if len(starts) < 4 {
		t.Errorf("start port not random: %v", starts)
	}
	for addr, want := range map[string]string{
		"ws://127.0.0.1:9000":    "[ws://127.0.0.1:9000]",
		"wss://example.com:8506": "[wss://example.com:8506]",
		"tcp://127.0.0.1:8601":   "[tcp://127.0.0.1:8601]",
		"ws://example.com":       "[ws://example.com:80]",
		"tcp://[::1]:7":          "[tcp://[::1]:7]",
	} {
		eps, err := endpoints(addr)
		if err != nil || fmt.Sprint(eps) != want {
			t.Errorf("%s: %v %v, want %s", addr, eps, err, want)
		}
	}
	if eps, _ := endpoints("wss://example.com"); len(eps) != 6 {
		t.Errorf("wss without port: %v", eps)
	}
	if eps, _ := endpoints("tcp://example.com"); len(eps) != 2 {
		t.Errorf("tcp without port: %v", eps)
	}
	for _, bad := range []string{"http://x:1", "x:1", "ws://", "tcp://:80", "%%"} {
		if _, err := endpoints(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestTLSConfig(t *testing.T) {
	c := TLSConfig("danmuproxy.douyu.com", nil)
	if c.InsecureSkipVerify || c.ServerName != "danmuproxy.douyu.com" || c.MinVersion < 0x0303 {
		t.Errorf("config %+v", c)
	}
	has := false
	for _, s := range c.CipherSuites {
		if s == 0x009d { // TLS_RSA_WITH_AES_256_GCM_SHA384
			has = true
		}
	}
	if !has {
		t.Error("RSA key exchange suite missing")
	}
}

func TestResolveRoom(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/betard/lpl":
			fmt.Fprint(w, `{"room":{"room_id":288016,"owner_uid":"123","room_name":"x"}}`)
		case "/betard/9999":
			fmt.Fprint(w, `{"room":{"room_id":"9999","owner_uid":null}}`)
		case "/betard/bad":
			fmt.Fprint(w, `<html>not json`)
		case "/betard/empty":
			fmt.Fprint(w, `{"room":{}}`)
		case "/betard/zero":
			fmt.Fprint(w, `{"room":{"room_id":0}}`)
		case "/betard/gone":
			fmt.Fprint(w, `<html><body><div class="error"><span><p>该房间目前没有开放</p></span></div></body></html>`)
		case "/betard/gone404": // the page says it, whatever the status
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `<html><p>该房间目前没有开放</p></html>`)
		case "/betard/notfound":
			fmt.Fprint(w, `{"room":{"room_id":"x","room_name":"该房间目前没有开放"}}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer ts.Close()
	ctx := context.Background()
	info, err := ResolveRoom(ctx, ts.Client(), ts.URL+"/", "lpl")
	if err != nil || info != (RoomInfo{ID: "288016", Owner: "123"}) {
		t.Errorf("lpl: %+v %v", info, err)
	}
	info, err = ResolveRoom(ctx, ts.Client(), ts.URL, "9999")
	if err != nil || info != (RoomInfo{ID: "9999"}) {
		t.Errorf("9999: %+v %v", info, err)
	}
	for _, room := range []string{"bad", "empty", "zero", "missing", ""} {
		if info, err := ResolveRoom(ctx, ts.Client(), ts.URL, room); err == nil {
			t.Errorf("%q resolved to %+v", room, info)
		}
	}
	// Why a lookup failed, as the source's status says it.
	for room, want := range map[string]string{
		"gone":     danmu.ErrClassNotFound, // Douyu's page for no such room
		"missing":  danmu.ErrClassAPI,      // 404: a status says nothing about the room
		"gone404":  danmu.ErrClassNotFound,
		"bad":      danmu.ErrClassAPI,
		"empty":    danmu.ErrClassAPI,
		"notfound": danmu.ErrClassAPI, // the words in a room's own JSON are not the page
	} {
		_, err := ResolveRoom(ctx, ts.Client(), ts.URL, room)
		if got := errClass(err); got != want {
			t.Errorf("%q: %v: class %q, want %q", room, err, got, want)
		}
		if errors.Is(err, ErrRoomNotFound) != (want == danmu.ErrClassNotFound) {
			t.Errorf("%q: %v", room, err)
		}
	}
	ts.Close()
	if _, err := ResolveRoom(ctx, ts.Client(), ts.URL, "lpl"); errClass(err) != danmu.ErrClassRefused {
		t.Errorf("API down: %v: class %q", err, errClass(err))
	}
}

func TestErrorMeaning(t *testing.T) {
	for code, want := range map[string]string{"204": "wrong room id", "52": "server shutting down", "4202": "cookie", "x": "malformed", "99999": "unlisted"} {
		if got := ErrorMeaning(code); !strings.Contains(got, want) {
			t.Errorf("%s: %q", code, got)
		}
	}
}
