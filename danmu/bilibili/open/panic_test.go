package open_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili/open"
	"github.com/cattease/cattease/danmu/bilibili/open/opentest"
)

// calledFrom reports whether fn is on the calling goroutine's stack.
func calledFrom(fn string) bool {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	for {
		f, more := frames.Next()
		if strings.Contains(f.Function, fn) {
			return true
		}
		if !more {
			return false
		}
	}
}

// heartbeatBug is a connection whose Write panics when the WebSocket's
// heartbeat writer calls it: a bug on the writer's goroutine, without a
// seam in the code under test.
type heartbeatBug struct{ net.Conn }

func (c heartbeatBug) Write(b []byte) (int, error) {
	if calledFrom(".writeHeartbeats") {
		panic("injected bug")
	}
	return c.Conn.Write(b)
}

// gameHeartbeatBug is an HTTP transport that panics on the game's
// heartbeat: a bug on the game heartbeat's goroutine.
type gameHeartbeatBug struct{ http.RoundTripper }

func (t gameHeartbeatBug) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/v2/app/heartbeat") {
		panic("injected bug")
	}
	return t.RoundTripper.RoundTrip(req)
}

// A game writes heartbeats on two goroutines of its own, the
// WebSocket's and the game's (an HTTP call every 20 s): a panic on
// either comes back as a panic of Stream, on the caller's goroutine,
// where cattease's guard halts the rig; the game is still ended.
func TestHeartbeatPanicsReachTheCaller(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		setup      func(src *open.Source)
	}{
		{"WebSocket", "bilibili/open: panic writing WebSocket heartbeats: injected bug", func(src *open.Source) {
			dial := src.NetDial
			src.NetDial = func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := dial(ctx, network, addr)
				if err != nil {
					return nil, err
				}
				return heartbeatBug{c}, nil
			}
		}},
		{"game", "bilibili/open: panic in the game heartbeat: injected bug", func(src *open.Source) {
			src.HTTPClient = &http.Client{Transport: gameHeartbeatBug{src.HTTPClient.Transport}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := opentest.NewPipeServer(opentest.Config{})
				defer srv.Close()
				client := srv.Client()
				defer client.Transport.(*http.Transport).CloseIdleConnections()
				src := source(t, srv.Config())
				src.API, src.HTTPClient, src.NetDial, src.Counters = srv.URL, client, srv.Dial, &danmu.Counters{}
				tc.setup(src)
				src.HTTPClient = &http.Client{Transport: slowEnd{src.HTTPClient.Transport}}
				got := make(chan any, 1)
				go func() {
					defer func() { got <- recover() }()
					err := src.Stream(context.Background(), func([]danmu.Event) error { return nil })
					got <- fmt.Sprintf("Stream returned %v without a panic", err)
				}()
				p := <-got
				if p == nil || !strings.Contains(fmt.Sprint(p), tc.want) {
					t.Fatalf("recovered %v, want %q", p, tc.want)
				}
				// The panic comes first, for the halt: the game's end (4 s
				// here) is not waited for.
				if st := srv.Stats(); st.Ends != 0 {
					t.Errorf("the panic reached the caller only after the game's end: %+v", st)
				}
				time.Sleep(5 * time.Second)
				synctest.Wait()
				if st := srv.Stats(); st.Starts != 1 || st.Ends != 1 {
					t.Errorf("the game was not ended: %+v", st)
				}
			})
		})
	}
}

// slowEnd takes 4 s to end a game, as a slow platform would.
type slowEnd struct{ rt http.RoundTripper }

func (s slowEnd) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/v2/app/end") {
		time.Sleep(4 * time.Second)
	}
	return s.rt.RoundTrip(req)
}
