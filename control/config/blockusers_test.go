package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/open"
	"github.com/cattease/cattease/danmu/douyu"
)

// TestBlockUsersPlatform: check takes a uid or a name after a platform
// it knows, and refuses one it does not, or a platform and nothing after.
func TestBlockUsersPlatform(t *testing.T) {
	base := `
hardware:
  driver: mock
  axes: {pan: {min: -45°, max: 45°, home: 0°}}
commands:
  - {name: left, aliases: [左], do: {move: pan, by: -5°}}
moderation:
  block_users: `
	for _, ok := range []string{`["bilibili:12345678", "douyu：42", "Douyu:7", "666", 捣乱的, "猫:咪"]`} {
		if _, err := Parse("r.yaml", []byte(base+ok+"\n")); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, c := range []struct{ yaml, want string }{
		{`["twitch:12345678"]`, `unknown platform "twitch" in "twitch:12345678": the platforms are bilibili, douyu`},
		{`["bilibili:"]`, `"bilibili:" names no one`},
		{`[" douyu： "]`, `names no one`},
	} {
		_, err := Parse("r.yaml", []byte(base+c.yaml+"\n"))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "block_users[0]") {
			t.Errorf("%s: error %v, want %q", c.yaml, err, c.want)
		}
	}
}

// TestPlatformsAreTheSources: the platforms an entry may name are the
// ones the chat sources put on their events.
func TestPlatformsAreTheSources(t *testing.T) {
	for _, p := range []string{bilibili.Platform, open.Platform, douyu.Platform} {
		if !slices.Contains(Platforms, p) {
			t.Errorf("%q missing from Platforms %v", p, Platforms)
		}
	}
}
