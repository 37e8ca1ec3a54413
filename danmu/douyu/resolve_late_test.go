package douyu_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/douyu"
	"github.com/cattease/cattease/danmu/douyu/douyutest"
)

// lateRun starts src on the fake clock and returns a stop that cancels it
// and checks it returned context.Canceled.
func lateRun(t *testing.T, src *douyu.Source, out chan danmu.Event) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel) // a failed test still ends the source inside the bubble
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx, out) }()
	return func() {
		t.Helper()
		cancel()
		synctest.Wait()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run: %v", err)
			}
		default:
			t.Fatal("Run did not return after cancel")
		}
	}
}

// next returns the event waiting on out (synctest.Wait first).
func next(t *testing.T, out <-chan danmu.Event) danmu.Event {
	t.Helper()
	synctest.Wait()
	select {
	case ev := <-out:
		return ev
	default:
		t.Fatal("no event")
	}
	return danmu.Event{}
}

// The room-info API fails at start-up (network not up yet): a numeric id
// is joined as given at once, and the lookup is retried in the background
// until the streamer's uid is known. Their 停 then counts as the owner's,
// on the same connection.
func TestResolveRetriedUntilOwnerKnownSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := douyutest.NewPipeServer("9999")
		defer srv.Close()
		srv.SetOwner("42")
		srv.FailResolve(http.StatusServiceUnavailable, http.StatusForbidden)
		var log logBuf
		src := pipeSource(srv, &danmu.Counters{})
		src.Room = "9999"
		src.Log = slog.New(slog.NewTextHandler(&log, nil))
		out := make(chan danmu.Event, 8)
		stop := lateRun(t, src, out)

		synctest.Wait()
		if st := srv.Stats(); st.Joins != 1 || st.LastRoom != "9999" || st.Lookups != 1 {
			t.Fatalf("after a failed lookup: %+v", st)
		}
		srv.Send(chat("9999", "42", "c1", "停"))
		if ev := next(t, out); ev.User.Role != danmu.RoleViewer {
			t.Errorf("before the uid is known: role %v", ev.User.Role)
		}
		// The second try fails too, the third (≤ 1 s + 2 s later) works.
		time.Sleep(4 * time.Second)
		synctest.Wait()
		if st := srv.Stats(); st.Lookups != 3 {
			t.Fatalf("lookups: %+v", st)
		}
		srv.Send(chat("9999", "42", "c2", "停"))
		if ev := next(t, out); ev.User.Role != danmu.RoleOwner {
			t.Errorf("once resolved: role %v, want owner", ev.User.Role)
		}
		if st := srv.Stats(); st.Accepted != 1 {
			t.Errorf("the owner's uid cost a reconnection: %+v", st)
		}
		// Resolved once for all: a reconnection asks no more.
		srv.Drop()
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if st := srv.Stats(); st.Joins != 2 || st.Lookups != 3 {
			t.Errorf("after a drop: %+v", st)
		}
		srv.Send(chat("9999", "42", "c3", "继续"))
		if ev := next(t, out); ev.User.Role != danmu.RoleOwner {
			t.Errorf("after reconnecting: role %v, want owner", ev.User.Role)
		}
		stop()
		if !strings.Contains(log.String(), "room id resolved") {
			t.Errorf("log:\n%s", log.String())
		}
	})
}

// A vanity id whose lookup fails is not joined (it would bring nothing,
// forever): the source waits, retrying with backoff, and joins the real
// room once it resolves.
func TestVanityIDWaitsForResolutionSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := douyutest.NewPipeServer("9999")
		defer srv.Close()
		srv.AddAlias("cat")
		srv.SetOwner("42")
		srv.SetJoinAliases(true) // the bug: the alias would be joined, and stay so
		srv.FailResolve(http.StatusBadGateway, http.StatusBadGateway, http.StatusBadGateway)
		var log logBuf
		src := pipeSource(srv, &danmu.Counters{})
		src.Log = slog.New(slog.NewTextHandler(&log, nil))
		out := make(chan danmu.Event, 8)
		stop := lateRun(t, src, out)

		synctest.Wait()
		if st := srv.Stats(); st.Accepted != 0 || st.Lookups != 1 {
			t.Fatalf("connected before the id resolved: %+v", st)
		}
		// Tries 2 and 3 fail (≤ 1 s, ≤ 2 s later), the fourth (≤ 4 s) works.
		time.Sleep(8 * time.Second)
		synctest.Wait()
		st := srv.Stats()
		if st.Lookups != 4 || st.Joins != 1 || st.LastRoom != "9999" {
			t.Fatalf("after resolving: %+v", st)
		}
		srv.Send(chat("9999", "42", "c1", "停"))
		if ev := next(t, out); ev.Room != "9999" || ev.User.Role != danmu.RoleOwner {
			t.Errorf("event %+v", ev)
		}
		stop()
		if l := log.String(); !strings.Contains(l, "not connecting until it resolves") ||
			!strings.Contains(l, "still unresolved; not connecting yet") {
			t.Errorf("log:\n%s", l)
		}
	})
}

// A numeric short id joined as given while the lookup failed: when the
// lookup later names another real id, the session ends and the real room
// is joined at once.
func TestShortIDRejoinsResolvedRoomSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := douyutest.NewPipeServer("9999")
		defer srv.Close()
		srv.AddAlias("77")
		srv.SetJoinAliases(true)
		srv.FailResolve(http.StatusServiceUnavailable)
		c := &danmu.Counters{}
		src := pipeSource(srv, c)
		src.Room = "77"
		out := make(chan danmu.Event, 8)
		stop := lateRun(t, src, out)

		synctest.Wait()
		if st := srv.Stats(); st.Joins != 1 || st.LastRoom != "77" {
			t.Fatalf("first join: %+v", st)
		}
		srv.Send(chat("9999", "5", "c1", "左"))
		synctest.Wait()
		if len(out) != 0 || c.Get(douyu.CounterOtherRoom) != 1 {
			t.Fatalf("chat of the real room taken in the short id's: %d events, %v", len(out), c.Snapshot())
		}
		time.Sleep(2 * time.Second) // the second lookup (≤ 1 s) works
		synctest.Wait()
		if st := srv.Stats(); st.Joins != 2 || st.LastRoom != "9999" || st.Logouts != 1 {
			t.Fatalf("after resolving: %+v", st)
		}
		srv.Send(chat("9999", "5", "c2", "左"))
		if ev := next(t, out); ev.Room != "9999" || ev.Text != "左" {
			t.Errorf("event %+v", ev)
		}
		// Joining the resolved room is no failure: nothing to count, and
		// the source never stopped being connected.
		if n := c.Get(douyu.CounterReconnect); n != 0 {
			t.Errorf("%d reconnects counted for the switch to the resolved room", n)
		}
		if got := c.Conn(); got.State != danmu.ConnConnected || got.Attempts != 0 {
			t.Errorf("after the switch: %+v", got)
		}
		stop()
	})
}
