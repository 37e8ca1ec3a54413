package open

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// startData returns the data of the captured /v2/app/start response
// (testdata/SOURCES.md).
func startData(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "open_platform_app_start_response_1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Code int             `json:"code"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &env); err != nil || env.Code != 0 {
		t.Fatalf("fixture: %v", err)
	}
	return env.Data
}

func TestParseStartFixture(t *testing.T) {
	g, err := parseStart(startData(t), false)
	if err != nil {
		t.Fatal(err)
	}
	// The capture predates open_id, so anchor is empty.
	if g.id != "93594bf8-70e0-4b30-a5e9-0d60c4e11e17" || g.roomID != 4639581 || len(g.links) != 3 || g.anchor != "" {
		t.Errorf("%+v", g)
	}
	if !strings.HasPrefix(g.authBody, `{"roomid":4639581,"protover":2,`) || !strings.HasSuffix(g.authBody, `"group":"open"}`) {
		t.Errorf("auth_body not kept verbatim: %s", g.authBody)
	}
	if g.links[0] != "wss://tx-sh-live-comet-03.chat.bilibili.com:443/sub" {
		t.Errorf("links %v", g.links)
	}
}

func TestParseStartRefusesUnusable(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"no auth body", `{"game_info":{"game_id":"g"},"websocket_info":{"wss_link":["wss://h/sub"]},"anchor_info":{"room_id":1}}`, "auth_body"},
		{"plain ws from the real API", `{"websocket_info":{"auth_body":"{}","wss_link":["ws://h/sub","http://h"]},"anchor_info":{"room_id":1}}`, "wss_link"},
		{"no room", `{"websocket_info":{"auth_body":"{}","wss_link":["wss://h/sub"]}}`, "room id"},
		{"huge id", `{"game_info":{"game_id":"` + strings.Repeat("g", 300) + `"}}`, "oversized"},
		{"not json", `[`, "unreadable"},
	} {
		g, err := parseStart([]byte(tc.data), false)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", tc.name, err)
		}
		if g != nil && len(g.id) > 256 {
			t.Errorf("%s: would send an oversized game id to /v2/app/end", tc.name)
		}
	}
}

// FuzzParseStart: no response panics, and what parses is within the caps.
func FuzzParseStart(f *testing.F) {
	f.Add(startData(f), false)
	f.Add([]byte(`{"websocket_info":{"auth_body":"{}","wss_link":["ws://127.0.0.1:1/sub"]},"anchor_info":{"room_id":"7"}}`), true)
	f.Fuzz(func(t *testing.T, data []byte, plain bool) {
		g, err := parseStart(data, plain)
		if g == nil {
			return
		}
		if len(g.id) > 256 || len(g.links) > maxLinks {
			t.Fatalf("escaped the caps: %+v", g)
		}
		if err == nil && (g.authBody == "" || len(g.authBody) > maxAuthBody || len(g.links) == 0 || g.roomID <= 0) {
			t.Fatalf("unusable game accepted: %+v", g)
		}
	})
}
