package bilibili

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestWBIVectors(t *testing.T) {
	k := wbiKeys{"7cd084941338484aae1ad9425b84077c", "4932caff0ff746eab6f01bf08b70ac45"}
	if got := k.mixinKey(); got != "ea1db124af3c7062474693fa704f4ff8" {
		t.Errorf("mixin key %s", got)
	}
	tests := []struct {
		params url.Values
		wts    int64
		wRID   string
	}{
		// bilibili-API-collect docs/misc/sign/wbi.md.
		{url.Values{"foo": {"114"}, "bar": {"514"}, "zab": {"1919810"}}, 1702204169, "8f6f2b5b3d485fe1886cec6a0be8c5d4"},
		// A real getDanmuInfo request (xfgryujk/blivedm#84).
		{url.Values{"id": {"5553263"}, "type": {"0"}}, 1776925721, "2662a4f8479c442aa069cef32d60394b"},
	}
	for _, tt := range tests {
		got := wbiSign(tt.params, k, time.Unix(tt.wts, 0))
		if got.Get("w_rid") != tt.wRID || got.Get("wts") != strconv.FormatInt(tt.wts, 10) {
			t.Errorf("%v: w_rid %s wts %s, want %s", tt.params, got.Get("w_rid"), got.Get("wts"), tt.wRID)
		}
		if !WBIValid(got, k.img, k.sub) {
			t.Errorf("%v: WBIValid rejects its own signature", tt.params)
		}
		got.Set("id", "1")
		if WBIValid(got, k.img, k.sub) {
			t.Errorf("WBIValid accepts a changed parameter")
		}
	}
	if wbiKeyFromURL("https://i0.hdslb.com/bfs/wbi/7cd084941338484aae1ad9425b84077c.png") != k.img {
		t.Error("wbiKeyFromURL")
	}
}

func TestParseCookies(t *testing.T) {
	netscape := "# Netscape HTTP Cookie File\n" +
		".bilibili.com\tTRUE\t/\tFALSE\t1780000000\tbuvid3\tAB-CD12345infoc\n" +
		"#HttpOnly_.bilibili.com\tTRUE\t/\tTRUE\t1780000000\tSESSDATA\ts%2C1%2Cx*a1\n" +
		".example.com\tTRUE\t/\tFALSE\t0\tSESSDATA\tother-site\n"
	tests := []struct {
		in   string
		want string // name=value pairs joined by "; "
	}{
		{"SESSDATA=abc; bili_jct=def; buvid3=xyz", "SESSDATA=abc; bili_jct=def; buvid3=xyz"},
		{"Cookie: SESSDATA=abc;bili_jct=def\n", "SESSDATA=abc; bili_jct=def"},
		{"\ufeffSESSDATA=\"abc\"\n\n# comment\nbuvid3=1", "SESSDATA=abc; buvid3=1"},
		{netscape, "buvid3=AB-CD12345infoc; SESSDATA=s%2C1%2Cx*a1"},
		{"SESSDATA=bad value; ok=1", "ok=1"}, // values with spaces are dropped, not sent
	}
	for _, tt := range tests {
		cs, err := parseCookies([]byte(tt.in))
		var parts []string
		for _, c := range cs {
			parts = append(parts, c.Name+"="+c.Value)
		}
		if err != nil || strings.Join(parts, "; ") != tt.want {
			t.Errorf("%q: %q, %v", tt.in, parts, err)
		}
	}
	for _, bad := range []string{"", "# only a comment", "just words"} {
		if _, err := parseCookies([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		} else if strings.Contains(err.Error(), "words") {
			t.Errorf("error quotes the file: %v", err)
		}
	}
	if _, err := loadCookieFile("/nonexistent/cookie"); err == nil {
		t.Error("missing file: no error")
	}
}

// The HTTP fixtures parse into what the client needs.
func TestAPIFixtures(t *testing.T) {
	files := map[string]string{
		PathRoomInit:  "http_room_init_response_1.json",
		PathDanmuInfo: "http_getdanmuinfo_response_1.json",
	}
	bodies := make(map[string][]byte, len(files))
	for path, name := range files {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatalf("fixture %s: %v (see testdata/SOURCES.md)", filepath.Join("testdata", name), err)
		}
		bodies[path] = b
	}
	var gotUA, gotCookie string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotCookie = r.UserAgent(), r.Header.Get("Cookie")
		b, ok := bodies[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	defer srv.Close()
	a := newAPI(srv.Client(), srv.URL, nil)
	a.buvid = "B3"
	rm, err := a.resolveRoom(t.Context(), "76")
	if err != nil || rm != (room{id: 14073662, streamerUID: 50333369}) {
		t.Errorf("room_init: %+v, %v", rm, err)
	}
	a.keys = wbiKeys{"7cd084941338484aae1ad9425b84077c", "4932caff0ff746eab6f01bf08b70ac45"}
	token, hosts, err := a.danmuInfo(t.Context(), rm.id, time.Now())
	if err != nil || !strings.HasPrefix(token, "gZ2Pp2T4rIc2") || len(hosts) != 5 || hosts[0] != (host{"zj-cn-live-comet.chat.bilibili.com", 2243, 2245, 2244}) {
		t.Fatalf("getDanmuInfo: %q %+v %v", token, hosts, err)
	}
	if u, _ := wsURL(hosts[0], false); u != "wss://zj-cn-live-comet.chat.bilibili.com:2245/sub" {
		t.Errorf("wss URL %s", u)
	}
	if u, _ := wsURL(hosts[0], true); u != "ws://zj-cn-live-comet.chat.bilibili.com:2244/sub" {
		t.Errorf("ws URL %s", u)
	}
	if !strings.Contains(gotUA, "Chrome/") || gotCookie != "buvid3=B3" {
		t.Errorf("UA %q cookie %q", gotUA, gotCookie)
	}
}
