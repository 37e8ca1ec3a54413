package open_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili/open"
	"github.com/cattease/cattease/danmu/bilibili/open/opentest"
)

// The source says where its connection stands, and names its room only
// once the platform does: never by the 身份码.
func TestConnStateSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		room := "4639581"
		srv, _, stop := pipeRun(t, opentest.Config{}, &c, nil)
		// The source may have started the game already (nothing in the
		// bubble waits for it): its room is none yet, or the platform's.
		if got := c.Conn(); got.Room != "" && got.Room != room {
			t.Fatalf("a room before the platform named one: %+v", got)
		}
		waitStats(t, srv, func(s opentest.Stats) bool { return s.Auths == 1 })
		synctest.Wait()
		if got := c.Conn(); got.State != danmu.ConnConnected || got.Room != room || !got.Since.Equal(time.Now()) {
			t.Fatalf("after the auth: %+v", got)
		}
		time.Sleep(10 * time.Second)
		srv.Drop()
		synctest.Wait()
		lost := time.Now()
		if got := c.Conn(); got.State != danmu.ConnReconnecting || got.Attempts != 1 || !got.Since.Equal(lost) ||
			got.Err != danmu.ErrClassClosed {
			t.Fatalf("after the drop: %+v", got)
		}
		waitStats(t, srv, func(s opentest.Stats) bool { return s.Auths == 2 })
		synctest.Wait()
		if got := c.Conn(); got.State != danmu.ConnConnected || got.Room != room || !got.Since.After(lost) {
			t.Fatalf("after the reconnect: %+v", got)
		}
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		if got := c.Conn(); got.State != danmu.ConnEnded || got.Err != "" {
			t.Fatalf("after stop: %+v", got)
		}
	})
}

// A refused 身份码 ends the source, and says it was refused.
func TestConnStateInvalidCode(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		_, _, stop := pipeRun(t, opentest.Config{}, &c, func(s *opentest.Server, _ *open.Source) {
			s.Fail("/v2/app/start", 7007)
		})
		synctest.Wait()
		if err := stop(); !errors.Is(err, open.ErrInvalidCode) {
			t.Fatalf("Run = %v", err)
		}
		if got := c.Conn(); got.State != danmu.ConnEnded || got.Err != danmu.ErrClassAuth {
			t.Fatalf("%+v", got)
		}
	})
}

// A WebSocket that never answers the auth has timed out: the platform did
// not refuse the 身份码, so the status says 连接超时, not 登录或密钥被拒.
func TestConnStateSilentAuthIsTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		_, _, stop := pipeRun(t, opentest.Config{SilentAuths: 100}, &c, nil)
		time.Sleep(30 * time.Second)
		synctest.Wait()
		got, failed := c.Conn(), c.Get(open.CounterAuthFailed)
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		if got.State != danmu.ConnReconnecting || got.Err != danmu.ErrClassTimeout || got.Attempts < 1 {
			t.Errorf("after 30 s of unanswered auths: %+v", got)
		}
		if failed == 0 {
			t.Errorf("no auth failure counted")
		}
	})
}
