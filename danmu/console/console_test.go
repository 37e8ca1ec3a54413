package console

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

func TestParse(t *testing.T) {
	s := &Source{Now: func() time.Time { return time.Unix(0, 0) }}
	cases := []struct {
		line, name, text string
		role             danmu.Role
		ok               bool
	}{
		{"左3", "viewer", "左3", danmu.RoleViewer, true},
		{"  猫奴: 激光 ", "猫奴", "激光", danmu.RoleViewer, true},
		{"@mod 房管: 停", "房管", "停", danmu.RoleModerator, true},
		{"@owner 主播: 继续", "主播", "继续", danmu.RoleOwner, true},
		{"我说: 左 右", "我说", "左 右", danmu.RoleViewer, true},
		{"a b: left", "viewer", "a b: left", danmu.RoleViewer, true},
		{"", "", "", "", false},
		{"   ", "", "", "", false},
	}
	for i, c := range cases {
		ev, ok := s.Parse(c.line, i)
		if ok != c.ok {
			t.Fatalf("#%d %q: ok=%v", i, c.line, ok)
		}
		if !ok {
			continue
		}
		if ev.User.Name != c.name || ev.Text != c.text || ev.User.Role != c.role || ev.Kind != danmu.KindChat {
			t.Errorf("#%d %q: got %+v", i, c.line, ev)
		}
	}
	type user struct {
		name                string
		role                danmu.Role
		guard, medal, level int
	}
	const unknown = danmu.LevelUnknown
	tagged := []struct {
		line string
		want user
		text string
	}{
		{"@guard1 猫奴: 画圈", user{"猫奴", danmu.RoleViewer, 1, 0, unknown}, "画圈"},
		{"@guard3 总督: 左", user{"总督", danmu.RoleViewer, 3, 0, unknown}, "左"},
		{"@guard 舰长: 左", user{"舰长", danmu.RoleViewer, 1, 0, unknown}, "左"},
		{"@medal5 粉丝: 之字", user{"粉丝", danmu.RoleViewer, 0, 5, unknown}, "之字"},
		{"@medal12 左", user{"viewer", danmu.RoleViewer, 0, 12, unknown}, "左"},
		{"@mod @guard2 房管: 停", user{"房管", danmu.RoleModerator, 2, 0, unknown}, "停"},
		{"@level0 新人: 左", user{"新人", danmu.RoleViewer, 0, 0, 0}, "左"},
		{"@level21 @medal3 老粉: 右", user{"老粉", danmu.RoleViewer, 0, 3, 21}, "右"},
		{"@level100 左", user{"viewer", danmu.RoleViewer, 0, 0, unknown}, "@level100 左"},
		{"@guard2  @owner   @medal30 主播: 继续", user{"主播", danmu.RoleOwner, 2, 30, unknown}, "继续"},
		// Not tags: left in the text, the sender an ordinary viewer.
		{"@guard4 猫奴: 画圈", user{"viewer", danmu.RoleViewer, 0, 0, unknown}, "@guard4 猫奴: 画圈"},
		{"@guard0 左", user{"viewer", danmu.RoleViewer, 0, 0, unknown}, "@guard0 左"},
		{"@guard+1 左", user{"viewer", danmu.RoleViewer, 0, 0, unknown}, "@guard+1 左"},
		{"@medal 左", user{"viewer", danmu.RoleViewer, 0, 0, unknown}, "@medal 左"},
		{"@medal1000 左", user{"viewer", danmu.RoleViewer, 0, 0, unknown}, "@medal1000 左"},
		{"@someone 你好", user{"viewer", danmu.RoleViewer, 0, 0, unknown}, "@someone 你好"},
		{"@guard1", user{"viewer", danmu.RoleViewer, 0, 0, unknown}, "@guard1"},
		{"@mod @小明 左", user{"viewer", danmu.RoleModerator, 0, 0, unknown}, "@小明 左"},
	}
	for _, c := range tagged {
		ev, ok := s.Parse(c.line, 1)
		got := user{ev.User.Name, ev.User.Role, ev.User.Guard, ev.User.Medal, ev.User.Level}
		if !ok || got != c.want || ev.Text != c.text || !ev.User.Role.Valid() {
			t.Errorf("%q: got %+v text %q, want %+v text %q", c.line, got, ev.Text, c.want, c.text)
		}
	}

	a, _ := s.Parse("甲: 左", 1)
	b, _ := s.Parse("乙: 左", 2)
	c, _ := s.Parse("甲: 右", 3)
	if a.User.ID == b.User.ID || a.User.ID != c.User.ID || a.ID == c.ID {
		t.Errorf("ids: %q %q %q / events %q %q", a.User.ID, b.User.ID, c.User.ID, a.ID, c.ID)
	}
}

// Every line is read: blank ones are skipped, and an over-long one is not
// lost in silence but cut (TestLongLineIsCutAndTheSourceGoesOn).
func TestRunReadsAllLines(t *testing.T) {
	s := &Source{In: strings.NewReader("左\n\n右\n" + strings.Repeat("x", 70000) + "\n停\n")}
	out := make(chan danmu.Event, 10)
	if err := s.Run(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	close(out)
	var texts []string
	for ev := range out {
		texts = append(texts, ev.Text)
	}
	if strings.Join(texts, ",") != "左,右,"+strings.Repeat("x", MaxLine)+",停" {
		t.Fatalf("got %d events: %.20q", len(texts), texts)
	}
}

func TestParseGifts(t *testing.T) {
	s := &Source{}
	cases := []struct {
		line string
		kind danmu.Kind
		name string
		gift danmu.Gift
		text string
	}{
		{"猫奴 送 小心心 ×3", danmu.KindGift, "猫奴", danmu.Gift{Name: "小心心", Count: 3}, ""},
		{"猫奴 送 牛哇 x10 0.1元", danmu.KindGift, "猫奴", danmu.Gift{Name: "牛哇", Count: 10, ValueCents: 100}, ""},
		{"@guard1 猫奴 送 牛哇 ¥1", danmu.KindGift, "猫奴", danmu.Gift{Name: "牛哇", Count: 1, ValueCents: 100}, ""},
		{"猫奴 SC 30元 加油 冲", danmu.KindSuperChat, "猫奴", danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: 3000}, "加油 冲"},
		{"猫奴 上舰 舰长", danmu.KindGuard, "猫奴", danmu.Gift{Name: "舰长", Count: 1, ValueCents: 19800}, ""},
		// Not gifts: chat as before.
		{"猫奴: 送 小心心", danmu.KindChat, "猫奴", danmu.Gift{}, "送 小心心"},
		{"猫奴 送 小心心 ×0", danmu.KindChat, "viewer", danmu.Gift{}, "猫奴 送 小心心 ×0"},
		{"猫奴 SC -5元 hi", danmu.KindChat, "viewer", danmu.Gift{}, "猫奴 SC -5元 hi"},
		{"猫奴 送 牛哇 1e9", danmu.KindChat, "viewer", danmu.Gift{}, "猫奴 送 牛哇 1e9"},
	}
	for _, c := range cases {
		ev, ok := s.Parse(c.line, 1)
		if !ok || ev.Kind != c.kind || ev.User.Name != c.name || ev.Gift != c.gift || ev.Text != c.text {
			t.Errorf("%q: %v %s %q %+v %q; want %s %q %+v %q", c.line, ok, ev.Kind, ev.User.Name, ev.Gift, ev.Text,
				c.kind, c.name, c.gift, c.text)
		}
	}
}
