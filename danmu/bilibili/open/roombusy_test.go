package open_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili/open"
	"github.com/cattease/cattease/danmu/bilibili/open/opentest"
)

// stoppable is pipeRun whose stop also runs, once, if the test fails
// before calling it, so that the bubble ends.
func stoppable(t *testing.T, cfg opentest.Config, c *danmu.Counters) (*opentest.Server, chan danmu.Event, func() error) {
	srv, out, stop := pipeRun(t, cfg, c, nil)
	once := sync.OnceValue(stop)
	t.Cleanup(func() { _ = once() })
	return srv, out, once
}

// The connection drops and /v2/app/end fails (a 5xx, a timeout): the old
// game still holds the room. It is ended again before the next start, so
// that start is not refused with 7002 and the chat is back in seconds.
func TestUnconfirmedEndIsRetriedBeforeStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		srv, out, stop := stoppable(t, opentest.Config{}, &c)
		waitStats(t, srv, func(s opentest.Stats) bool { return s.Auths == 1 })
		srv.Fail("/v2/app/end", 5000)
		srv.Drop()
		time.Sleep(10 * time.Second)
		synctest.Wait()
		st := srv.Stats()
		if st.Starts != 2 || st.Auths != 2 || st.Ends != 1 || st.Refused[7002] != 0 || st.Expired != 0 {
			t.Fatalf("10 s after the drop: stats %+v counters %v", st, c.Snapshot())
		}
		srv.Send(opentest.DM(opentest.User{OpenID: "o-1", Name: "a"}, "左"))
		if ev := <-out; ev.Text != "左" {
			t.Errorf("event %+v", ev)
		}
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		if st := srv.Stats(); st.Ends != 2 || len(st.Active) != 0 || c.Get(open.CounterEndError) != 1 {
			t.Errorf("stats %+v counters %v", st, c.Snapshot())
		}
	})
}

// When ending the old game keeps failing, the start is refused with 7002
// until the platform closes that game (60 s after its last heartbeat):
// the source waits a minute and starts again instead of stopping for good.
func TestRoomBusyIsRetriedAfterAMinute(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		srv, out, stop := stoppable(t, opentest.Config{}, &c)
		waitStats(t, srv, func(s opentest.Stats) bool { return s.Auths == 1 })
		time.Sleep(time.Second)
		srv.Fail("/v2/app/end", 5000, 5000, 5000)
		srv.Drop()
		time.Sleep(29 * time.Second) // t = 30 s
		synctest.Wait()
		if st := srv.Stats(); st.Starts != 1 || st.Refused[7002] != 1 || st.Expired != 0 {
			t.Fatalf("at 30 s: stats %+v", st)
		}
		time.Sleep(30 * time.Second) // t = 60 s: the old game expires
		synctest.Wait()
		if st := srv.Stats(); st.Starts != 1 || st.Expired != 1 || st.Refused[7002] != 1 {
			t.Fatalf("retried sooner than a minute after 7002: stats %+v", st)
		}
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if st := srv.Stats(); st.Starts != 2 || st.Auths != 2 || st.Refused[7002] != 1 {
			t.Fatalf("at 65 s: stats %+v counters %v", st, c.Snapshot())
		}
		srv.Send(opentest.DM(opentest.User{OpenID: "o-1", Name: "a"}, "右"))
		if ev := <-out; ev.Text != "右" {
			t.Errorf("event %+v", ev)
		}
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		if st := srv.Stats(); st.Ends != 1 || len(st.Active) != 0 || c.Get(open.CounterEndError) != 3 {
			t.Errorf("stats %+v counters %v", st, c.Snapshot())
		}
	})
}

// Another app's game that stays: the source tries a minute or more apart
// for RoomBusyFor, then stops with ErrRoomBusy and says how long it tried.
func TestRoomBusyGivesUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := opentest.NewPipeServer(opentest.Config{})
		defer srv.Close()
		srv.StartForeignGame()
		src := source(t, srv.Config())
		src.API, src.HTTPClient, src.NetDial = srv.URL, srv.Client(), srv.Dial
		start := time.Now()
		err := src.Run(t.Context(), make(chan danmu.Event))
		took := time.Since(start)
		if !errors.Is(err, open.ErrRoomBusy) || !strings.Contains(err.Error(), "after 5m") {
			t.Fatalf("Run = %v", err)
		}
		if took < open.RoomBusyFor || took > open.RoomBusyFor+2*time.Minute {
			t.Errorf("gave up after %v", took)
		}
		// At 0, ≥ 1, ≥ 2, ≥ 3, ≥ 4 and ≥ 5 minutes at most.
		if st := srv.Stats(); st.Refused[7002] < 2 || st.Refused[7002] > 6 || st.Starts != 0 {
			t.Errorf("stats %+v", st)
		}
	})
}
