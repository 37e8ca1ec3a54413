package web

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cattease/cattease/danmu"
)

// GET /api/status and every frame carry the chat sources: a streamer
// sees a room whose chat no longer arrives.
func TestStatusSources(t *testing.T) {
	s, _, _ := newTestServer("")
	w := do(t, s.Handler(), "GET", "/api/status", "")
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if got := string(raw["sources"]); got != "[]" {
		t.Fatalf("without sources: sources = %s, want []", got)
	}

	lost := t0.Add(-30 * time.Second)
	s, _, _ = newTestServer("")
	s.Sources = func() []SourceStatus {
		return []SourceStatus{
			{Platform: "douyu", Room: "9999", State: "reconnecting", Since: lost, Attempts: 3, Error: "refused",
				LastEvent: lost.Add(-time.Second), Events: 12, DecodeErrors: 1, Reconnects: 3},
			{Platform: "bilibili-open", State: "connecting", Since: t0},
		}
	}
	w = do(t, s.Handler(), "GET", "/api/status", "")
	body := w.Body.String()
	for _, want := range []string{
		`"sources":[{"platform":"douyu","room":"9999","state":"reconnecting","since":"` + lost.Format(time.RFC3339Nano) +
			`","attempts":3,"error":"refused","last_event":"` + lost.Add(-time.Second).Format(time.RFC3339Nano) +
			`","events":12,"decode_errors":1,"reconnects":3},`,
		// Nothing yet: no attempts, no error, no last event.
		`{"platform":"bilibili-open","room":"","state":"connecting","since":"` + t0.Format(time.RFC3339Nano) +
			`","events":0,"decode_errors":0,"reconnects":0}]`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/api/status lacks\n%s\nin\n%s", want, body)
		}
	}
	var f Frame
	if err := json.Unmarshal(s.frame(1, nil, 0), &f); err != nil || len(f.Sources) != 2 || f.Sources[0].State != "reconnecting" {
		t.Errorf("event frame: %+v, %v", f.Sources, err)
	}
}

// /metrics says whether each source is connected, by platform and room.
func TestMetricsSourceConnected(t *testing.T) {
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	douyu, open, console := &danmu.Counters{}, &danmu.Counters{}, &danmu.Counters{}
	douyu.Connecting("9999")
	douyu.Connected("")
	open.Connecting("") // no room before the game starts
	console.Connected("console")
	console.Ended("")
	m.WatchSource("douyu", douyu)
	m.WatchSource("bilibili-open", open)
	m.WatchSource("console", console)
	s, _, _ := newTestServer("")
	s.Metrics = m
	scrape := func(want ...string) {
		t.Helper()
		body := do(t, s.Handler(), "GET", "/metrics", "").Body.String()
		for _, w := range want {
			if !strings.Contains(body, w+"\n") {
				t.Errorf("/metrics lacks %q", w)
			}
		}
	}
	scrape(`cattease_source_connected{platform="douyu",room="9999"} 1`,
		`cattease_source_connected{platform="bilibili-open",room="none"} 0`,
		`cattease_source_connected{platform="console",room="console"} 0`)
	douyu.Reconnecting(danmu.ErrClassClosed)
	open.Connected("4639581")
	scrape(`cattease_source_connected{platform="douyu",room="9999"} 0`,
		`cattease_source_connected{platform="bilibili-open",room="4639581"} 1`)
}
