package web

import (
	"bytes"
	"log/slog"
	"net"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// clockServer is a test server with metrics, a log kept in buf and a
// clock the test moves.
func clockServer(t *testing.T, token string) (s *Server, buf *bytes.Buffer, now *time.Time) {
	t.Helper()
	s, _, _ = newTestServer(token)
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	s.Metrics = m
	buf = &bytes.Buffer{}
	s.Log = slog.New(slog.NewTextHandler(buf, nil))
	now = new(time.Time)
	*now = t0
	s.Now = func() time.Time { return *now }
	return s, buf, now
}

// refusedCount reads cattease_web_refused_total{reason} from /metrics.
func refusedCount(t *testing.T, s *Server, reason string) int {
	t.Helper()
	w := do(t, s.Handler(), "GET", "/metrics", "", "Authorization", "Bearer "+s.Token)
	prefix := `cattease_web_refused_total{reason="` + reason + `"} `
	for line := range strings.Lines(w.Body.String()) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("%s%s: %v", prefix, v, err)
			}
			return n
		}
	}
	t.Fatalf("/metrics (%d) lacks %s", w.Code, prefix)
	return 0
}

// TestHostRefusalsLoggedSparingly: a hostile page that loops fetch() to a
// name resolving to 127.0.0.1 gets 421 every time, each one counted, but
// it costs one log line, then at most one a minute that says how many went
// unlogged, so the journal keeps cattease's own safety messages.
func TestHostRefusalsLoggedSparingly(t *testing.T) {
	s, buf, now := clockServer(t, testToken)
	h := s.guard(s.Handler(), ExposureLoopback, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080})
	hit := func(n int) {
		t.Helper()
		for range n {
			r := httptest.NewRequest("GET", "/api/status", nil)
			r.Host = "127.0.0.1.nip.io:8080"
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 421 {
				t.Fatalf("foreign Host: %d", w.Code)
			}
		}
	}
	lines := func() []string { return strings.Split(strings.TrimSpace(buf.String()), "\n") }
	hit(1000)
	if l := lines(); len(l) != 1 || !strings.Contains(l[0], "DNS rebinding") || strings.Contains(l[0], "unlogged") {
		t.Fatalf("1000 refusals in a burst logged as %d lines, the first %q; want one line", len(l), l[0])
	}
	*now = now.Add(30 * time.Second)
	hit(10)
	if l := lines(); len(l) != 1 {
		t.Fatalf("30 s later: %d lines, want still 1", len(l))
	}
	*now = now.Add(31 * time.Second)
	hit(1)
	if l := lines(); len(l) != 2 || !strings.Contains(l[1], "unlogged=1009") {
		t.Fatalf("a minute later: %q, want a second line counting the 1009 unlogged", l)
	}
	if got := refusedCount(t, s, refusedHost); got != 1011 {
		t.Fatalf("cattease_web_refused_total{reason=host} = %d, want 1011", got)
	}
	if got := refusedCount(t, s, refusedLimited); got != 0 {
		t.Fatalf("cattease_web_refused_total{reason=limited} = %d, want 0 (shown before any)", got)
	}
}
