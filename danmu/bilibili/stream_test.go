package bilibili_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
)

// TestStreamBatchPerFrame: the events of one WebSocket frame reach emit in
// one call, in order; a frame cut short by a bad packet still hands on the
// events before it.
func TestStreamBatchPerFrame(t *testing.T) {
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	c := &danmu.Counters{}
	src := fastSource(srv, c)
	batches := make(chan []danmu.Event, 8)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- src.Stream(ctx, func(evs []danmu.Event) error {
			batches <- slices.Clone(evs) // the source reuses evs
			return nil
		})
	}()
	stop := sync.OnceFunc(func() { cancel(); <-done })
	defer stop()
	if err := srv.WaitAuths(waitCtx(t), 1); err != nil {
		t.Fatal(err)
	}
	msg := func(text string) []byte {
		return bilibilitest.DanmuMsg(bilibilitest.Chat{Text: text, UID: 42, Name: "猫奴"})
	}
	srv.Send(msg("a"), msg("b"), msg("c"))
	// Two plain packets, then a header announcing more than the frame holds.
	bad := append(bilibilitest.Frame(bilibili.VerJSON, bilibili.OpMessage, msg("d")),
		bilibilitest.Frame(bilibili.VerJSON, bilibili.OpMessage, msg("e"))...)
	bad = append(bad, bilibilitest.Frame(bilibili.VerJSON, bilibili.OpMessage, msg("lost"))[:20]...)
	srv.SendFrame(bad)
	srv.Send(msg("f"))

	for _, want := range []string{"abc", "de", "f"} {
		var got string
		select {
		case evs := <-batches:
			for _, ev := range evs {
				got += ev.Text
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no batch %q", want)
		}
		if got != want {
			t.Fatalf("batch %q, want %q", got, want)
		}
	}
	stop() // the counters are final
	if n := c.Get(bilibili.CounterEvents); n != 6 {
		t.Errorf("events counter %d, want 6", n)
	}
	if n := c.Get("decode_error:" + bilibili.ReasonBadLength); n != 1 {
		t.Errorf("counters %v, want one bad length", c.Snapshot())
	}
}
