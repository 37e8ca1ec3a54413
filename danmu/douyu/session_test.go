package douyu_test

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/douyu"
	"github.com/cattease/cattease/danmu/douyu/douyutest"
)

// These tests run on synctest's fake clock over net.Pipe: the real
// defaults (45 s heartbeat, 90 s idle timeout, 1 s…60 s backoff) in
// microseconds of real time.

func pipeSource(srv *douyutest.Server, c *danmu.Counters) *douyu.Source {
	return &douyu.Source{
		Room:       "cat",
		HTTPClient: srv.HTTPClient(),
		Addr:       "tcp://danmuproxy.test:8601",
		NetDial:    srv.DialPipe,
		Counters:   c,
	}
}

func TestHeartbeatIdleAndLogoutSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := douyutest.NewPipeServer("9999")
		defer srv.Close()
		srv.AddAlias("cat")
		c := &danmu.Counters{}
		src := pipeSource(srv, c)
		ctx, cancel := context.WithCancel(context.Background())
		out := make(chan danmu.Event, 8)
		done := make(chan error, 1)
		go func() { done <- src.Run(ctx, out) }()

		synctest.Wait()
		st := srv.Stats()
		if st.Logins != 1 || st.Joins != 1 || st.Heartbeats != 0 || st.LastRoom != "9999" {
			t.Fatalf("after connect: %+v", st)
		}
		// One mrkl every 45 s.
		time.Sleep(45*time.Second + time.Millisecond)
		synctest.Wait()
		if st := srv.Stats(); st.Heartbeats != 1 {
			t.Fatalf("after 45 s: %d heartbeats", st.Heartbeats)
		}
		time.Sleep(45 * time.Second)
		synctest.Wait()
		if st := srv.Stats(); st.Heartbeats != 2 {
			t.Fatalf("after 90 s: %d heartbeats", st.Heartbeats)
		}

		// The server falls silent (no more mrkl echoes): 90 s after the last
		// byte the connection counts as dead and is replaced.
		srv.Stall()
		time.Sleep(89 * time.Second)
		synctest.Wait()
		if c.Get(douyu.CounterIdleTimeout) != 0 || srv.Stats().Joins != 1 {
			t.Fatalf("gave up early: %v", c.Snapshot())
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if c.Get(douyu.CounterIdleTimeout) != 1 {
			t.Fatalf("not dead after 91 s of silence: %v", c.Snapshot())
		}
		// A session of 90 s+ was healthy: reconnect after about BackoffMin/2.
		time.Sleep(time.Second)
		synctest.Wait()
		if st := srv.Stats(); st.Joins != 2 || st.Active != 1 {
			t.Fatalf("no reconnect: %+v", st)
		}

		srv.Send(chat("9999", "1", "x1", "左"))
		synctest.Wait()
		if ev := <-out; ev.Text != "左" || ev.Room != "9999" {
			t.Errorf("event %+v", ev)
		}

		// Cancel: logout, close, return ctx.Err() at once.
		logouts := srv.Stats().Logouts
		cancel()
		synctest.Wait()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run: %v", err)
			}
		default:
			t.Fatal("Run did not return")
		}
		if st := srv.Stats(); st.Logouts != logouts+1 || st.Active != 0 {
			t.Errorf("after cancel: %+v", st)
		}
	})
}

// A dialer that always fails: attempts back off exponentially with jitter
// up to the cap, rotate through the endpoints, and cancel stops at once.
func TestBackoffAndRotationSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var times []time.Time
		var addrs []string
		c := &danmu.Counters{}
		src := &douyu.Source{
			Room:     "9999",
			API:      douyu.APIOff,
			Addr:     "tcp://danmuproxy.test", // no port: 8601 and 8602
			Counters: c,
			NetDial: func(ctx context.Context, network, addr string) (net.Conn, error) {
				mu.Lock()
				times = append(times, time.Now())
				addrs = append(addrs, addr)
				mu.Unlock()
				return nil, errors.New("connection refused")
			},
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- src.Run(ctx, nil) }()
		time.Sleep(10 * time.Minute)
		synctest.Wait()
		mu.Lock()
		n := len(times)
		gaps := make([]time.Duration, 0, n)
		for i := 1; i < n; i++ {
			gaps = append(gaps, times[i].Sub(times[i-1]))
		}
		got := append([]string(nil), addrs...)
		mu.Unlock()
		if n < 12 {
			t.Fatalf("only %d attempts in 10 min", n)
		}
		for i, g := range gaps {
			ceil := time.Second << i
			if ceil > 60*time.Second {
				ceil = 60 * time.Second
			}
			if g < ceil/2 || g > ceil {
				t.Errorf("gap %d = %v, want in [%v, %v]", i+1, g, ceil/2, ceil)
			}
		}
		for i := 1; i < len(got); i++ {
			if got[i] == got[i-1] {
				t.Errorf("attempt %d did not rotate: %v", i, got[:i+1])
				break
			}
		}
		if c.Get(douyu.CounterDialError) != uint64(n) || c.Get(douyu.CounterReconnect) != uint64(n) {
			t.Errorf("counters %v for %d attempts", c.Snapshot(), n)
		}
		// Cancel in the middle of a 60 s wait returns at once.
		cancel()
		synctest.Wait()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run: %v", err)
			}
		default:
			t.Fatal("Run still waiting after cancel")
		}
	})
}

// A server that accepts and never answers: no loginres in 10 s means try
// again; a connection that ends quickly counts as a failure (backoff grows).
func TestLoginTimeoutSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var wg sync.WaitGroup
		c := &danmu.Counters{}
		src := &douyu.Source{
			Room: "9999", API: douyu.APIOff, Addr: "tcp://danmuproxy.test:8601", Counters: c,
			NetDial: func(ctx context.Context, network, addr string) (net.Conn, error) {
				a, b := net.Pipe()
				wg.Add(1)
				go func() { defer wg.Done(); io.Copy(io.Discard, b); b.Close() }()
				return a, nil
			},
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- src.Run(ctx, nil) }()
		time.Sleep(10*time.Second + time.Millisecond)
		synctest.Wait()
		if c.Get(douyu.CounterLoginTimeout) != 1 {
			t.Errorf("counters %v", c.Snapshot())
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
		wg.Wait()
	})
}

// A drop soon after login is a failure (the backoff keeps growing); a drop
// after a healthy period resets it.
func TestHealthyResetSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := douyutest.NewPipeServer("9999")
		defer srv.Close()
		src := pipeSource(srv, nil)
		src.Room = "9999"
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- src.Run(ctx, nil) }()
		synctest.Wait()

		// Three quick drops: waits of ~1 s, ~2 s, ~4 s (jittered).
		var last time.Time
		var waits []time.Duration
		for i := range 3 {
			srv.Drop()
			synctest.Wait()
			last = time.Now()
			for srv.Stats().Joins != i+2 {
				time.Sleep(10 * time.Millisecond)
				synctest.Wait()
			}
			waits = append(waits, time.Since(last))
		}
		for i, w := range waits {
			ceil := time.Second << i
			if w < ceil/2 || w > ceil+10*time.Millisecond {
				t.Errorf("wait %d = %v, want in [%v, %v]", i, w, ceil/2, ceil)
			}
		}
		// Stay up past HealthyAfter, then drop: back to a short wait.
		time.Sleep(61 * time.Second)
		srv.Drop()
		synctest.Wait()
		last = time.Now()
		for srv.Stats().Joins != 5 {
			time.Sleep(10 * time.Millisecond)
			synctest.Wait()
		}
		if w := time.Since(last); w > 510*time.Millisecond {
			t.Errorf("after a healthy session waited %v", w)
		}
		cancel()
		<-done
	})
}
