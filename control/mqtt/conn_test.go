package mqtt

import (
	"bytes"
	"context"
	"crypto/tls"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// syncBuffer is a log sink for several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// A broker that wants a password: the credentials file and a URL's
// user:password@ both log in, a wrong password does not, and no password
// ever reaches the log.
func TestCredentials(t *testing.T) {
	const secret = "s3cret-Pa55"
	b := mqtttest.StartWith(t, mqtttest.Config{Users: map[string]string{"cattease": secret}})
	file := filepath.Join(t.TempDir(), "creds")
	if err := os.WriteFile(file, []byte("cattease\n"+secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	user, pass, err := LoadCredentials(file)
	if err != nil || user != "cattease" || string(pass) != secret {
		t.Fatalf("LoadCredentials = %q, %q, %v", user, pass, err)
	}
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	hostPort := strings.TrimPrefix(b.URL, "mqtt://")
	cases := []struct {
		name string
		o    Options
		up   bool
	}{
		{"file", Options{URL: b.URL, Username: user, Password: pass}, true},
		{"url", Options{URL: "mqtt://cattease:" + secret + "@" + hostPort}, true},
		{"wrong password", Options{URL: "mqtt://cattease:wrong-" + secret + "@" + hostPort}, false},
		{"anonymous", Options{URL: b.URL}, false},
	}
	refusals := 0
	for _, c := range cases {
		ctx, cancel := context.WithCancel(context.Background())
		c.o.Log = log
		conn := NewConn(c.o)
		done := make(chan struct{})
		go func() { conn.Run(ctx, nil); close(done) }()
		if c.up {
			waitFor(t, 5*time.Second, c.name+": connected", conn.Up)
		} else {
			// refused at once by the broker, which says so plainly
			refusals++
			waitFor(t, 5*time.Second, c.name+": refused", func() bool { return strings.Count(logs.String(), "refused the login") >= refusals })
			if conn.Up() {
				t.Errorf("%s: connected", c.name)
			}
		}
		cancel()
		<-done
	}
	if strings.Contains(logs.String(), secret) {
		t.Errorf("a password reached the log:\n%s", logs.String())
	}
}

func TestLoadCredentialsRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"empty": "", "one line": "user", "no user": "\npw\n", "huge": strings.Repeat("x", 5000)} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		os.WriteFile(p, []byte(body), 0o600)
		if _, _, err := LoadCredentials(p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, _, err := LoadCredentials(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing file was accepted")
	}
}

// mqtts:// with the broker's own authority named by TLSConfig; without it
// the certificate is not trusted and no connection is made.
func TestTLS(t *testing.T) {
	b := mqtttest.StartWith(t, mqtttest.Config{TLS: true})
	trusted, err := TLSConfig(b.CAFile, "", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		tls  *tls.Config
		up   bool
	}{{"trusted", trusted, true}, {"system roots", &tls.Config{MinVersion: tls.VersionTLS12}, false}} {
		var logs syncBuffer
		ctx, cancel := context.WithCancel(context.Background())
		conn := NewConn(Options{URL: b.URL, TLS: c.tls, Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
		done := make(chan struct{})
		go func() { conn.Run(ctx, nil); close(done) }()
		if c.up {
			waitFor(t, 5*time.Second, c.name+": connected", conn.Up)
		} else {
			waitFor(t, 5*time.Second, c.name+": refused", func() bool { return strings.Contains(logs.String(), "certificate") })
		}
		cancel()
		<-done
	}
	if _, err := TLSConfig(filepath.Join(t.TempDir(), "missing.pem"), "", ""); err == nil {
		t.Error("a missing CA file was accepted")
	}
}
