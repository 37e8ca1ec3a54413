package bilibili_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
)

// The source says where its connection stands: connected once the auth
// is accepted, reconnecting from the moment the server drops it or falls
// silent (since then, with why), connected again, ended when cancelled.
func TestConnStateSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		srv, _, stop := pipeRun(t, bilibilitest.Config{}, &c)
		if err := srv.WaitAuths(t.Context(), 1); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		state := func(want danmu.ConnState, since time.Time, attempts int, class string) {
			t.Helper()
			got := c.Conn()
			if got.State != want || !got.Since.Equal(since) || got.Attempts != attempts || got.Err != class || got.Room != "21" {
				t.Fatalf("at %v: %+v, want %s since %v, %d attempts, error %q", time.Now(), got, want, since, attempts, class)
			}
		}
		state(danmu.ConnConnected, time.Now(), 0, "")

		time.Sleep(10 * time.Second)
		srv.DropMidFrame()
		synctest.Wait()
		lost := time.Now()
		state(danmu.ConnReconnecting, lost, 1, danmu.ErrClassClosed)
		if err := srv.WaitAuths(t.Context(), 2); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		state(danmu.ConnConnected, time.Now(), 0, "")
		if !time.Now().After(lost) {
			t.Fatal("connected again without a backoff")
		}

		// Silence: no frame for 45 s is a dead connection.
		srv.Stall()
		stalled := time.Now()
		time.Sleep(46 * time.Second)
		synctest.Wait()
		if got := c.Conn(); got.State != danmu.ConnReconnecting || got.Err != danmu.ErrClassTimeout ||
			got.Since.Sub(stalled) < 44*time.Second {
			t.Fatalf("46 s after the server fell silent: %+v", got)
		}
		if err := srv.WaitAuths(t.Context(), 3); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		state(danmu.ConnConnected, time.Now(), 0, "")

		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		state(danmu.ConnEnded, time.Now(), 0, "")
	})
}

// A room that does not exist ends the source, and says so.
func TestConnStateRoomNotFound(t *testing.T) {
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	c := &danmu.Counters{}
	src := fastSource(srv, c)
	src.Room = "404"
	if err := src.Run(waitCtx(t), make(chan danmu.Event)); !errors.Is(err, bilibili.ErrRoomNotFound) {
		t.Fatalf("Run = %v, want ErrRoomNotFound", err)
	}
	if got := c.Conn(); got.State != danmu.ConnEnded || got.Err != danmu.ErrClassNotFound || got.Room != "404" {
		t.Fatalf("%+v", got)
	}
}

// A server that never answers the auth has timed out: it did not refuse
// the login, so the status says 连接超时, not 登录或密钥被拒.
func TestConnStateSilentAuthIsTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		_, _, stop := pipeRun(t, bilibilitest.Config{SilentAuths: 100}, &c)
		time.Sleep(30 * time.Second)
		synctest.Wait()
		got, failed := c.Conn(), c.Get(bilibili.CounterAuthFailed)
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		if got.State != danmu.ConnReconnecting || got.Err != danmu.ErrClassTimeout || got.Attempts < 2 {
			t.Errorf("after 30 s of unanswered auths: %+v", got)
		}
		if failed != uint64(got.Attempts) {
			t.Errorf("%d auth failures counted, %d attempts", failed, got.Attempts)
		}
	})
}
