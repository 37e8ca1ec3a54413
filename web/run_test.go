package web

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
)

// readEvent reads one SSE message (up to its blank line) from r.
func readEvent(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("event stream: %v (so far %q)", err, b.String())
		}
		if line == "\n" {
			return b.String()
		}
		b.WriteString(line)
	}
}

func TestEventStream(t *testing.T) {
	s, _, _ := newTestServer("")
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/api/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	r := bufio.NewReader(res.Body)
	if ev := readEvent(t, r); ev != "retry: 2000\n" {
		t.Fatalf("first message %q", ev)
	}
	f := parseMsg(t, []byte(readEvent(t, r)+"\n"))
	if f.Seq != 1 || f.Engine.Policy != "queue" || len(f.Rig.Axes) != 2 {
		t.Fatalf("first frame %+v", f)
	}
	s.Decision(control.Decision{EventID: "e1", Platform: "douyu", UserName: "<b>猫</b>", Rule: "left",
		Outcome: control.Accepted, Reason: control.ReasonQueued})
	for {
		f = parseMsg(t, []byte(readEvent(t, r)+"\n"))
		if len(f.Decisions) > 0 {
			break
		}
	}
	if f.Decisions[0].UserName != "<b>猫</b>" || f.Feed[0].EventID != "e1" {
		t.Fatalf("decision frame %+v", f)
	}
}

func TestRunRefusesNonLoopbackWithoutToken(t *testing.T) {
	for _, addr := range []string{":8080", "0.0.0.0:8080", "[::]:8080", "192.168.1.10:8080", "example.com:80", "nonsense"} {
		s, _, _ := newTestServer("")
		err := s.Run(t.Context(), addr)
		if err == nil || !strings.Contains(err.Error(), "without a token") {
			t.Errorf("Run(%q) without a token: %v", addr, err)
		}
	}
}

func TestLoopbackAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "127.1.2.3:1": true, "[::1]:8080": true, "localhost:8080": true,
		":8080": false, "0.0.0.0:8080": false, "[::]:80": false, "10.0.0.1:80": false, "cat.local:80": false, "127.0.0.1": false,
	} {
		if got := LoopbackAddr(addr); got != want {
			t.Errorf("LoopbackAddr(%q) = %v", addr, got)
		}
	}
}

// TestRunShutsDown: cancelling Run ends open event streams and returns
// promptly with ctx's error, its goroutines gone.
func TestRunShutsDown(t *testing.T) {
	s, _, _ := newTestServer(testToken)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	res, err := http.Get("http://" + ln.Addr().String() + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	r := bufio.NewReader(res.Body)
	readEvent(t, r)
	readEvent(t, r) // a frame: the broadcaster runs
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Serve returned %v", err)
		}
	case <-time.After(shutdownGrace):
		t.Fatal("Serve did not return after cancel")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("shutdown took %v: event streams held it up", d)
	}
	s.hub.mu.Lock()
	running := s.hub.running
	s.hub.mu.Unlock()
	if running {
		t.Error("broadcaster still running after Serve returned")
	}
}

func TestRunListensOnLoopback(t *testing.T) {
	s, _, _ := newTestServer("")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, "127.0.0.1:0") }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
}

// TestEventsHead: HEAD /api/events answers with the stream's headers and
// returns, holding no event-stream slot (net/http discards what a HEAD
// handler writes, so a subscribed one would never hit a write deadline):
// clients that keep HEAD connections open cannot take the overlay's place.
func TestEventsHead(t *testing.T) {
	s, _, _ := newTestServer(testToken)
	addr := serve(t, s, nil)
	for i := range MaxClients + 1 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "HEAD /api/events HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
		res, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: "HEAD"})
		if err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("HEAD %d: %v %v", i, res, err)
		}
	}
	if code, line := get(t, addr, "", "/api/events"); code != 200 || line != "retry: 2000\n" {
		t.Fatalf("GET /api/events with %d HEAD connections open: %d %q", MaxClients+1, code, line)
	}
}
