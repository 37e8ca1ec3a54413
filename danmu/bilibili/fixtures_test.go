package bilibili_test

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
)

// fixtureDir holds the real captures the tests decode; their provenance is
// in testdata/SOURCES.md. Tests need nothing outside the repository.
const fixtureDir = "testdata"

// fixture reads testdata/name, hex-decoded for .hex files. A missing
// fixture fails the test with its path.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatalf("fixture %s: %v (see testdata/SOURCES.md)", filepath.Join(fixtureDir, name), err)
	}
	if strings.HasSuffix(name, ".hex") {
		b, err = hex.DecodeString(strings.Join(strings.Fields(string(b)), ""))
		if err != nil {
			t.Fatalf("fixture %s: %v", name, err)
		}
	}
	return b
}

func fixtureNames(t testing.TB, glob string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(fixtureDir, glob))
	if err != nil {
		t.Fatalf("fixtures %s in %s: %v", glob, fixtureDir, err)
	}
	if len(names) == 0 {
		t.Fatalf("no fixtures %s in %s (see testdata/SOURCES.md)", glob, fixtureDir)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names
}

// Rooms of the captures (streamer uid from the medal/receiver fields).
var (
	roomMia     = bilibili.Decoder{RoomID: 5561470, StreamerUID: 780791}     // Mia米娅-
	roomXiyue   = bilibili.Decoder{RoomID: 22889484, StreamerUID: 591892279} // 希月萌奈
	roomGuoBao  = bilibili.Decoder{RoomID: 31180317, StreamerUID: 3546569288714792}
	roomMengyin = bilibili.Decoder{RoomID: 958617, StreamerUID: 140378} // 梦音茶糯
	roomStarSea = bilibili.Decoder{RoomID: 544853, StreamerUID: 686127}
	roomXiaozao = bilibili.Decoder{RoomID: 0, StreamerUID: 518817}
)

// Every web-stream body decodes to an Event or a counted skip; none is an
// error. HTTP responses are covered in api_test.go; the open-platform
// pushes are another stream and are unknown cmds here.
func TestEveryFixtureDecodes(t *testing.T) {
	for _, name := range fixtureNames(t, "*.json") {
		if strings.HasPrefix(name, "http_") || name == "open_platform_app_start_response_1.json" {
			continue
		}
		ev, err := roomMia.Decode(fixture(t, name))
		var skip *bilibili.SkipError
		switch {
		case errors.As(err, &skip):
			if strings.HasPrefix(name, "open_platform_") && skip != bilibili.ErrUnknownCmd {
				t.Errorf("%s: %v, want unknown_cmd", name, err)
			}
		case err != nil:
			t.Errorf("%s: %v", name, err)
		case !ev.Kind.Valid() || ev.Platform != "bilibili" || ev.Room != "5561470" || ev.Time.IsZero():
			t.Errorf("%s: incomplete event %+v", name, ev)
		case ev.User.ID != "" && !ev.User.Role.Valid():
			t.Errorf("%s: user without a valid role %+v", name, ev.User)
		}
	}
}

func TestFixtureEvents(t *testing.T) {
	ms := func(v int64) time.Time { return time.UnixMilli(v).UTC() }
	sec := func(v int64) time.Time { return time.Unix(v, 0).UTC() }
	viewer := func(id, name string) danmu.User { return danmu.User{ID: id, Name: name, Role: danmu.RoleViewer} }
	with := func(u danmu.User, f func(*danmu.User)) danmu.User { f(&u); return u }
	tests := []struct {
		file string
		dec  bilibili.Decoder
		want danmu.Event // Platform and Room are checked separately
		skip error
	}{
		{file: "danmu_msg_1.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindChat, ID: "091d66c8bef2d09d0663a103c967e7f8171", Time: ms(1743255627732), Text: "晚上坏",
			User: with(viewer("1603898", "神の騎士"), func(u *danmu.User) { u.Guard, u.Medal, u.Level = 1, 24, 20 })}},
		// uid beyond 2^53 survives intact.
		{file: "danmu_msg_2_reply.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindChat, ID: "53dfdecdc10163e85fcc3ee5c767e6d48391", Time: ms(1743180856166), Text: "一样",
			User: with(viewer("3493142844148332", "属米的小鼠鼠"), func(u *danmu.User) { u.Guard, u.Medal, u.Level = 1, 26, 19 })}},
		{file: "danmu_msg_3_emots.json", dec: roomXiyue, want: danmu.Event{Kind: danmu.KindChat, ID: "0b41f6adaab21e97271beeb59267e6eb874", Time: ms(1743186718656), Text: "开除鲸籍[dog]",
			User: with(viewer("455420449", "铁心机仆Fred"), func(u *danmu.User) { u.Medal = 11 })}},
		{file: "danmu_msg_4_medal.json", dec: roomXiyue, want: danmu.Event{Kind: danmu.KindChat, ID: "068f8aa8c817677f44bf2f4eff67e6ea4262", Time: ms(1743186597724), Text: "还不睡吗",
			User: with(viewer("413340509", "七水合硫酸镁"), func(u *danmu.User) { u.Medal, u.Level = 12, 9 })}},
		// The same viewer in another streamer's room: the medal is not this room's.
		{file: "danmu_msg_4_medal.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindChat, ID: "068f8aa8c817677f44bf2f4eff67e6ea4262", Time: ms(1743186597724), Text: "还不睡吗",
			User: with(viewer("413340509", "七水合硫酸镁"), func(u *danmu.User) { u.Level = 9 })}},
		// The streamer typing in their own room.
		{file: "danmu_msg_4_medal.json", dec: bilibili.Decoder{RoomID: 1, StreamerUID: 413340509}, want: danmu.Event{Kind: danmu.KindChat, ID: "068f8aa8c817677f44bf2f4eff67e6ea4262", Time: ms(1743186597724), Text: "还不睡吗",
			User: with(viewer("413340509", "七水合硫酸镁"), func(u *danmu.User) { u.Role, u.Level = danmu.RoleOwner, 9 })}},
		// A name can be absent even for logged-in listeners.
		{file: "danmu_msg_5_sticker_empty_uname.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindChat, ID: "4cb34f12a7677da80c4ec94a73685fea565", Time: ms(1751116494922), Text: "[舰长_挥手]",
			User: with(viewer("1566785056", ""), func(u *danmu.User) { u.Level = 10 })}},
		// Room moderator (info[2][2]) with a 舰长 guard.
		{file: "danmu_msg_6_sticker_guard.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindChat, ID: "2862ff002f88adfe52b97dfef867e7ff6980", Time: ms(1743257376434), Text: "打call娅",
			User: with(viewer("779351", "白夜yukira"), func(u *danmu.User) { u.Role, u.Guard, u.Medal, u.Level = danmu.RoleModerator, 1, 27, 50 })}},
		{file: "danmu_msg_7_apicollect.json", dec: roomGuoBao, want: danmu.Event{Kind: danmu.KindChat, ID: "364b06e3c561af3d5921f1253d66c1d575", Time: ms(1723979200649), Text: "白花300块[热]",
			User: with(viewer("6088969", "tim1997"), func(u *danmu.User) { u.Medal, u.Level = 29, 39 })}},
		// Guests see uid 0 and masked names.
		{file: "danmu_msg_masked_1.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindChat, ID: "03653126fb8b16e475d6fbee9765a8d563", Time: ms(1705563539903), Text: "太卡了x14",
			User: with(viewer("0", "江***"), func(u *danmu.User) { u.Masked, u.Level = true, 5 })}},
		{file: "danmu_msg_mirror_1.json", dec: roomMia, skip: bilibili.ErrMirror},
		// Paid gift: sender_uinfo.medal (this streamer's) wins over the pinned medal_info.
		{file: "send_gift_1.json", dec: roomMengyin, want: danmu.Event{Kind: danmu.KindGift, ID: "4624536796980696064", Time: sec(1743519923),
			User: with(viewer("180864557", "冷月丶残星丶"), func(u *danmu.User) { u.Medal = 11 }),
			Gift: danmu.Gift{Name: "小花花", Count: 1, ValueCents: 10}}},
		// Blind box: paid the box (¥15), not the revealed gift's ¥16.
		{file: "send_gift_2_blind.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindGift, ID: "4623480221717312000", Time: sec(1743268015),
			User: with(viewer("4105324", "羽於菟"), func(u *danmu.User) { u.Guard, u.Medal = 1, 23 }),
			Gift: danmu.Gift{Name: "荣耀皇冠", Count: 1, ValueCents: 1500}}},
		// Silver gifts are free.
		{file: "send_gift_3_silver.json", dec: roomMengyin, want: danmu.Event{Kind: danmu.KindGift, ID: "4624547221658941440", Time: sec(1743522408),
			User: viewer("32900809", "特34"), Gift: danmu.Gift{Name: "粉丝团灯牌", Count: 1, ValueCents: 0}}},
		{file: "send_gift_4_legacy.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindGift, ID: "1673622464121900003", Time: sec(1673622464),
			User: viewer("510149209", "12138额83121"), Gift: danmu.Gift{Name: "小花花", Count: 1, ValueCents: 10}}},
		{file: "super_chat_1.json", dec: roomMengyin, want: danmu.Event{Kind: danmu.KindSuperChat, ID: "12087464", Time: sec(1743521201), Text: "在理，但是4月1日还没有结束，所以...这句话也是反的",
			User: with(viewer("641809105", "路边的Pet"), func(u *danmu.User) { u.Guard, u.Medal, u.Level = 2, 28, 21 }),
			Gift: danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: 3000}}},
		{file: "super_chat_2.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindSuperChat, ID: "6522809", Time: sec(1677069035), Text: "猪播完美预测自己第一个死，这就是鹅鸭杀高玩吗",
			User: with(viewer("294094150", "界原虚"), func(u *danmu.User) { u.Guard, u.Level = 1, 6 }),
			Gift: danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: 3000}}},
		{file: "guard_buy_1.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindGuard, Time: sec(1677069316),
			User: with(viewer("14225357", "妙妙喵喵妙妙喵O_O"), func(u *danmu.User) { u.Guard = 1 }),
			Gift: danmu.Gift{Name: "舰长", Count: 1, ValueCents: 19800}}},
		{file: "interact_word_enter_1.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindEnter, Time: sec(1743190069),
			User: with(viewer("180864557", "冷月丶残星丶"), func(u *danmu.User) { u.Medal = 14 })}},
		{file: "interact_word_follow_1.json", dec: roomXiyue, want: danmu.Event{Kind: danmu.KindFollow, Time: sec(1743186230),
			User: viewer("3546719954406222", "元気森林代言人")}},
		{file: "interact_word_share_1.json", dec: roomMia, skip: bilibili.ErrIgnoredCmd},
		// Protobuf payload; expected values from the decoded oracle in SOURCES.md.
		{file: "interact_word_v2_1.json", dec: roomStarSea, want: danmu.Event{Kind: danmu.KindEnter, Time: sec(1751716524),
			User: with(viewer("439367700", "StarSea246"), func(u *danmu.User) { u.Medal = 18 })}},
		{file: "like_info_v3_click_1.json", dec: roomXiaozao, want: danmu.Event{Kind: danmu.KindLike, Text: "为主播点赞了",
			User: with(viewer("284587437", "幻月光时"), func(u *danmu.User) { u.Guard, u.Medal = 1, 25 })}},
		{file: "live_1.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindLive, ID: "591274000023608446", Time: sec(1743685980)}},
		{file: "preparing_1.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindOffline, ID: "28956786538635776:1000:1000", Time: ms(1743784567215)}},
		{file: "cut_off_1.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindNotice, Text: "违反直播言论规范，请立即调整"}},
		{file: "warning_1.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindNotice, Text: "图片内容不适宜，请立即调整"}},
		{file: "log_in_notice_1.json", dec: roomMia, want: danmu.Event{Kind: danmu.KindNotice, Text: "为保护用户隐私，未登录无法查看他人昵称"}},
		{file: "watched_change_1.json", dec: roomMia, skip: bilibili.ErrIgnoredCmd},
		{file: "open_platform_dm_1.json", dec: roomMia, skip: bilibili.ErrUnknownCmd},
	}
	fixed := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		dec := tt.dec
		dec.Now = func() time.Time { return fixed }
		got, err := dec.Decode(fixture(t, tt.file))
		if tt.skip != nil {
			if err != tt.skip {
				t.Errorf("%s: err = %v, want %v", tt.file, err, tt.skip)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		want := tt.want
		want.Platform, want.Room = "bilibili", got.Room
		if want.Time.IsZero() {
			want.Time = fixed
		}
		if got != want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.file, got, want)
		}
	}
}

// The placeholder-laden captures: check structure, never the redacted values.
func TestFixtureShapes(t *testing.T) {
	// info[2] masked while the user object still identifies the sender.
	ev, err := roomMia.Decode(fixture(t, "danmu_msg_masked_3_user_object.json"))
	if err != nil || ev.User.Masked || ev.User.ID == "0" || ev.User.ID == "" || ev.Text != "(･∀･)" {
		t.Errorf("masked_3: %+v, %v: the user object should identify the sender", ev, err)
	}
	// Lottery danmaku from a guest with a moderator flag.
	ev, err = roomMia.Decode(fixture(t, "danmu_msg_masked_2_lottery.json"))
	if err != nil || !ev.User.Masked || ev.User.ID != "0" || ev.Text != "蔷薇与铳枪" || ev.User.Role != danmu.RoleModerator {
		t.Errorf("lottery: %+v, %v", ev, err)
	}
	// Suffixed cmds dispatch on the part before ':'.
	for _, f := range []string{"danmu_msg_suffix_1.json", "danmu_msg_suffix_2_emoticon.json"} {
		ev, err := roomMia.Decode(fixture(t, f))
		if err != nil || ev.Kind != danmu.KindChat || ev.User.Masked || ev.User.Medal != 0 {
			t.Errorf("%s: %+v, %v", f, ev, err)
		}
	}
	if ev, _ := roomMia.Decode(fixture(t, "danmu_msg_suffix_2_emoticon.json")); ev.Text != "赞" {
		t.Errorf("suffix_2 text %q", ev.Text)
	}
	// Mode-7 danmaku from a guest. Its id and timestamps are the upstream
	// author's placeholders (9999999999), so only their presence is checked.
	ev, err = roomMia.Decode(fixture(t, "danmu_msg_suffix_3_mode7_masked.json"))
	wantText := `[1.0,0.0,"0.8-0.5",10.0,"哈哈哈哈",0.0,0.0,0.0,0.0,10000,0,true,"黑体",1]`
	if err != nil || ev.Kind != danmu.KindChat || ev.Text != wantText || ev.ID == "" || ev.Time.IsZero() ||
		ev.User != (danmu.User{ID: "0", Name: "***", Role: danmu.RoleModerator, Masked: true}) {
		t.Errorf("suffix_3: %+v, %v", ev, err)
	}
}
