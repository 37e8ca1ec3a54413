package config

import (
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

func TestLabelFor(t *testing.T) {
	cases := []struct {
		l          Label
		lang, want string
	}{
		{Label{Zh: "逗猫棒", En: "Wand"}, "zh", "逗猫棒"},
		{Label{Zh: "逗猫棒", En: "Wand"}, "en-US", "Wand"},
		{Label{Zh: "逗猫棒"}, "en", "逗猫棒"},
		{Label{En: "Wand"}, "zh-CN", "Wand"},
		{Label{En: "Wand"}, "", "Wand"},
		{Label{}, "en", ""},
	}
	for _, c := range cases {
		if got := c.l.For(c.lang); got != c.want {
			t.Errorf("%+v.For(%q) = %q, want %q", c.l, c.lang, got, c.want)
		}
	}
}

func TestLabelsFromConfig(t *testing.T) {
	src := minimal + `  - name: wand
    aliases: [逗]
    label: {zh: 逗猫棒, en: Wand}
    do: {move: pan, by: 5°}
    allow: 房管
    cooldown: 3秒
  - name: right
    aliases: [右]
    label: 右
    do: {move: pan, by: 5°}
`
	f, err := Parse("l.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := f.Labels()
	want := map[string]Label{"wand": {Zh: "逗猫棒", En: "Wand"}, "right": {Zh: "右", En: "右"}}
	if len(got) != len(want) || got["wand"] != want["wand"] || got["right"] != want["right"] {
		t.Errorf("Labels() = %v, want %v", got, want)
	}
	if c := f.Commands[1]; c.Allow.Role != "moderator" || c.Cooldown.D().Seconds() != 3 {
		t.Errorf("wand: allow %v cooldown %v", c.Allow, c.Cooldown)
	}
}

func TestLabelRefusals(t *testing.T) {
	cases := map[string]string{
		`label: {zh: 逗猫棒, fr: Baguette}`:           `unknown key "fr"`,
		`label: "` + strings.Repeat("猫", 25) + `"`: "25 characters, at most 24",
		`label: "a\u0007b"`:                        "control character U+0007",
		`label: "a\u202eb"`:                        "control character U+202E",
		`label: [a, b]`:                            "must be a word or a mapping",
		`label: {zh: [a]}`:                         "zh must be a single word",
		`label: {}`:                                "give zh or en",
	}
	for line, want := range cases {
		src := minimal + "    " + line + "\n"
		_, err := Parse("l.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", line, err, want)
			continue
		}
		if !strings.Contains(err.Error(), "l.yaml:12:") {
			t.Errorf("%s: error not at line 12: %v", line, err)
		}
	}
}

// FuzzAllowLabel decodes arbitrary allow: and label: values: no panic,
// and whatever is accepted is within bounds.
func FuzzAllowLabel(f *testing.F) {
	for _, s := range []string{"房管", "舰长", "粉丝牌5", "{guard: 舰长, medal: 3}", "逗猫棒", "{zh: 逗猫棒, en: Wand}", "{}", "[a]", "勋章 99999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var a struct {
			Allow Allow `yaml:"allow"`
		}
		if yaml.Unmarshal([]byte("allow: "+s), &a) == nil && (a.Allow.Guard < 0 || a.Allow.Guard > MaxGuard || a.Allow.Medal < 0) {
			t.Fatalf("allow: %q accepted as %+v", s, a.Allow)
		}
		var l struct {
			Label Label `yaml:"label"`
		}
		if yaml.Unmarshal([]byte("label: "+s), &l) != nil {
			return
		}
		for _, v := range []string{l.Label.Zh, l.Label.En} {
			if utf8.RuneCountInString(v) > MaxLabelLen || !utf8.ValidString(v) {
				t.Fatalf("label: %q accepted as %q", s, v)
			}
		}
	})
}
