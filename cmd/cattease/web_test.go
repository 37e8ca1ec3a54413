package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func freePort(t *testing.T) string {
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
}
