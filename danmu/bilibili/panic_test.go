package bilibili_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
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

// heartbeatBug is a connection whose Write panics when the heartbeat
// writer calls it: a bug on the writer's goroutine, without a seam in the
// code under test.
type heartbeatBug struct{ net.Conn }

func (c heartbeatBug) Write(b []byte) (int, error) {
	if calledFrom(".writeHeartbeats") {
		panic("heartbeat broke")
	}
	return c.Conn.Write(b)
}

// The heartbeats are written on a goroutine of the connection's own: a
// panic there comes back as a panic of Stream, on the caller's goroutine,
// where cattease's guard halts the rig, once the writer has ended.
func TestHeartbeatWriterPanicReachesTheCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := bilibilitest.NewPipeServer(bilibilitest.Config{})
		defer srv.Close()
		client := srv.Client()
		dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := srv.Dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return heartbeatBug{c}, nil
		}
		src := &bilibili.Source{Room: "21", API: srv.URL, HTTPClient: client, NetDial: dial, Counters: &danmu.Counters{}, Log: testLogger()}
		got := make(chan any, 1)
		go func() {
			defer func() { got <- recover() }()
			err := src.Stream(context.Background(), func([]danmu.Event) error { return nil })
			got <- fmt.Sprintf("Stream returned %v without a panic", err)
		}()
		p := <-got // the first heartbeat goes right after the auth reply
		if p == nil || !strings.Contains(fmt.Sprint(p), "bilibili: panic writing heartbeats: heartbeat broke") {
			t.Fatalf("recovered %v, want the heartbeat writer's panic", p)
		}
		client.CloseIdleConnections()
		if tr, ok := client.Transport.(*http.Transport); ok {
			tr.CloseIdleConnections()
		}
	})
}
