package config

import (
	"strings"
	"testing"
)

// percentSpellings are the shares ParsePercent accepts; the schema
// accepts each too (TestJSONSchemaAcceptsParsedSpellings).
var percentSpellings = map[string]Percent{"75%": 0.75, "75％": 0.75, "百分之50": 0.5, "0.25": 0.25, " 100 % ": 1, "７５％": 0.75,
	"百分之75": 0.75, "百分之７５": 0.75, "百分之 0.5": 0.005, "+75%": 0.75, "０．２５": 0.25}

func TestParseMoneyAndPercent(t *testing.T) {
	for in, want := range map[string]Money{"30元": 3000, "0.5元": 50, "¥30": 3000, "￥1.25": 125, "30 CNY": 3000, "2块": 200, "10yuan": 1000,
		"３０元": 3000, "￥３": 300, "30 元": 3000, "5RMB": 500} {
		if got, err := ParseMoney(in); err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"30", "-1元", "NaN元", "1e9元", "元", "abc元", "¥30元", "30美元", "30元整"} {
		if _, err := ParseMoney(bad); err == nil {
			t.Errorf("ParseMoney(%q) accepted", bad)
		}
	}
	for in, want := range percentSpellings {
		if got, err := ParsePercent(in); err != nil || got != want {
			t.Errorf("ParsePercent(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"101%", "-5%", "1.5", "NaN", "%", "75%%", "50pct"} {
		if _, err := ParsePercent(bad); err == nil {
			t.Errorf("ParsePercent(%q) accepted", bad)
		}
	}
}

func TestRoomChecks(t *testing.T) {
	base := `
hardware:
  driver: mock
  axes: {pan: {min: -45°, max: 45°, home: 0°}}
commands:
  - {name: left, aliases: [左], do: {move: pan, by: -5°}}
`
	for _, c := range []struct{ yaml, want string }{
		{"  - {name: mute, aliases: [禁言], do: {moderate: timeout}}\n", "moderation command must be allow: moderator"},
		{"  - {name: mute, aliases: [禁言], do: {moderate: ban}, allow: moderator}\n", "unknown moderation"},
		{"  - {name: v, aliases: [投票], do: {policy_vote: yes}}\n", "policy_vote"},
		{"gifts: {tiers: [{min: 0元, priority: 1}]}\n", "free gifts are gifts.free"},
		{"gifts: {tiers: [{min: 1元}]}\n", "buys nothing"},
		{"gifts: {tiers: [{min: 1元, pattern: nope}]}\n", "unknown sequence"},
		{"gifts: {tiers: [{min: 1元, exclusive: 2h}]}\n", "max_exclusive"},
		{"play: {meter: {enter: 40%}}\n", "enter"},
		{"play: {combo: {separator: a}}\n", "separator"},
		{"moderation: {timeout: 48h}\n", "moderation.timeout"},
		{"play: {policy: democracy}\n", "unknown policy"},
	} {
		_, err := Parse("r.yaml", []byte(base+c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.yaml, err, c.want)
		}
	}
}
