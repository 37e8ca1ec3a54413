package open_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili/open"
	"github.com/cattease/cattease/danmu/bilibili/open/opentest"
)

// fixture reads testdata/name (provenance in testdata/SOURCES.md).
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("fixture %s: %v (see testdata/SOURCES.md)", name, err)
	}
	return b
}

var fixedNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func decoder() *open.Decoder {
	return &open.Decoder{RoomID: 4639581, AnchorOpenID: "anchor-open-id", GameID: "g1", Now: func() time.Time { return fixedNow }}
}

// The captures predate open_id, so the sender is the deprecated uid.
func TestDecodeFixtures(t *testing.T) {
	for _, tc := range []struct {
		file string
		want danmu.Event
	}{
		{"open_platform_dm_1.json", danmu.Event{Kind: danmu.KindChat, ID: "b706a698-1efc-4a70-a7d0-0ac41098e51b",
			Time: time.Unix(1672338197, 0).UTC(), Text: "喵喵喵喵喵",
			User: danmu.User{ID: "3102384", Name: "猫裙少年泽远喵", Role: danmu.RoleViewer, Level: danmu.LevelUnknown, Medal: 22}}},
		{"open_platform_send_gift_1.json", danmu.Event{Kind: danmu.KindGift, ID: "c69e86ce-6931-4c55-bdaf-ba439fbb914b",
			Time: time.Unix(1683118497, 0).UTC(),
			User: danmu.User{ID: "114439178", Name: "不忘韩文初心", Role: danmu.RoleViewer, Level: danmu.LevelUnknown, Medal: 26},
			Gift: danmu.Gift{Name: "小花花", Count: 1, ValueCents: 10}}},
		{"open_platform_send_gift_2_free.json", danmu.Event{Kind: danmu.KindGift, ID: "e0677be6-4d08-49bc-a722-17238b0f370b",
			Time: time.Unix(1650717898, 0).UTC(),
			User: danmu.User{ID: "114439178", Name: "不忘韩文初心", Role: danmu.RoleViewer, Level: danmu.LevelUnknown, Medal: 25, Guard: 1},
			Gift: danmu.Gift{Name: "小心心", Count: 1}}},
		{"open_platform_super_chat_1.json", danmu.Event{Kind: danmu.KindSuperChat, ID: "3992851",
			Time: time.Unix(1652413567, 0).UTC(), Text: "进行一个鱼的摸",
			User: danmu.User{ID: "1270482", Name: "Sequbre", Role: danmu.RoleViewer, Level: danmu.LevelUnknown},
			Gift: danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: 3000}}},
		{"open_platform_guard_1.json", danmu.Event{Kind: danmu.KindGuard, ID: "415d1592-9f76-4c84-9a59-4a2ee081a4dd",
			Time: time.Unix(1654801753, 0).UTC(),
			User: danmu.User{ID: "616066", Name: "你的魔法", Role: danmu.RoleViewer, Level: danmu.LevelUnknown, Guard: 1},
			Gift: danmu.Gift{Name: "舰长", Count: 1}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			ev, err := decoder().Decode(fixture(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Platform, tc.want.Room = "bilibili", "4639581"
			if ev != tc.want {
				t.Errorf("got  %+v\nwant %+v", ev, tc.want)
			}
		})
	}
}

func TestDecodeIdentityAndRoles(t *testing.T) {
	d := decoder()
	for _, tc := range []struct {
		name string
		body []byte
		want danmu.User
	}{
		{"viewer", opentest.DM(opentest.User{OpenID: "o-1", Name: "猫奴"}, "左"),
			danmu.User{ID: "o-1", Name: "猫奴", Role: danmu.RoleViewer, Level: danmu.LevelUnknown}},
		{"moderator", opentest.DM(opentest.User{OpenID: "o-2", Name: "房管", Admin: true}, "停"),
			danmu.User{ID: "o-2", Name: "房管", Role: danmu.RoleModerator, Level: danmu.LevelUnknown}},
		{"owner", opentest.DM(opentest.User{OpenID: "anchor-open-id", Name: "主播", Admin: true}, "停"),
			danmu.User{ID: "anchor-open-id", Name: "主播", Role: danmu.RoleOwner, Level: danmu.LevelUnknown}},
		{"governor with medal", opentest.DM(opentest.User{OpenID: "o-3", Name: "总督", Guard: 1, Medal: 21}, "右"),
			danmu.User{ID: "o-3", Name: "总督", Role: danmu.RoleViewer, Level: danmu.LevelUnknown, Guard: 3, Medal: 21}},
		{"captain", opentest.DM(opentest.User{OpenID: "o-4", Name: "舰长", Guard: 3}, "右"),
			danmu.User{ID: "o-4", Name: "舰长", Role: danmu.RoleViewer, Level: danmu.LevelUnknown, Guard: 1}},
		{"openid typo", []byte(`{"cmd":"LIVE_OPEN_PLATFORM_DM","data":{"openid":"o-5","uname":"x","msg":"左"}}`),
			danmu.User{ID: "o-5", Name: "x", Role: danmu.RoleViewer, Level: danmu.LevelUnknown}},
		{"nobody", []byte(`{"cmd":"LIVE_OPEN_PLATFORM_DM","data":{"uid":0,"uname":"x","msg":"左"}}`),
			danmu.User{Name: "x", Role: danmu.RoleViewer, Level: danmu.LevelUnknown, Masked: true}},
	} {
		ev, err := d.Decode(tc.body)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if ev.User != tc.want || ev.Kind != danmu.KindChat {
			t.Errorf("%s: got %+v, want %+v", tc.name, ev.User, tc.want)
		}
	}
}

func TestDecodeGiftsAndOthers(t *testing.T) {
	d := decoder()
	u := opentest.User{OpenID: "o-1", Name: "猫奴"}
	ev, err := d.Decode(opentest.Gift(u, "小花花", 3, 100))
	if err != nil || ev.Kind != danmu.KindGift || ev.Gift != (danmu.Gift{Name: "小花花", Count: 3, ValueCents: 30}) {
		t.Errorf("paid gift: %+v %v", ev, err)
	}
	ev, err = d.Decode(opentest.Gift(u, "小心心", 1, 0))
	if err != nil || ev.Gift.ValueCents != 0 {
		t.Errorf("free gift: %+v %v", ev, err)
	}
	// price for an unpaid (silver) gift is not money.
	ev, err = d.Decode([]byte(`{"cmd":"LIVE_OPEN_PLATFORM_SEND_GIFT","data":{"open_id":"o","gift_name":"x","gift_num":2,"price":500,"paid":false}}`))
	if err != nil || ev.Gift.ValueCents != 0 {
		t.Errorf("unpaid gift with price: %+v %v", ev, err)
	}
	for _, tc := range []struct {
		body string
		kind danmu.Kind
		text string
	}{
		{`{"cmd":"LIVE_OPEN_PLATFORM_LIKE","data":{"open_id":"o","uname":"a","like_text":"为主播点赞了","like_count":5}}`, danmu.KindLike, "为主播点赞了"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_LIVE_ROOM_ENTER","data":{"open_id":"o","uname":"a","room_id":4639581}}`, danmu.KindEnter, ""},
		{`{"cmd":"LIVE_OPEN_PLATFORM_LIVE_START","data":{"room_id":4639581,"open_id":"anchor-open-id","title":"猫","area_name":"宠物"}}`, danmu.KindLive, "猫"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_LIVE_END","data":{"room_id":4639581,"open_id":"anchor-open-id","title":"猫"}}`, danmu.KindOffline, "猫"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL","data":{"room_id":4639581,"message_ids":[3992851,"7"],"msg_id":"m"}}`, danmu.KindNotice, "super chat withdrawn: 3992851,7"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_GUARD","data":{"user_info":{"open_id":"o","uname":"a"},"guard_level":2,"guard_num":3,"guard_unit":"月","price":1998000}}`, danmu.KindGuard, ""},
	} {
		ev, err := d.Decode([]byte(tc.body))
		if err != nil || ev.Kind != tc.kind || ev.Text != tc.text || ev.Room != "4639581" || ev.Time != fixedNow {
			t.Errorf("%s: %+v %v", tc.body, ev, err)
		}
		if tc.kind == danmu.KindGuard && (ev.Gift != danmu.Gift{Name: "提督", Count: 3, ValueCents: 599400} || ev.User.Guard != 2) {
			t.Errorf("guard: %+v", ev)
		}
	}
}

func TestDecodeDrops(t *testing.T) {
	d := decoder()
	var skip *open.SkipError
	var de *open.DecodeError
	for _, tc := range []struct {
		body   string
		reason string
	}{
		{`{"cmd":"LIVE_OPEN_PLATFORM_NEW_THING","data":{}}`, "unknown_cmd"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_DM_MIRROR","data":{}}`, "mirror"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_DM","data":{"room_id":1,"open_id":"o","msg":"左"}}`, "mirror"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_INTERACTION_END","data":{"game_id":"g1"}}`, "interaction_end"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_INTERACTION_END","data":{"conn_id":7}}`, "interaction_end"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_INTERACTION_END","data":{"game_id":"old"}}`, "interaction_end_other_game"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_DM","data":{"msg":`, "decode_error:invalid_json"},
		{`{"data":{}}`, "decode_error:no_cmd"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_DM","data":{"msg":5}}`, "decode_error:bad_field"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_DM","data":{"open_id":"o","msg":"` + strings.Repeat("左", 1000) + `"}}`, "decode_error:text_too_long"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_SEND_GIFT","data":{"gift_num":-1,"price":1,"paid":true}}`, "decode_error:bad_field"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_SEND_GIFT","data":{"gift_num":9223372036854775807,"price":9,"paid":true}}`, "decode_error:bad_field"},
		{`{"cmd":"LIVE_OPEN_PLATFORM_SUPER_CHAT","data":{"rmb":-1}}`, "decode_error:bad_field"},
		{`{"cmd":"x","pad":"` + strings.Repeat("a", open.MaxBody) + `"}`, "decode_error:too_large"},
	} {
		_, err := d.Decode([]byte(tc.body))
		got := ""
		switch {
		case errors.As(err, &skip):
			got = skip.Reason
		case errors.As(err, &de):
			got = "decode_error:" + de.Reason
		}
		if got != tc.reason {
			t.Errorf("%.80s: %v (reason %q), want %q", tc.body, err, got, tc.reason)
		}
	}
}
