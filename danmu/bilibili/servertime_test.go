package bilibili

import (
	"bytes"
	"os"
	"strconv"
	"testing"
	"time"
)

// The window of server times taken as given, and its edges in the
// decoder's units.
var (
	windowStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	windowEnd   = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// A server timestamp outside the window is not a time a real server sends
// (a hostile one, a unit mix-up): it is taken as missing and the event is
// stamped with the decoder's clock, so every event can be recorded
// (--record writes years up to 9999 only) and any two event times differ
// by less than a time.Duration can hold (about 292 years), which replay's
// virtual clock needs.
func TestServerTimeWindow(t *testing.T) {
	now := fixedNow()
	tests := []struct {
		name string
		ms   int64 // the server time in milliseconds
		want time.Time
	}{
		{"usual", 1743255627732, time.UnixMilli(1743255627732).UTC()},
		{"first instant of the window", windowStart.UnixMilli(), windowStart},
		{"last second of the window", windowEnd.UnixMilli() - 1000, windowEnd.Add(-time.Second)},
		{"just before the window", windowStart.UnixMilli() - 1000, now},
		{"end of the window", windowEnd.UnixMilli(), now},
		{"seconds read as milliseconds (January 1970)", 1743255627, now},
		{"year 9999", time.Date(9999, 6, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), now},
		{"past year 9999: --record cannot write it", 9000000000000 * 1000, now},
		{"zero", 0, now},
		{"negative", -1, now},
		{"largest int64", 1<<63 - 1, now},
	}
	raw, err := os.ReadFile("testdata/danmu_msg_1.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		d := Decoder{RoomID: 1, Now: fixedNow}
		check := func(what string, body []byte) {
			t.Helper()
			ev, err := d.Decode(body)
			if err != nil {
				t.Fatalf("%s, %s: %v", tt.name, what, err)
			}
			if !ev.Time.Equal(tt.want) {
				t.Errorf("%s, %s: time %v, want %v", tt.name, what, ev.Time, tt.want)
			}
			if _, err := ev.Time.MarshalJSON(); err != nil {
				t.Errorf("%s, %s: the event cannot be recorded: %v", tt.name, what, err)
			}
		}
		sec := tt.ms / 1000
		if tt.ms < 0 {
			sec = tt.ms
		}
		s := strconv.FormatInt(sec, 10)
		if tt.ms%1000 == 0 || tt.ms < 0 {
			check("SEND_GIFT timestamp in seconds", []byte(`{"cmd":"SEND_GIFT","data":{"uid":5,"uname":"a","giftName":"x","num":1,"timestamp":`+s+`}}`))
			check("GUARD_BUY start_time in seconds", []byte(`{"cmd":"GUARD_BUY","data":{"uid":5,"username":"a","guard_level":3,"num":1,"price":198000,"start_time":`+s+`}}`))
		}
		// DANMU_MSG, in milliseconds, through the fast path and the general
		// decoder, which must agree.
		body := bytes.Replace(raw, []byte("1743255627732"), []byte(strconv.FormatInt(tt.ms, 10)), 1)
		if bytes.Equal(body, raw) && tt.ms != 1743255627732 {
			t.Fatal("the capture's send time has changed")
		}
		check("DANMU_MSG", body)
		if !sameAsReference(t, d, body) {
			t.Errorf("%s: the fast path handed the DANMU_MSG over", tt.name)
		}
		ev, _, err := d.decodeGeneral(body)
		if err != nil || !ev.Time.Equal(tt.want) {
			t.Errorf("%s: general decoder: time %v, %v; want %v", tt.name, ev.Time, err, tt.want)
		}
	}
}
