package config

import (
	"strings"
	"testing"

	"github.com/cattease/cattease/danmu"
	"gopkg.in/yaml.v3"
)

func decodeAllow(t *testing.T, src string) (Allow, error) {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte("allow: "+src), &n); err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	var a Allow
	err := n.Content[0].Content[1].Decode(&a)
	return a, err
}

// allowSpellings are allow: values and what they decode to; the zero
// Allow marks one refused. The schema accepts every one accepted
// (TestJSONSchemaAcceptsParsedSpellings).
var allowSpellings = map[string]Allow{
	"房管":                       {Role: danmu.RoleModerator},
	"moderator":                {Role: danmu.RoleModerator},
	"主播":                       {Role: danmu.RoleOwner},
	"所有人":                      {Role: danmu.RoleViewer},
	"everyone":                 {Role: danmu.RoleViewer},
	"舰长":                       {Role: danmu.RoleViewer, Guard: 1},
	"提督":                       {Role: danmu.RoleViewer, Guard: 2},
	"总督":                       {Role: danmu.RoleViewer, Guard: 3},
	"粉丝牌5":                     {Role: danmu.RoleViewer, Medal: 5},
	"勋章 12":                    {Role: danmu.RoleViewer, Medal: 12},
	"粉丝牌５":                     {Role: danmu.RoleViewer, Medal: 5},
	"勋章　１２":                    {Role: danmu.RoleViewer, Medal: 12},
	"{guard: 舰长}":              {Role: danmu.RoleViewer, Guard: 1},
	"{guard: 2, medal: 10}":    {Role: danmu.RoleViewer, Guard: 2, Medal: 10},
	"{medal: 5}":               {Role: danmu.RoleViewer, Medal: 5},
	"{guard: 总督, medal: 0x10}": {}, // hex is not a level
}

func TestAllowWords(t *testing.T) {
	for src, want := range allowSpellings {
		got, err := decodeAllow(t, src)
		if want == (Allow{}) {
			if err == nil {
				t.Errorf("allow: %s accepted as %+v", src, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("allow: %s = %+v, %v; want %+v", src, got, err, want)
		}
	}
}

func TestAllowRefusals(t *testing.T) {
	cases := map[string]string{
		"admin":           `unknown "admin"`,
		"粉丝牌":             `unknown "粉丝牌"`,
		"粉丝牌0":            `unknown "粉丝牌0"`,
		"{guard: 4}":      "guard must be 1–3",
		"{guard: 船长}":     "guard must be 1–3",
		"{medal: -1}":     "medal must be a level",
		"{vip: 1}":        `unknown key "vip"`,
		"{}":              "give guard or medal",
		"[房管]":            "must be a word or a mapping",
		"{medal: [1, 2]}": "medal must be a level",
	}
	for src, want := range cases {
		_, err := decodeAllow(t, src)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("allow: %s: error %v, want %q", src, err, want)
		}
	}
}

func TestAllowGuardPermits(t *testing.T) {
	a, err := decodeAllow(t, "舰长")
	if err != nil {
		t.Fatal(err)
	}
	if a.Permits(danmu.User{Role: danmu.RoleViewer}) || !a.Permits(danmu.User{Role: danmu.RoleViewer, Guard: 3}) {
		t.Errorf("舰长 permits wrongly: %+v", a)
	}
}

func TestBypassRoleWords(t *testing.T) {
	src := minimal + "limits:\n  bypass: [房管, 主播]\n"
	f, err := Parse("b.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.Limits.Bypass, ","); got != "moderator,owner" {
		t.Errorf("bypass = %s", got)
	}
	_, err = Parse("b.yaml", []byte(minimal+"limits:\n  bypass: [房东]\n"))
	if err == nil || !strings.Contains(err.Error(), "房东") {
		t.Errorf("unknown bypass role: %v", err)
	}
}
