package bilibili_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
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
		ReadTimeout: 3 * time.Second, // generous: a loaded CI machine must not look like a stall
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

// Every kind of bad frame and body is counted and dropped; the connection
// carries on and the next chat arrives.
func TestBadInputKeepsConnection(t *testing.T) {
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	var c danmu.Counters
	out, _ := start(t, fastSource(srv, &c))
	want := map[string]uint64{}
	for _, bad := range badFrames() {
		srv.SendFrame(bad.frame)
		want["decode_error:"+bad.reason]++
	}
	for _, bad := range badBodies() {
		srv.Send([]byte(bad.body))
		want["decode_error:"+bad.reason]++
	}
	srv.SendFrame([]byte("garbage"))
	want["decode_error:"+bilibili.ReasonShortHeader]++
	srv.Send(bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "左", UID: 1, Name: "a"}))
	if ev := next(t, out); ev.Text != "左" {
		t.Fatalf("event %+v", ev)
	}
	for name, n := range want {
		if got := c.Get(name); got != n {
			t.Errorf("%s = %d, want %d", name, got, n)
		}
	}
	if st := srv.Stats(); st.Auths != 1 || c.Get(bilibili.CounterReconnect) != 0 || len(st.Violations) > 0 {
		t.Errorf("the connection did not survive: %+v %v", st, c.Snapshot())
	}
}

// A WebSocket message beyond the read limit ends the connection (gorilla
// cannot skip it); the source reconnects and loses nothing after.
func TestOversizedFrameReconnects(t *testing.T) {
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	var c danmu.Counters
	out, _ := start(t, fastSource(srv, &c))
	if err := srv.WaitAuths(waitCtx(t), 1); err != nil {
		t.Fatal(err)
	}
	srv.SendFrame(make([]byte, bilibili.DefaultMaxPacket+1))
	if err := srv.WaitAuths(waitCtx(t), 2); err != nil {
		t.Fatal(err)
	}
	srv.Send(bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "右", UID: 1, Name: "a"}))
	if ev := next(t, out); ev.Text != "右" {
		t.Fatalf("event %+v", ev)
	}
	if c.Get("decode_error:"+bilibili.ReasonFrameTooLarge) != 1 || len(srv.Violations()) > 0 {
		t.Errorf("counters %v violations %q", c.Snapshot(), srv.Violations())
	}
}

// Rotated WBI keys make getDanmuInfo answer -352; the source refreshes the
// keys from nav and gets in.
func TestWBIKeyRotation(t *testing.T) {
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	var c danmu.Counters
	out, _ := start(t, fastSource(srv, &c))
	if err := srv.WaitAuths(waitCtx(t), 1); err != nil {
		t.Fatal(err)
	}
	srv.RotateWBIKeys()
	srv.DropMidFrame()
	if err := srv.WaitAuths(waitCtx(t), 2); err != nil {
		t.Fatal(err)
	}
	srv.Send(bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "左", UID: 1, Name: "a"}))
	next(t, out)
	st := srv.Stats()
	if st.RiskControl != 1 || st.Navs != 2 || len(st.Violations) > 0 {
		t.Errorf("stats %+v", st)
	}
}

// A cookie file logs in: nav's uid goes into the auth packet, and names
// are not masked.
func TestCookieFileLogin(t *testing.T) {
	srv := bilibilitest.NewServer(bilibilitest.Config{Logins: map[string]int64{"0a1b2c3d%2C1780000000%2Cabcde*11": 424242}})
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "cookie.txt")
	cookie := "Cookie: buvid3=6F1E0B4E-AAAA-BBBB-CCCC-0123456789AB12345infoc; SESSDATA=0a1b2c3d%2C1780000000%2Cabcde*11; bili_jct=deadbeef\n"
	if err := os.WriteFile(path, []byte(cookie), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	src := fastSource(srv, nil)
	src.CookieFile = path
	src.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	out, stop := start(t, src)
	srv.Send(bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "左", UID: 5, Name: "猫"}))
	next(t, out)
	stop()
	st := srv.Stats()
	if !strings.Contains(st.LastAuth, `"uid":424242`) || !strings.Contains(st.LastAuth, `"buvid":"6F1E0B4E-AAAA-BBBB-CCCC-0123456789AB12345infoc"`) || len(st.Violations) > 0 {
		t.Errorf("auth %s violations %q", st.LastAuth, st.Violations)
	}
	if strings.Contains(logs.String(), "SESSDATA") || strings.Contains(logs.String(), "0a1b2c3d") || strings.Contains(logs.String(), "not logged in") {
		t.Errorf("log leaks the cookie or warns wrongly:\n%s", logs.String())
	}
}

func TestGuestWarnsOnce(t *testing.T) {
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	var logs bytes.Buffer
	src := fastSource(srv, nil)
	src.Log = slog.New(slog.NewTextHandler(&logs, nil))
	out, stop := start(t, src)
	srv.Send(fixture(t, "log_in_notice_1.json"))
	if ev := next(t, out); ev.Kind != danmu.KindNotice {
		t.Fatalf("event %+v", ev)
	}
	stop()
	if n := strings.Count(logs.String(), "masks viewers' names"); n != 1 {
		t.Errorf("guest warning logged %d times:\n%s", n, logs.String())
	}
}

func TestRoomNotFound(t *testing.T) {
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	src := fastSource(srv, nil)
	src.Room = "404"
	err := src.Run(waitCtx(t), make(chan danmu.Event))
	if !errors.Is(err, bilibili.ErrRoomNotFound) {
		t.Errorf("Run = %v, want ErrRoomNotFound", err)
	}
}

// A dead host at the front of the list is skipped on the next attempt.
func TestHostRotation(t *testing.T) {
	srv := bilibilitest.NewServer(bilibilitest.Config{DeadHosts: 1})
	defer srv.Close()
	var c danmu.Counters
	out, _ := start(t, fastSource(srv, &c))
	srv.Send(bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "左", UID: 1, Name: "a"}))
	next(t, out)
	if c.Get(bilibili.CounterDialError) != 1 || srv.Stats().DanmuInfos != 2 {
		t.Errorf("counters %v stats %+v", c.Snapshot(), srv.Stats())
	}
}
