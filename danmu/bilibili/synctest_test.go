package bilibili_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
)

// pipeRun starts a pipe server and a Source with default timings inside
// the current synctest bubble. The returned stop cancels Run, waits for it,
// and shuts everything down so the bubble can end.
func pipeRun(t *testing.T, cfg bilibilitest.Config, c *danmu.Counters) (*bilibilitest.Server, chan danmu.Event, func() error) {
	t.Helper()
	srv := bilibilitest.NewPipeServer(cfg)
	client := srv.Client()
	src := &bilibili.Source{Room: "21", API: srv.URL, HTTPClient: client, NetDial: srv.Dial, Counters: c, Log: testLogger()}
	out := make(chan danmu.Event, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx, out) }()
	stop := func() error {
		cancel()
		err := <-done
		client.CloseIdleConnections()
		srv.Close()
		if tr, ok := client.Transport.(*http.Transport); ok {
			tr.CloseIdleConnections()
		}
		return err
	}
	return srv, out, stop
}

func TestHeartbeatEvery30s(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		srv, out, stop := pipeRun(t, bilibilitest.Config{}, &c)
		srv.Send(bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "左", UID: 7, Name: "a"}))
		if ev := <-out; ev.Text != "左" {
			t.Fatalf("event %+v", ev)
		}
		start := time.Now()
		time.Sleep(95 * time.Second)
		synctest.Wait()
		st := srv.Stats()
		// One right after the auth reply, then at 30, 60 and 90 s.
		if st.Heartbeats != 4 || st.Auths != 1 || len(st.Violations) > 0 {
			t.Errorf("after %v: %+v", time.Since(start), st)
		}
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		if c.Get(bilibili.CounterReconnect) != 0 {
			t.Errorf("reconnects: %v", c.Snapshot())
		}
	})
}

// A server that goes silent (no heartbeat replies, no messages) is
// detected by the read deadline and replaced, with a new token.
func TestStallReconnects(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		srv, out, stop := pipeRun(t, bilibilitest.Config{}, &c)
		if err := srv.WaitAuths(t.Context(), 1); err != nil {
			t.Fatal(err)
		}
		srv.Stall()
		start := time.Now()
		if err := srv.WaitAuths(t.Context(), 2); err != nil {
			t.Fatal(err)
		}
		// Read timeout 45 s after the last frame, plus up to 1 s of backoff.
		if d := time.Since(start); d < 15*time.Second || d > 47*time.Second {
			t.Errorf("reconnected after %v", d)
		}
		srv.Send(bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "右", UID: 8, Name: "b"}))
		if ev := <-out; ev.Text != "右" {
			t.Fatalf("event %+v", ev)
		}
		st := srv.Stats()
		if st.DanmuInfos != 2 || len(st.Violations) > 0 || c.Get(bilibili.CounterReadTimeout) != 1 {
			t.Errorf("stats %+v counters %v", st, c.Snapshot())
		}
		stop()
	})
}

// With the server unreachable, retries back off exponentially up to the
// cap, and cancellation during a backoff returns at once.
func TestBackoffAndCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		srv, _, stop := pipeRun(t, bilibilitest.Config{}, &c)
		if err := srv.WaitAuths(t.Context(), 1); err != nil {
			t.Fatal(err)
		}
		srv.Close() // every later request fails
		time.Sleep(10 * time.Minute)
		synctest.Wait()
		// Each failure counts, then waits 1 s, 2 s, 4 s … capped at 2 min,
		// each with up to half removed at random. Full waits end by 487 s
		// after 10 of them (11 counted); halved ones by 543.5 s after 15
		// (16 counted): the bounds, whatever the jitter.
		if n := c.Get(bilibili.CounterReconnect); n < 8 || n > 16 {
			t.Errorf("%d reconnects in 10 min: %v", n, c.Snapshot())
		}
		start := time.Now()
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		if time.Since(start) != 0 {
			t.Errorf("stop took %v of fake time", time.Since(start))
		}
	})
}

// Bilibili closes connections that do not authenticate within 5 s; the
// client authenticates immediately, and a server that never answers the
// auth is given up on after AuthTimeout.
func TestAuthReplyTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		srv, _, stop := pipeRun(t, bilibilitest.Config{SilentAuths: 1}, &c)
		start := time.Now()
		if err := srv.WaitAuths(t.Context(), 1); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < 5*time.Second || d > 7*time.Second {
			t.Errorf("second connection authenticated after %v", d)
		}
		if c.Get(bilibili.CounterAuthFailed) != 1 || len(srv.Violations()) > 0 {
			t.Errorf("counters %v violations %q", c.Snapshot(), srv.Violations())
		}
		stop()
	})
}

// After repeated failures the source re-runs the whole bootstrap
// (room_init, nav), not only getDanmuInfo; every attempt has its own token.
func TestRebootstrapAfterRepeatedFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		srv, out, stop := pipeRun(t, bilibilitest.Config{SilentAuths: 3}, &c)
		srv.Send(bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "左", UID: 7, Name: "a"}))
		if ev := <-out; ev.Text != "左" {
			t.Fatalf("event %+v", ev)
		}
		st := srv.Stats()
		if st.RoomInits != 2 || st.Navs != 2 || st.DanmuInfos != 4 || c.Get(bilibili.CounterAuthFailed) != 3 || len(st.Violations) > 0 {
			t.Errorf("stats %+v counters %v", st, c.Snapshot())
		}
		stop()
	})
}

// A connection that stayed up past HealthyAfter resets the backoff: the
// failures before it do not slow the next reconnect.
func TestBackoffResetsAfterHealthyPeriod(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		srv, _, stop := pipeRun(t, bilibilitest.Config{SilentAuths: 3}, &c)
		if err := srv.WaitAuths(t.Context(), 1); err != nil { // after 3 failures: ≥ 3.5 s of backoff
			t.Fatal(err)
		}
		time.Sleep(2 * time.Minute)
		srv.DropMidFrame()
		start := time.Now()
		if err := srv.WaitAuths(t.Context(), 2); err != nil {
			t.Fatal(err)
		}
		// Without the reset this would be the 4th failure: 4–8 s.
		if d := time.Since(start); d > time.Second {
			t.Errorf("reconnected after %v, want ≤ 1 s", d)
		}
		stop()
	})
}
