package main

import (
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

// The Chinese live view speaks Chinese about the room too: the console's
// anonymous viewer, the panel and a vote's result by Chinese names (a
// viewer who calls themself "panel" keeps that name), policies by their
// Chinese names, a gift's 包场 in minutes and its pattern by its label,
// combos by their commands' labels, and an end that is not today with its
// date. The English view keeps the audit log's names.
func TestViewRoomWordsInChinese(t *testing.T) {
	labels := map[string]config.Label{"circle": {Zh: "画圈", En: "circle"}, "left": {Zh: "← 左", En: "← left"}, "up": {Zh: "↑ 上"}}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.Local)
	for _, c := range []struct {
		d      control.Decision
		zh, en string
	}{
		{control.Decision{Platform: "console", UserName: "viewer", Text: "左", Rule: "left"}, "✔ 观众: 左 → ← 左", "✔ viewer: 左 → ← left"},
		{control.Decision{Platform: "bilibili", UserName: "panel", Text: "左", Rule: "left"}, "✔ panel: 左", "✔ panel: 左"},
		{control.Decision{Platform: "panel", UserName: "panel", Text: "timeout 猫奴", Rule: "timeout", Target: "猫奴"}, "✔ 面板: timeout 猫奴", "✔ panel: timeout 猫奴"},
		{control.Decision{Platform: "vote", UserName: "vote", Text: "2/2", Rule: "policy", Policy: "vote"}, "✔ 投票: 2/2 → policy (", "✔ vote: 2/2"},
		{control.Decision{Platform: "bilibili", UserName: "房管", Policy: "fair", Rule: "mode"}, " 模式 轮流", " policy fair"},
		{control.Decision{Platform: "bilibili", UserName: "猫奴", Rule: "guard",
			Grant: &control.Grant{Gift: "舰长", Count: 1, ValueCents: 19800, Exclusive: 2 * time.Minute, Pattern: "circle"}},
			"包场 2分钟 花样 画圈", "包场 2m pattern circle"},
		{control.Decision{Platform: "bilibili", UserName: "a", Rule: "left+up", Repeat: 5, Combo: "left×3+up×2"},
			"→ ← 左+↑ 上 ×5 (", "→ ← left+↑ 上 ×5 ("},
		{control.Decision{Platform: "bilibili", UserName: "a", Rule: "left+up", Combo: "left×3+up×2"}, "[← 左×3+↑ 上×2]", "[← left×3+↑ 上×2]"},
		{control.Decision{Platform: "bilibili", UserName: "房管", Rule: "timeout", Until: now.Add(24 * time.Hour)}, " 到 12-02 10:00:00", " until 12-02 10:00:00"},
		{control.Decision{Platform: "bilibili", UserName: "房管", Rule: "timeout", Until: now.Add(90 * time.Minute)}, " 到 11:30:00", " until 11:30:00"},
	} {
		c.d.Time, c.d.Outcome = now, control.Accepted
		for zh, want := range map[bool]string{true: c.zh, false: c.en} {
			if got := formatDecision(c.d, labels, zh); !strings.Contains(got, want) {
				t.Errorf("zh=%v: %q lacks %q", zh, got, want)
			}
		}
	}
	if got := viewDuration(90*time.Minute+5*time.Second, true); got != "1小时30分钟5秒" {
		t.Errorf("viewDuration = %q", got)
	}
	for zh, want := range map[bool]string{true: "设备没有报告状态", false: "the rig reports nothing"} {
		if got := formatState(safety.State{}, zh); !strings.Contains(got, want) {
			t.Errorf("a rig with nothing to report: %q lacks %q", got, want)
		}
	}
}
