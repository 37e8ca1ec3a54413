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
	a, _ := s.Parse("甲: 左", 1)
	b, _ := s.Parse("乙: 左", 2)
	c, _ := s.Parse("甲: 右", 3)
	if a.User.ID == b.User.ID || a.User.ID != c.User.ID || a.ID == c.ID {
		t.Errorf("ids: %q %q %q / events %q %q", a.User.ID, b.User.ID, c.User.ID, a.ID, c.ID)
	}
}

func TestRunReadsAllLines(t *testing.T) {
	s := &Source{In: strings.NewReader("左\n\n右\n" + strings.Repeat("x", 70000) + "\n")}
	out := make(chan danmu.Event, 10)
	err := s.Run(context.Background(), out)
	if err == nil {
		t.Fatal("an over-long line must be an error, not silence")
	}
	close(out)
	var texts []string
	for ev := range out {
		texts = append(texts, ev.Text)
	}
	if strings.Join(texts, ",") != "左,右" {
		t.Fatalf("got %v", texts)
	}
}
