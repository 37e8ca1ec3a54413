package douyu

import (
	"testing"

	"github.com/cattease/cattease/danmu"
)

// Douyu's noble level (nl) is a tier number, not a rank on cattease's guard
// scale (1 … 3, 3 the top, like Bilibili's 总督): a rule that wants the top
// tier must not admit a 伯爵 or the cheapest 游侠, and a tier that Douyu adds
// later must never count as the top one.
func TestNobleLevelToGuard(t *testing.T) {
	tests := []struct {
		nl    string
		guard int
	}{
		{"", 0}, // absent
		{"0", 0},
		{"1", 1}, // 骑士
		{"2", 1}, // 子爵
		{"3", 2}, // 伯爵
		{"4", 2}, // 公爵
		{"5", 3}, // 国王
		{"6", 3}, // 皇帝
		{"7", 1}, // 游侠, the entry tier below 骑士
		{"9", 1}, // seen in captures, tier unknown: a noble, lowest rights
		{"8", 1},
		{"1000", 1},
		{"99999999999999999999", 1}, // too big for an int: still a positive number
		{"-1", 0},
		{"x", 0},
		{"+5", 0}, // not how Douyu writes a number
		{" 5", 0},
	}
	for i, tt := range tests {
		d := &Decoder{Room: "1", Counters: &danmu.Counters{}}
		kv := []string{"type", "chatmsg", "rid", "1", "uid", "7", "txt", "左", "dms", "1"}
		if tt.nl != "" {
			kv = append(kv, "nl", tt.nl)
		}
		ev, ok := d.Decode(Msg(kv...))
		if !ok {
			t.Fatalf("#%d nl=%q: no event", i, tt.nl)
		}
		if ev.User.Guard != tt.guard {
			t.Errorf("#%d nl=%q: guard %d, want %d", i, tt.nl, ev.User.Guard, tt.guard)
		}
		// Gifts and entries carry the same sender fields.
		ev, _ = d.Decode(Msg("type", "uenter", "rid", "1", "uid", "7", "nl", tt.nl))
		if ev.User.Guard != tt.guard {
			t.Errorf("#%d uenter nl=%q: guard %d, want %d", i, tt.nl, ev.User.Guard, tt.guard)
		}
	}
}
