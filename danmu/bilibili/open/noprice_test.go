package open_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili/open"
	"github.com/cattease/cattease/danmu/bilibili/open/opentest"
)

// A paid gift or a guard purchase without a price is still an event, worth
// 0, but no longer in silence: it is counted gift_no_price (on /metrics)
// and the first is warned about. The 2022 guard capture has no price.
func TestNoPriceIsCounted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		var logs bytes.Buffer
		srv, out, stop := pipeRun(t, opentest.Config{}, &c, func(_ *opentest.Server, s *open.Source) {
			s.Log = slog.New(slog.NewTextHandler(&logs, nil))
		})
		u := opentest.User{OpenID: "o-1", Name: "a"}
		bodies := []struct {
			body    []byte
			kind    danmu.Kind
			cents   int64
			noPrice bool
		}{
			{fixture(t, "open_platform_guard_1.json"), danmu.KindGuard, 0, true},
			{[]byte(`{"cmd":"LIVE_OPEN_PLATFORM_SEND_GIFT","data":{"open_id":"o","gift_name":"x","gift_num":2,"paid":true}}`), danmu.KindGift, 0, true},
			{[]byte(`{"cmd":"LIVE_OPEN_PLATFORM_SEND_GIFT","data":{"open_id":"o","gift_name":"x","gift_num":2,"price":0,"paid":true}}`), danmu.KindGift, 0, true},
			{[]byte(`{"cmd":"LIVE_OPEN_PLATFORM_GUARD","data":{"user_info":{"open_id":"o"},"guard_level":3,"guard_num":1,"guard_unit":"月","price":0}}`), danmu.KindGuard, 0, true},
			// priced, or free: nothing to count
			{[]byte(`{"cmd":"LIVE_OPEN_PLATFORM_GUARD","data":{"user_info":{"open_id":"o"},"guard_level":3,"guard_num":1,"guard_unit":"月","price":138000}}`), danmu.KindGuard, 13800, false},
			{opentest.Gift(u, "小花花", 3, 100), danmu.KindGift, 30, false},
			{opentest.Gift(u, "小心心", 1, 0), danmu.KindGift, 0, false},
			{fixture(t, "open_platform_send_gift_2_free.json"), danmu.KindGift, 0, false},
		}
		var want uint64
		for _, b := range bodies {
			srv.Send(b.body)
			ev := <-out
			if ev.Kind != b.kind || ev.Gift.ValueCents != b.cents {
				t.Errorf("%s: %s worth %d, want %s worth %d", b.body, ev.Kind, ev.Gift.ValueCents, b.kind, b.cents)
			}
			if b.noPrice {
				want++
			}
			if got := c.Get(open.CounterNoPrice); got != want {
				t.Errorf("%s: %s = %d, want %d", b.body, open.CounterNoPrice, got, want)
			}
		}
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		if n := strings.Count(logs.String(), "without a price"); n != 1 {
			t.Errorf("warned %d times, want once:\n%s", n, logs.String())
		}
	})
}
