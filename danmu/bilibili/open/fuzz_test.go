package open_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/cattease/cattease/danmu/bilibili/open"
	"github.com/cattease/cattease/danmu/bilibili/open/opentest"
)

// FuzzDecode: no body panics; every failure is a *DecodeError or a
// *SkipError with a reason; every Event is bounded and well-formed.
func FuzzDecode(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "open_platform_*.json"))
	for _, n := range names {
		f.Add(fixture(f, filepath.Base(n)))
	}
	u := opentest.User{OpenID: "o", Name: "n", Admin: true, Guard: 2, Medal: 3}
	f.Add(opentest.DM(u, "左"))
	f.Add(opentest.Gift(u, "g", 2, 100))
	f.Add(opentest.InteractionEnd("g1"))
	f.Add([]byte(`{"cmd":"LIVE_OPEN_PLATFORM_GUARD","data":{"user_info":{"open_id":"o"},"guard_level":1,"guard_num":"3","guard_unit":"月","price":"19998000"}}`))
	f.Add([]byte(`{"cmd":"LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL","data":{"message_ids":[1,"2",null]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		d := decoder()
		ev, err := d.Decode(body)
		if err != nil {
			var skip *open.SkipError
			var de *open.DecodeError
			if !(errors.As(err, &skip) && skip.Reason != "") && !(errors.As(err, &de) && de.Reason != "") {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !ev.Kind.Valid() || !ev.User.Role.Valid() || ev.Platform != "bilibili" || ev.Time.IsZero() {
			t.Fatalf("malformed event %+v", ev)
		}
		for _, s := range []string{ev.Text, ev.ID, ev.User.ID, ev.User.Name, ev.Gift.Name} {
			if len(s) > open.MaxText {
				t.Fatalf("string of %d bytes escaped the cap", len(s))
			}
		}
		if ev.Gift.ValueCents < 0 || ev.Gift.Count < 0 || ev.User.Guard < 0 || ev.User.Guard > 3 || ev.User.Medal < 0 {
			t.Fatalf("out of range %+v", ev)
		}
	})
}
