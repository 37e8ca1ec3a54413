package bilibili_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
)

// fastSource returns a Source for srv with timings short enough for real
// sockets.
func fastSource(srv *bilibilitest.Server, c *danmu.Counters) *bilibili.Source {
	return &bilibili.Source{
		Room:        "21",
		API:         srv.URL,
		HTTPClient:  srv.Client(),
		Counters:    c,
		Log:         testLogger(),
		Heartbeat:   200 * time.Millisecond,
		ReadTimeout: time.Second,
		BackoffMin:  10 * time.Millisecond,
		BackoffMax:  50 * time.Millisecond,
	}
}

func testLogger() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return nil
}

// start runs src in the background; stop cancels it and returns Run's error.
func start(t *testing.T, src *bilibili.Source) (<-chan danmu.Event, func() error) {
	t.Helper()
	out := make(chan danmu.Event, 64)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx, out) }()
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after cancel")
			return nil
		}
	}
	t.Cleanup(func() { _ = stop() })
	return out, stop
}

func next(t *testing.T, out <-chan danmu.Event) danmu.Event {
	t.Helper()
	select {
	case ev := <-out:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
		return danmu.Event{}
	}
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestSourceLoopback(t *testing.T) {
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	var c danmu.Counters
	out, stop := start(t, fastSource(srv, &c))

	srv.Send(bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "左", UID: 42, Name: "猫奴", TimeMS: 1700000000123}))
	ev := next(t, out)
	if ev.Kind != danmu.KindChat || ev.Text != "左" || ev.Room != "21144080" || ev.User.ID != "42" || ev.User.Name != "猫奴" {
		t.Fatalf("event = %+v", ev)
	}
	if err := srv.WaitFor(waitCtx(t), func(s bilibilitest.Stats) bool { return s.Heartbeats >= 2 }); err != nil {
		t.Fatal(err)
	}

	srv.DropMidFrame()
	if err := srv.WaitAuths(waitCtx(t), 2); err != nil {
		t.Fatal(err)
	}
	srv.Send(bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "右", UID: 43, Name: "b"}))
	if ev := next(t, out); ev.Text != "右" {
		t.Fatalf("after reconnect: %+v", ev)
	}
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	st := srv.Stats()
	if len(st.Violations) > 0 {
		t.Errorf("violations: %q", st.Violations)
	}
	if st.DanmuInfos < 2 {
		t.Errorf("getDanmuInfo called %d times, want a fresh token per connection", st.DanmuInfos)
	}
	t.Logf("stats %+v counters %v", st, c.Snapshot())
}
