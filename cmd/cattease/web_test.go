package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/cmd/cattease/internal/i18n"
)

func freePort(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestRunServesOverlayAndPanel: run creates the token (mode 0600, printed
// once), serves the overlay, the status and metrics, refuses control
// without the token and stops the rig with it.
func TestRunServesOverlayAndPanel(t *testing.T) {
	dir, state := t.TempDir(), t.TempDir()
	t.Setenv("STATE_DIRECTORY", state) // the token goes there, not beside rules.yaml
	src, _ := os.ReadFile("../../rules.yaml")
	cfg := filepath.Join(dir, "rules.yaml")
	os.WriteFile(cfg, src, 0o644)
	addr := freePort(t)
	rigOf := captureRig(t)
	mon := watchOutputs(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	defer pw.Close()
	lines, wait := startCLI(t, ctx, pr, "run", "--dry-run", "--stdin", "--listen", addr, "-c", cfg)
	waitLine(t, lines, "/panel#token=")
	fi, err := os.Stat(filepath.Join(state, "cattease-token"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v %v", fi, err)
	}
	tok, _ := os.ReadFile(filepath.Join(state, "cattease-token"))
	base := "http://" + addr
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(b)
	}
	if !strings.Contains(get("/"), "<html") || get("/healthz") == "" {
		t.Fatal("overlay or healthz")
	}
	io.WriteString(pw, "猫奴: 左\n")
	waitLine(t, lines, "pan -5.0°")
	if st := get("/api/status"); !strings.Contains(st, `"猫奴"`) {
		t.Fatalf("status lacks the viewer: %.300s", st)
	}
	if m := get("/metrics"); !strings.Contains(m, "cattease_") {
		t.Fatal("metrics")
	}
	// 激光 and then no movement: after the 4 s dwell cap the status says
	// the laser is off (what the driver emits), asked for, and why.
	io.WriteString(pw, "小明: 激光\n")
	waitLine(t, lines, "laser ON")
	var sw struct {
		On        bool   `json:"on"`
		Requested bool   `json:"requested"`
		Reason    string `json:"reason"`
	}
	deadline := time.Now().Add(10 * time.Second)
	for sw.On || sw.Reason != "dwell" {
		if time.Now().After(deadline) {
			t.Fatalf("after 6 s without movement the laser should be off with reason dwell: %+v", sw)
		}
		time.Sleep(100 * time.Millisecond) // polling for the outcome
		var st struct {
			Rig struct {
				Switches []json.RawMessage `json:"switches"`
			} `json:"rig"`
		}
		if err := json.Unmarshal([]byte(get("/api/status")), &st); err != nil || len(st.Rig.Switches) == 0 {
			t.Fatalf("status: %v", err)
		}
		json.Unmarshal(st.Rig.Switches[0], &sw)
	}
	if !sw.Requested {
		t.Fatalf("the laser was asked for and is held dark: %+v", sw)
	}
	waitLine(t, lines, "laser dark (dwell)")
	post := func(token string) int {
		req, _ := http.NewRequest("POST", base+"/api/control/stop", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(""); code != http.StatusUnauthorized {
		t.Fatalf("stop without token: %d", code)
	}
	if code := post(strings.TrimSpace(string(tok))); code != http.StatusOK {
		t.Fatalf("stop with token: %d", code)
	}
	waitLine(t, lines, "EMERGENCY STOP")
	cancel()
	pw.Close()
	if code := wait(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	assertHalted(t, rigOf())
	mon.check(t)
}

// TestPanelLinkNeverGoesToAFile: the one-time link holds the token; sent
// to a file (a pipe or the journal alike), in English or in Chinese (whose
// messages pass through a translating writer), it is replaced by where the
// token is kept.
func TestPanelLinkNeverGoesToAFile(t *testing.T) {
	const token = "a-test-token-0123456789abcdef"
	for _, lang := range []i18n.Lang{i18n.English, i18n.Chinese} {
		path := filepath.Join(t.TempDir(), "run.log")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		showPanelLink(stdio{out: i18n.Wrap(f, lang)}, false, true, "/var/lib/cattease/cattease-token", "http://127.0.0.1:8080", token)
		f.Close()
		b, _ := os.ReadFile(path)
		if strings.Contains(string(b), token) || !strings.Contains(string(b), "/var/lib/cattease/cattease-token") {
			t.Errorf("language %v: a file got %q", lang, b)
		}
	}
}

// TestBrowseURL: listening on every interface, the printed link names
// the machine's LAN address (IPv4 first), which a phone can open, not
// [::] or 0.0.0.0; a given address is printed as it is.
func TestBrowseURL(t *testing.T) {
	lan := func() ([]net.Addr, error) {
		return []net.Addr{
			&net.IPNet{IP: net.ParseIP("127.0.0.1"), Mask: net.CIDRMask(8, 32)},
			&net.IPNet{IP: net.ParseIP("fe80::1"), Mask: net.CIDRMask(64, 128)},
			&net.IPNet{IP: net.ParseIP("2001:db8::7"), Mask: net.CIDRMask(64, 128)},
			&net.IPNet{IP: net.ParseIP("192.168.1.23"), Mask: net.CIDRMask(24, 32)},
		}, nil
	}
	v6only := func() ([]net.Addr, error) {
		return []net.Addr{&net.IPNet{IP: net.ParseIP("2001:db8::7"), Mask: net.CIDRMask(64, 128)}}, nil
	}
	none := func() ([]net.Addr, error) { return nil, errors.New("no interfaces") }
	for _, c := range []struct {
		addr  *net.TCPAddr
		addrs func() ([]net.Addr, error)
		want  string
	}{
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, lan, "http://192.168.1.23:8080"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, lan, "http://192.168.1.23:8080"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, v6only, "http://[2001:db8::7]:8080"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, none, "http://127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 8081}, lan, "http://127.0.0.1:8081"},
		{&net.TCPAddr{IP: net.ParseIP("192.168.1.23"), Port: 80}, none, "http://192.168.1.23:80"},
	} {
		if got := browseURL(c.addr, c.addrs); got != c.want {
			t.Errorf("%v: %q, want %q", c.addr, got, c.want)
		}
	}
}
