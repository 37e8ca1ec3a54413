package douyu_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/douyu"
	"github.com/cattease/cattease/danmu/douyu/douyutest"
)

// The source says where its connection stands: connected once logged in,
// reconnecting from the moment the server drops it (since then, however
// many attempts fail, and why the last did), connected again, ended when
// cancelled.
func TestConnStateSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := douyutest.NewPipeServer("9999")
		defer srv.Close()
		var down atomic.Bool // the server's port refuses connections
		c := &danmu.Counters{}
		src := &douyu.Source{
			Room: "9999", API: douyu.APIOff, Addr: "tcp://danmuproxy.test:8601", Counters: c,
			NetDial: func(ctx context.Context, network, addr string) (net.Conn, error) {
				if down.Load() {
					return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
				}
				return srv.DialPipe(ctx, network, addr)
			},
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel() // a failed check ends the source too
		done := make(chan error, 1)
		go func() { done <- src.Stream(ctx, func([]danmu.Event) error { return nil }) }()
		synctest.Wait()
		state := func(want danmu.ConnState, since time.Time, attempts int, class string) {
			t.Helper()
			got := c.Conn()
			if got.State != want || !got.Since.Equal(since) || got.Attempts != attempts || got.Err != class || got.Room != "9999" {
				t.Fatalf("at %v: %+v, want %s since %v, %d attempts, error %q",
					time.Now(), got, want, since, attempts, class)
			}
		}
		state(danmu.ConnConnected, time.Now(), 0, "")

		time.Sleep(time.Minute)
		srv.Drop()
		synctest.Wait()
		lost := time.Now()
		state(danmu.ConnReconnecting, lost, 1, danmu.ErrClassClosed)
		time.Sleep(time.Second) // a healthy session: the retry comes within BackoffMin
		synctest.Wait()
		if st := srv.Stats(); st.Joins != 2 {
			t.Fatalf("no reconnect: %+v", st)
		}
		again := c.Conn().Since
		state(danmu.ConnConnected, again, 0, "")
		if !again.After(lost) {
			t.Fatalf("connected again at %v, lost at %v", again, lost)
		}

		// The server goes away: every attempt is refused.
		down.Store(true)
		srv.Drop()
		synctest.Wait()
		lost = time.Now()
		time.Sleep(30 * time.Second)
		synctest.Wait()
		got := c.Conn()
		if got.State != danmu.ConnReconnecting || !got.Since.Equal(lost) || got.Attempts < 4 || got.Err != danmu.ErrClassRefused {
			t.Fatalf("30 s after the server went away: %+v (lost at %v)", got, lost)
		}
		// Each failure is counted as it happens, as on Bilibili: the first
		// drop, then every attempt since the second, while the source
		// waits to try again.
		if n := c.Get(douyu.CounterReconnect); n != uint64(1+got.Attempts) {
			t.Fatalf("%d reconnects counted after 1 drop and %d failures since", n, got.Attempts)
		}
		down.Store(false)
		time.Sleep(time.Minute) // the backoff's cap
		synctest.Wait()
		state(danmu.ConnConnected, c.Conn().Since, 0, "")
		if since := c.Conn().Since; !since.After(lost.Add(30 * time.Second)) {
			t.Fatalf("connected since %v, before the server came back", since)
		}

		cancel()
		synctest.Wait()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Stream: %v", err)
		}
		state(danmu.ConnEnded, time.Now(), 0, "")
	})
}

// A source that cannot start ends at once, and says why.
func TestConnStateEndsOnBadConfig(t *testing.T) {
	c := &danmu.Counters{}
	src := &douyu.Source{Room: "9999", Addr: "gopher://x", Counters: c}
	if err := src.Stream(t.Context(), nil); err == nil {
		t.Fatal("Stream accepted gopher://")
	}
	if got := c.Conn(); got.State != danmu.ConnEnded || got.Err != danmu.ErrClassOther {
		t.Fatalf("%+v", got)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A vanity id that does not resolve is not joined, and the source says
// so: reconnecting from the first failed lookup, each lookup an attempt
// counted as a reconnect, with its class: not_found while Douyu answers
// that no room has the id, api for an error status, the network's class
// when the API cannot be reached. It never ends by itself (Douyu's answer
// is a page, not an error code), and connects once the id resolves.
func TestConnStateUnresolvedRoomSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := douyutest.NewPipeServer("9999")
		defer srv.Close()
		var refuse atomic.Bool // the API's port refuses connections
		api := srv.HTTPClient().Transport
		c := &danmu.Counters{}
		src := pipeSource(srv, c)
		src.Room = "nosuchroom"
		src.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if refuse.Load() {
				return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
			}
			return api.RoundTrip(r)
		})}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel() // a failed check ends the source too
		done := make(chan error, 1)
		go func() { done <- src.Stream(ctx, func([]danmu.Event) error { return nil }) }()
		synctest.Wait()
		start := time.Now()
		check := func(when, class string) danmu.Conn {
			t.Helper()
			got := c.Conn()
			if got.State != danmu.ConnReconnecting || !got.Since.Equal(start) || got.Err != class || got.Room != "nosuchroom" {
				t.Fatalf("%s: %+v, want reconnecting since %v with %q", when, got, start, class)
			}
			if n := c.Get(douyu.CounterReconnect); n != uint64(got.Attempts) {
				t.Fatalf("%s: %d reconnects counted for %d failed lookups", when, n, got.Attempts)
			}
			if st := srv.Stats(); st.Accepted != 0 {
				t.Fatalf("%s: connected to the chat server: %+v", when, st)
			}
			return got
		}
		if got := check("after the first lookup", danmu.ErrClassNotFound); got.Attempts != 1 {
			t.Fatalf("%+v", got)
		}
		// Retried 1 s, 2 s, 4 s … apart, each one an attempt.
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if got := check("after 10 s", danmu.ErrClassNotFound); got.Attempts < 4 || got.Attempts != srv.Stats().Lookups {
			t.Fatalf("%+v after %d lookups", got, srv.Stats().Lookups)
		}

		srv.FailResolve(http.StatusNotFound) // an error status is no answer about the room
		n := srv.Stats().Lookups
		if err := srv.Wait(ctx, func(st douyutest.Stats) bool { return st.Lookups > n }); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		check("after a 404", danmu.ErrClassAPI)

		refuse.Store(true)
		time.Sleep(time.Minute) // the backoff's cap
		synctest.Wait()
		check("with the API refusing connections", danmu.ErrClassRefused)

		refuse.Store(false)
		srv.AddAlias("nosuchroom")
		failed := c.Get(douyu.CounterReconnect)
		time.Sleep(time.Minute)
		synctest.Wait()
		if got := c.Conn(); got.State != danmu.ConnConnected || got.Room != "nosuchroom" {
			t.Fatalf("once the id resolved: %+v", got)
		}
		if st := srv.Stats(); st.Joins != 1 || st.LastRoom != "9999" {
			t.Fatalf("once the id resolved: %+v", st)
		}
		if n := c.Get(douyu.CounterReconnect); n != failed {
			t.Fatalf("%d reconnects counted, %d before the lookup that worked", n, failed)
		}

		cancel()
		synctest.Wait()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Stream: %v", err)
		}
		if got := c.Conn(); got.State != danmu.ConnEnded || got.Err != "" {
			t.Fatalf("after cancel: %+v", got)
		}
	})
}
