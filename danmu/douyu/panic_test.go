package douyu_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

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
