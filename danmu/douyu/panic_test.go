package douyu_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/douyu/douyutest"
)

// TestReaderPanicReachesTheCaller: a panic on the goroutine that reads
// and decodes (a decoder bug met on a hostile frame, or the caller's
// emit) comes back as a panic of Stream itself, on the caller's
// goroutine, where cattease's guard halts the rig. Left on the reader's
// goroutine, it would end the process without the halt.
func TestReaderPanicReachesTheCaller(t *testing.T) {
	srv := douyutest.NewServer("9999")
	defer srv.Close()
	src := fast(srv, "9999", srv.URL(), &danmu.Counters{}, &logBuf{})
	ctx, cancel := context.WithTimeout(context.Background(), safety)
	defer cancel()
	got := make(chan any, 1)
	go func() {
		defer func() { got <- recover() }()
		err := src.Stream(ctx, func([]danmu.Event) error { panic("emit broke") })
		got <- fmt.Sprintf("Stream returned %v without a panic", err)
	}()
	wait(t, ctx, srv, "join", func(s douyutest.Stats) bool { return s.Joins == 1 })
	srv.Send(chat("9999", "1001", "c0ffee01", "左"))
	select {
	case p := <-got:
		if p == nil || !strings.Contains(fmt.Sprint(p), "emit broke") {
			t.Fatalf("recovered %v, want the reader's panic", p)
		}
	case <-ctx.Done():
		t.Fatal("Stream neither panicked nor returned")
	}
}

// panicAfter is an HTTP transport that answers the first request and
// panics on every later one: a bug met by the retried room lookup.
type panicAfter struct {
	rt http.RoundTripper
	n  atomic.Int32
}

func (p *panicAfter) RoundTrip(req *http.Request) (*http.Response, error) {
	if p.n.Add(1) > 1 {
		panic("lookup broke")
	}
	return p.rt.RoundTrip(req)
}

// A lookup that fails at the start is retried on a goroutine of the
// source's own: a panic there comes back as a panic of Stream, on the
// caller's goroutine, where cattease's guard halts the rig, and no
// goroutine of the source is left running.
func TestLateResolvePanicReachesTheCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := douyutest.NewPipeServer("9999")
		defer srv.Close()
		srv.FailResolve(http.StatusServiceUnavailable)
		src := pipeSource(srv, &danmu.Counters{})
		src.Room = "9999"
		hc := srv.HTTPClient()
		hc.Transport = &panicAfter{rt: hc.Transport}
		src.HTTPClient = hc
		got := make(chan any, 1)
		go func() {
			defer func() { got <- recover() }()
			err := src.Stream(context.Background(), func([]danmu.Event) error { return nil })
			got <- fmt.Sprintf("Stream returned %v without a panic", err)
		}()
		synctest.Wait()
		if st := srv.Stats(); st.Joins != 1 {
			t.Fatalf("not joined as given after the failed lookup: %+v", st)
		}
		time.Sleep(5 * time.Second) // the retry: within 1 s + jitter
		p := <-got
		if p == nil || !strings.Contains(fmt.Sprint(p), "douyu: panic resolving the room id: lookup broke") {
			t.Fatalf("recovered %v, want the lookup's panic", p)
		}
	})
}
