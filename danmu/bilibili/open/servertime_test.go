package open_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/open"
)

// A server time outside 2000-01-01 … 2200-01-01 UTC is taken as missing,
// and the event gets the decoder's clock: the same window as the web
// decoder, so an event's time does not depend on which Bilibili source
// brought it, and every event can be written by --record (years ≤ 9999).
func TestServerTimeWindowMatchesWeb(t *testing.T) {
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	end := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	now := func() time.Time { return fixedNow }
	web := bilibili.Decoder{RoomID: 1, Now: now}
	dec := open.Decoder{RoomID: 1, Now: now}
	for _, sec := range []int64{
		1672338197,     // a capture's
		start, end - 1, // the window's edges
		start - 1, end, 1 << 40, 1<<63 - 1, // outside: 1<<40 s is the year 36812
		1672338197000, // milliseconds where seconds belong
		0, -1,
	} {
		s := strconv.FormatInt(sec, 10)
		want := fixedNow
		if sec >= start && sec < end {
			want = time.Unix(sec, 0).UTC()
		}
		w, err := web.Decode([]byte(`{"cmd":"SEND_GIFT","data":{"uid":5,"uname":"a","giftName":"x","num":1,"timestamp":` + s + `}}`))
		if err != nil {
			t.Fatal(err)
		}
		for _, body := range []string{
			`{"cmd":"LIVE_OPEN_PLATFORM_DM","data":{"room_id":1,"open_id":"o","uname":"a","msg":"左","timestamp":` + s + `}}`,
			`{"cmd":"LIVE_OPEN_PLATFORM_SUPER_CHAT","data":{"room_id":1,"open_id":"o","uname":"a","message":"左","rmb":30,"start_time":` + s + `}}`,
		} {
			ev, err := dec.Decode([]byte(body))
			if err != nil {
				t.Fatalf("%s: %v", body, err)
			}
			if !ev.Time.Equal(want) || !w.Time.Equal(want) {
				t.Errorf("server time %d: open %v, web %v; want %v", sec, ev.Time, w.Time, want)
			}
			if _, err := ev.Time.MarshalJSON(); err != nil {
				t.Errorf("server time %d: the event cannot be recorded: %v", sec, err)
			}
		}
	}
}
