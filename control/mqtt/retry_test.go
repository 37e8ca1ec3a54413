package mqtt

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/control/mqtt/mqtttest"
	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
)

// refusedLogin is autopaho's error for a CONNACK with reason code rc.
func refusedLogin(rc byte) error {
	return autopaho.NewConnackError(errors.New("failed to connect to server: bad user name or password"), &paho.Connack{ReasonCode: rc})
}

// unreachable is autopaho's error for a closed port.
var unreachable = errors.New("failed to connect to mqtt://192.0.2.7:1883: dial tcp 192.0.2.7:1883: connect: connection refused")

// The waits between attempts: none before the first, then 1 s doubling
// to a minute; a minute at once after a refused login; back to the start
// once connected.
func TestConnRetryBacksOff(t *testing.T) {
	c := NewConn(Options{})
	cfg := c.config(context.Background(), &url.URL{Scheme: "mqtt", Host: "192.0.2.7:1883"})
	if d := cfg.ReconnectBackoff(0); d != 0 {
		t.Errorf("before the first attempt: %v, want none", d)
	}
	want := []time.Duration{1, 2, 4, 8, 15, 15, 15}
	for i, w := range want {
		cfg.OnConnectError(unreachable)
		if d := cfg.ReconnectBackoff(i + 1); d != w*time.Second {
			t.Errorf("after %d failures: wait %v, want %v", i+1, d, w*time.Second)
		}
	}
	cfg.OnConnectionUp(new(autopaho.ConnectionManager), nil)
	cfg.OnConnectError(unreachable)
	if d := cfg.ReconnectBackoff(1); d != time.Second {
		t.Errorf("first failure after a connection: wait %v, want 1s", d)
	}
	for _, rc := range []byte{connackBadLogin, connackNotAuthorized} {
		cfg.OnConnectionUp(new(autopaho.ConnectionManager), nil)
		cfg.OnConnectError(refusedLogin(rc))
		if d := cfg.ReconnectBackoff(1); d != retryLogin {
			t.Errorf("login refused (reason %#x): wait %v, want %v", rc, d, retryLogin)
		}
	}
}

// A connection that keeps failing warns at once, then about once a
// minute with the count (the attempts in between at Debug), naming the
// broker and the reason; a refused login and an unresolved .local name
// say what to do; no password reaches the log.
func TestConnRetryWarns(t *testing.T) {
	dnsErr := func(host string) error {
		return fmt.Errorf("failed to connect to mqtt://%s:1883: %w", host,
			&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}})
	}
	for _, c := range []struct {
		name, host string
		err        error
		says       string // in every warning
		warns      int    // in ten minutes
	}{
		// attempts at 0, 1, 3, 7, 15, 30, 45, 60, …, 600 s: warned at
		// 0, 60, 120, … 600 s
		{"closed port", "192.0.2.7", unreachable, "cannot connect to the broker", 11},
		{"refused login", "192.0.2.7", refusedLogin(connackBadLogin), "refused the login", 11},
		{".local", "homeassistant.local", dnsErr("homeassistant.local"), "use the broker's IP address", 11},
		{"other name", "broker.lan", dnsErr("broker.lan"), "cannot connect to the broker", 11},
	} {
		synctest.Test(t, func(t *testing.T) {
			var logs syncBuffer
			conn := NewConn(Options{Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
			cfg := conn.config(context.Background(), &url.URL{Scheme: "mqtt", Host: c.host + ":1883"})
			start := time.Now()
			for attempt := 1; ; attempt++ {
				cfg.OnConnectError(c.err)
				if attempt == 1 && !strings.Contains(logs.String(), "level=WARN") {
					t.Fatalf("%s: the first failure is not a warning:\n%s", c.name, logs.String())
				}
				wait := cfg.ReconnectBackoff(attempt)
				if time.Since(start)+wait > 10*time.Minute {
					break
				}
				time.Sleep(wait)
			}
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			if len(lines) != c.warns {
				t.Errorf("%s: %d warnings in ten minutes, want %d:\n%s", c.name, len(lines), c.warns, logs.String())
			}
			for _, l := range lines {
				if !strings.Contains(l, "level=WARN") || !strings.Contains(l, c.says) || !strings.Contains(l, "broker=mqtt://"+c.host+":1883") || !strings.Contains(l, "reason=") {
					t.Errorf("%s: warning %q: want level WARN, %q, the broker and the reason", c.name, l, c.says)
				}
			}
			if !strings.Contains(lines[len(lines)-1], "failures=") || strings.Contains(lines[len(lines)-1], "failures=1 ") {
				t.Errorf("%s: the last warning does not count the failures: %q", c.name, lines[len(lines)-1])
			}
		})
	}
	// a failure of another kind is told at once
	synctest.Test(t, func(t *testing.T) {
		var logs syncBuffer
		conn := NewConn(Options{Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
		cfg := conn.config(context.Background(), &url.URL{Scheme: "mqtt", Host: "192.0.2.7:1883"})
		cfg.OnConnectError(unreachable)
		time.Sleep(cfg.ReconnectBackoff(1))
		cfg.OnConnectError(refusedLogin(connackNotAuthorized))
		if n := strings.Count(logs.String(), "level=WARN"); n != 2 || !strings.Contains(logs.String(), "refused the login") {
			t.Errorf("a refused login after a closed port: %d warnings, want the second at once:\n%s", n, logs.String())
		}
	})
}

// Against a real broker: a wrong password warns at once that the login
// was refused and is tried again a minute later, not sooner; a closed
// port is tried again after 1, 2, 4 s.
func TestConnRetryAgainstBroker(t *testing.T) {
	const secret = "s3cret-Pa55"
	b := mqtttest.StartWith(t, mqtttest.Config{Users: map[string]string{"cattease": secret}})
	hostPort := strings.TrimPrefix(b.URL, "mqtt://")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	for _, c := range []struct {
		name, url string
		says      string
		at        []time.Duration // the attempts after the first, since it
	}{
		{"wrong password", "mqtt://cattease:wrong-" + secret + "@" + hostPort, "refused the login", []time.Duration{60, 120}},
		{"closed port", "mqtt://" + closed, "cannot connect to the broker", []time.Duration{1, 3, 7}},
	} {
		synctest.Test(t, func(t *testing.T) {
			var logs syncBuffer
			conn := NewConn(Options{URL: c.url, Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { conn.Run(ctx, nil); close(done) }()
			attempts := func() int { return strings.Count(logs.String(), "failures=") }
			synctest.Wait() // the first attempt has failed; the next waits
			if attempts() != 1 || !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), c.says) {
				t.Fatalf("%s: after the first attempt:\n%s", c.name, logs.String())
			}
			start := time.Now()
			for i, at := range c.at {
				time.Sleep(at*time.Second - time.Since(start) - time.Millisecond)
				synctest.Wait()
				if n := attempts(); n != i+1 {
					t.Fatalf("%s: %d attempts just before %v, want %d:\n%s", c.name, n, at*time.Second, i+1, logs.String())
				}
				time.Sleep(time.Millisecond)
				synctest.Wait()
				if n := attempts(); n != i+2 {
					t.Fatalf("%s: %d attempts at %v, want %d:\n%s", c.name, n, at*time.Second, i+2, logs.String())
				}
			}
			if conn.Up() {
				t.Errorf("%s: connected", c.name)
			}
			cancel()
			<-done
			if strings.Contains(logs.String(), secret) {
				t.Errorf("a password reached the log:\n%s", logs.String())
			}
		})
	}
}
