package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
	"github.com/cattease/cattease/danmu/douyu"
	"github.com/cattease/cattease/danmu/douyu/douyutest"
	"github.com/cattease/cattease/web"
)

// A room whose connection drops shows in GET /api/status (and so in every
// frame of the overlay and the panel): reconnecting since the drop, and
// why, then connected again; each source's events and when the last came.
// The fake Douyu and Bilibili servers run over pipes on synctest's clock.
func TestSourceStatusSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dy := douyutest.NewPipeServer("9999")
		bl := bilibilitest.NewPipeServer(bilibilitest.Config{})
		client := bl.Client()
		bc, dc := &danmu.Counters{}, &danmu.Counters{}
		srcs := []namedSource{
			{"bilibili", &bilibili.Source{Room: "21", API: bl.URL, HTTPClient: client, NetDial: bl.Dial, Counters: bc}, bc},
			{"douyu", &douyu.Source{Room: "9999", API: douyu.APIOff, Addr: "tcp://danmuproxy.test:8601", NetDial: dy.DialPipe, Counters: dc}, dc},
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- runSources(ctx, srcs, func(time.Time, []danmu.Event) {}, noAbort, &recorder{}, func(danmu.Event) {},
				slog.New(slog.DiscardHandler))
		}()
		defer func() { // also when a check fails: the bubble must end
			cancel()
			dy.Close()
			bl.Close()
			client.Transport.(*http.Transport).CloseIdleConnections()
		}()
		srv := &web.Server{Sources: sourceStatus(srcs), Log: slog.New(slog.DiscardHandler)}
		status := func() map[string]web.SourceStatus {
			t.Helper()
			w := httptest.NewRecorder()
			srv.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/api/status", nil))
			var f web.Frame
			if err := json.Unmarshal(w.Body.Bytes(), &f); err != nil || w.Code != 200 {
				t.Fatalf("/api/status: %d %v\n%s", w.Code, err, w.Body)
			}
			m := map[string]web.SourceStatus{}
			for _, s := range f.Sources {
				m[s.Platform] = s
			}
			if len(m) != 2 {
				t.Fatalf("/api/status sources: %+v", f.Sources)
			}
			return m
		}
		if err := bl.WaitAuths(t.Context(), 1); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		start := time.Now()
		for name, s := range status() {
			if s.State != "connected" || !s.Since.Equal(start) || s.Events != 0 || !s.LastEvent.IsZero() {
				t.Fatalf("%s at the start: %+v", name, s)
			}
		}
		if s := status(); s["bilibili"].Room != "21" || s["douyu"].Room != "9999" {
			t.Fatalf("rooms: %+v", s)
		}

		time.Sleep(5 * time.Second)
		dy.Send(chat("1", "猫奴", "左", "c1"), chat("2", "猫奴2", "右", "c2"))
		bl.Send(bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "左", UID: 7, Name: "a"}))
		synctest.Wait()
		heard := time.Now()
		if s := status(); s["douyu"].Events != 2 || !s["douyu"].LastEvent.Equal(heard) ||
			s["bilibili"].Events != 1 || !s["bilibili"].LastEvent.Equal(heard) {
			t.Fatalf("after chat: %+v", s)
		}

		// Both servers drop the connection.
		time.Sleep(time.Minute)
		dy.Drop()
		bl.DropMidFrame()
		synctest.Wait()
		lost := time.Now()
		for name, s := range status() {
			if s.State != "reconnecting" || !s.Since.Equal(lost) || s.Attempts != 1 || s.Error != "closed" ||
				!s.LastEvent.Equal(heard) {
				t.Fatalf("%s after the drop: %+v", name, s)
			}
		}

		// Both come back within their backoff.
		time.Sleep(2 * time.Second)
		synctest.Wait()
		for name, s := range status() {
			if s.State != "connected" || !s.Since.After(lost) || s.Attempts != 0 || s.Error != "" || s.Reconnects != 1 {
				t.Fatalf("%s after the reconnect: %+v", name, s)
			}
		}

		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("runSources: %v", err)
		}
		for name, s := range status() {
			if s.State != "ended" || s.Error != "" {
				t.Fatalf("%s after the run: %+v", name, s)
			}
		}
	})
}

// A source that fails for good says so, with the class of its error, and
// a source that does not report its state (a replay) ends all the same.
func TestSourceStatusEnded(t *testing.T) {
	failed := failingSource{errors.New("read /dev/ttyUSB0: input/output error")}
	srcs := []namedSource{{"console", failed, &danmu.Counters{}}}
	if err := runSources(t.Context(), srcs, func(time.Time, []danmu.Event) {}, noAbort, &recorder{}, func(danmu.Event) {},
		slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("runSources: no error from a failed source")
	}
	// The server run hands out shows them.
	metrics, err := web.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	wp := &webParts{srv: &web.Server{}, metrics: metrics}
	wp.attach(nil, nil, nil, srcs)
	if wp.srv.Sources == nil {
		t.Fatal("the server was given no sources")
	}
	st := wp.srv.Sources()
	if len(st) != 1 || st[0].Platform != "console" || st[0].State != "ended" || st[0].Error != "other" {
		t.Fatalf("%+v", st)
	}
}

type failingSource struct{ err error }

func (f failingSource) Stream(context.Context, func([]danmu.Event) error) error { return f.err }
