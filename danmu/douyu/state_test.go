package douyu_test

import (
	"context"
	"errors"
	"net"
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
