package douyu

import (
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func decodeFixture(t *testing.T, d *Decoder, name string) (danmu.Event, bool) {
	t.Helper()
	m, err := Decode(fixture(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d.Decode(m)
}

// The decoded Events of real captures. Redacted values (the rsm "c" key,
// addresses) are never asserted.
func TestFixtureEvents(t *testing.T) {
	chat := func(room, id, uid, name, text string, role danmu.Role, guard, medal, level int) danmu.Event {
		return danmu.Event{Platform: "douyu", Room: room, Kind: danmu.KindChat, ID: id, Time: t0, Text: text,
			User: danmu.User{ID: uid, Name: name, Role: role, Guard: guard, Medal: medal, Level: level}}
	}
	gift := func(room, uid, name string, role danmu.Role, medal, level int, g string, n int) danmu.Event {
		return danmu.Event{Platform: "douyu", Room: room, Kind: danmu.KindGift, Time: t0,
			User: danmu.User{ID: uid, Name: name, Role: role, Medal: medal, Level: level},
			Gift: danmu.Gift{Name: g, Count: n}}
	}
	tests := []struct {
		file  string
		room  string
		owner string
		keep  bool
		want  danmu.Event
	}{
		{"douyudm_chatmsg.txt", "102965", "", false,
			chat("102965", "00bd3553ee494c929f45090100000000", "36216769", "小老弟233", "注意保暖", danmu.RoleModerator, 1, 21, 38)},
		// nl=7 游侠, the entry noble tier: guard 1.
		{"ordinaryroad_chatmsg.txt", "7750753", "", false,
			chat("7750753", "044c3bf3074b483275a44e0000000000", "549977", "一闪一闪亮品品", "冷门歌手哎，声音独特哎", danmu.RoleViewer, 1, 0, 29)},
		{"ordinaryroad_chatmsg.txt", "7750753", "549977", false,
			chat("7750753", "044c3bf3074b483275a44e0000000000", "549977", "一闪一闪亮品品", "冷门歌手哎，声音独特哎", danmu.RoleOwner, 1, 0, 29)},
		{"recru1t2020_chatmsg_1.txt", "5189167", "", false,
			chat("5189167", "54dd6a7549d34457e090b60100000000", "8922578", "冷傲的军", "你值几块", danmu.RoleViewer, 0, 11, 16)},
		{"recru1t2020_chatmsg_2.txt", "5189167", "", false,
			chat("5189167", "44a23d9303a84d8f849eb60100000000", "142128894", "车底的QGM", "@椰汁球的彭于晏：你别几万块，猪肉不值钱", danmu.RoleViewer, 1, 11, 17)},
		// Badge of another room (brid 290935): no medal.
		{"recru1t2020_chatmsg_3.txt", "5189167", "", false,
			chat("5189167", "a78fa0704ff54ab0e99cb60100000000", "55287750", "转身离去不见", "都是炒出来的价格", danmu.RoleViewer, 0, 0, 6)},
		// Captures from before dms existed: only with KeepRobots.
		{"9plus2018_chatmsg_2.txt", "9999", "", true,
			chat("9999", "2006a18e487a490638fb010000000000", "16841813", "僵尸王rua", "丐帮每日福利", danmu.RoleViewer, 0, 12, 20)},
		{"yanglw2016_chatmsg_roomadmin_color.txt", "56040", "", true,
			chat("56040", "bef2a2e1843c4b6637640d0000000000", "3386817", "夏沫ペ柠萌ぃ", "性别女、爱好男、没开直播、木有房间号、再问自杀[emot:dy110]", danmu.RoleModerator, 0, 0, 25)},
		{"opensourcebarrage2020_chatmsg_backslash_1.txt", "1126960", "", true,
			chat("1126960", "bc3d7f1df98a4dd5080e010000000000", "1984696350", "站外_MaC", `HHHHHHHHHH\`, danmu.RoleViewer, 0, 0, 0)},
		{"opensourcebarrage2020_chatmsg_backslash_2.txt", "1126960", "", true,
			chat("1126960", "4b2e264e848a4b53990e010000000000", "925207544", "站外_谁叫我身手不凡c", `?\`, danmu.RoleViewer, 0, 0, 0)},
		{"9plus2018_dgb_1.txt", "9999", "", false,
			gift("9999", "406114", "M丶不请自来", danmu.RoleViewer, 6, 17, "gfid:824", 1)},
		{"9plus2018_dgb_3.txt", "9999", "", false,
			gift("9999", "16574659", "唯余相思", danmu.RoleViewer, 11, 18, "gfid:192", 1)},
		{"douyudm_dgb.txt", "3898464", "", false,
			gift("3898464", "176432111", "户外就是锻炼", danmu.RoleViewer, 0, 32, "gfid:824", 1)},
		// 2016 dgb: no gfcnt (count 1), rg=4.
		{"yanglw2016_dgb.txt", "56040", "", false,
			gift("56040", "13040322", "LD丶菊南翔级长樱桃", danmu.RoleModerator, 0, 33, "gfid:57", 1)},
		{"douyudm_uenter.txt", "3898464", "", false, danmu.Event{Platform: "douyu", Room: "3898464", Kind: danmu.KindEnter, Time: t0,
			User: danmu.User{ID: "199997189", Name: "tiara佳尊", Role: danmu.RoleViewer, Level: 40}}},
		{"yanglw2016_uenter.txt", "56040", "", false, danmu.Event{Platform: "douyu", Room: "56040", Kind: danmu.KindEnter, Time: t0,
			User: danmu.User{ID: "13770345", Name: "他家隔壁王大叔", Role: danmu.RoleViewer, Level: 6}}},
		{"yanglw2016_rss_on.txt", "574315", "", false, danmu.Event{Platform: "douyu", Room: "574315", Kind: danmu.KindLive, Time: t0}},
		{"yanglw2016_rss_off.txt", "574315", "", false, danmu.Event{Platform: "douyu", Room: "574315", Kind: danmu.KindOffline, Time: t0}},
	}
	for _, tt := range tests {
		d := &Decoder{Room: tt.room, Owner: tt.owner, KeepRobots: tt.keep, Now: func() time.Time { return t0 }}
		got, ok := decodeFixture(t, d, tt.file)
		if !ok {
			t.Errorf("%s: no event", tt.file)
			continue
		}
		if got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.file, got, tt.want)
		}
		if !got.Kind.Valid() || !got.User.Role.Valid() && got.User.Role != "" {
			t.Errorf("%s: invalid kind/role", tt.file)
		}
	}
}

func TestFixtureDrops(t *testing.T) {
	tests := []struct {
		file    string
		room    string
		counter string
	}{
		{"9plus2018_chatmsg_2.txt", "9999", CounterRobot},                    // no dms
		{"yanglw2016_chatmsg_mobile.txt", "56040", CounterRobot},             // no dms
		{"douyudm_chatmsg.txt", "1", CounterOtherRoom},                       // rid 102965
		{"douyudm_dgb.txt", "1", CounterOtherRoom},                           // rid 3898464
		{"douyudm_spbc.txt", "9157198", CounterIgnoredCmd},                   // site-wide broadcast
		{"douyudm_cthn.txt", "0", CounterIgnoredCmd},                         // has a field named chatmsg
		{"douyumonitor_configscreen_fansupgrade.txt", "", CounterIgnoredCmd}, // btype first
		{"douyudm_loginres.txt", "", CounterIgnoredCmd},
		{"ordinaryroad_subres.txt", "", CounterIgnoredCmd},
		{"yanglw2016_keeplive_reply.txt", "", CounterIgnoredCmd},
	}
	for _, tt := range tests {
		c := &danmu.Counters{}
		d := &Decoder{Room: tt.room, Counters: c}
		if ev, ok := decodeFixture(t, d, tt.file); ok {
			t.Errorf("%s: unexpected event %+v", tt.file, ev)
		}
		if c.Get(tt.counter) != 1 {
			t.Errorf("%s: counters %v, want %s", tt.file, c.Snapshot(), tt.counter)
		}
	}
}

func TestDecoderUnknownAndDuplicates(t *testing.T) {
	c := &danmu.Counters{}
	d := &Decoder{Room: "102965", Counters: c}
	if _, ok := d.Decode(Msg("type", "brand_new_thing", "rid", "102965")); ok {
		t.Error("unknown type made an event")
	}
	if _, ok := d.Decode(Msg("rid", "102965")); ok {
		t.Error("typeless message made an event")
	}
	if c.Get(CounterUnknownCmd) != 2 {
		t.Errorf("unknown %d", c.Get(CounterUnknownCmd))
	}
	if _, ok := decodeFixture(t, d, "douyudm_chatmsg.txt"); !ok {
		t.Fatal("first copy dropped")
	}
	if _, ok := decodeFixture(t, d, "douyudm_chatmsg.txt"); ok || c.Get(CounterDuplicate) != 1 {
		t.Error("duplicate cid delivered")
	}
	// Unexpected enum values are open sets: col=7, rg=9 are just a viewer.
	ev, ok := d.Decode(Msg("type", "chatmsg", "rid", "102965", "uid", "1", "txt", "左", "col", "7", "rg", "9", "dms", "1"))
	if !ok || ev.User.Role != danmu.RoleViewer || ev.Text != "左" {
		t.Errorf("open enums: %v %+v", ok, ev)
	}
	// Site super admin pg=5 is a moderator.
	ev, _ = d.Decode(Msg("type", "chatmsg", "rid", "102965", "uid", "2", "pg", "5", "dms", "1"))
	if ev.User.Role != danmu.RoleModerator {
		t.Errorf("pg=5: %q", ev.User.Role)
	}
	// No uid: malformed.
	if _, ok := d.Decode(Msg("type", "chatmsg", "rid", "102965", "txt", "x", "dms", "1")); ok || c.Get(CounterMalformed) != 1 {
		t.Error("chat without uid")
	}
	// Newer dgb with a gift name.
	ev, ok = d.Decode(Msg("type", "dgb", "rid", "102965", "uid", "3", "gfid", "20000", "gfn", "办卡", "gfcnt", "5"))
	if !ok || ev.Gift != (danmu.Gift{Name: "办卡", Count: 5}) {
		t.Errorf("gfn: %+v", ev.Gift)
	}
}

func TestDedupWindow(t *testing.T) {
	var d dedup
	for i := range dedupSize {
		if d.seen(string(rune('a'+i%26)) + string(rune(i))) {
			t.Fatal("fresh id seen")
		}
	}
	if !d.seen(string(rune('a'+5%26)) + string(rune(5))) {
		t.Error("recent id forgotten")
	}
	d.seen("new")
	if d.seen("a" + string(rune(0))) {
		t.Error("oldest id not evicted")
	}
	if len(d.set) != dedupSize {
		t.Errorf("set size %d", len(d.set))
	}
}
