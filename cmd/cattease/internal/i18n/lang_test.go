package i18n

import (
	"slices"
	"testing"
)

func TestFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want Lang
	}{
		{map[string]string{}, English},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, Chinese},
		{map[string]string{"LANG": "zh_TW.UTF-8"}, Chinese},
		{map[string]string{"LANG": "zh_HK"}, Chinese},
		{map[string]string{"LANG": "zh.UTF-8"}, Chinese},
		{map[string]string{"LANG": "zh"}, Chinese},
		{map[string]string{"LANG": "C.UTF-8"}, English},
		{map[string]string{"LANG": "en_US.UTF-8"}, English},
		{map[string]string{"LANG": "zu_ZA"}, English},
		{map[string]string{"LANG": "zhx"}, English},
		// POSIX order: LC_ALL, then LC_MESSAGES, then LANG
		{map[string]string{"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, English},
		{map[string]string{"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, Chinese},
		{map[string]string{"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "C"}, Chinese},
		// CATTEASE_LANG first, when it names a language
		{map[string]string{"CATTEASE_LANG": "zh", "LANG": "C"}, Chinese},
		{map[string]string{"CATTEASE_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, English},
		{map[string]string{"CATTEASE_LANG": "klingon", "LANG": "zh_CN.UTF-8"}, Chinese},
	} {
		if got := FromEnv(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.env, got, tc.want)
		}
	}
}

func TestTakeFlag(t *testing.T) {
	for _, tc := range []struct {
		args, rest []string
		def, want  Lang
		bad        bool
	}{
		{[]string{"check", "-c", "r.yaml"}, []string{"check", "-c", "r.yaml"}, Chinese, Chinese, false},
		{[]string{"--lang", "en", "check"}, []string{"check"}, Chinese, English, false},
		{[]string{"check", "--lang=zh", "-c", "r.yaml"}, []string{"check", "-c", "r.yaml"}, English, Chinese, false},
		{[]string{"check", "-lang", "zh_CN.UTF-8"}, []string{"check"}, English, Chinese, false},
		{[]string{"replay", "--", "--lang", "zh"}, []string{"replay", "--", "--lang", "zh"}, English, English, false},
		{[]string{"check", "--lang"}, nil, English, English, true},
		{[]string{"check", "--lang", "fr"}, nil, English, English, true},
		{[]string{"check", "--lang="}, nil, English, English, true},
	} {
		got, rest, err := TakeFlag(tc.args, tc.def)
		if (err != nil) != tc.bad {
			t.Errorf("%q: error %v", tc.args, err)
			continue
		}
		if !tc.bad && (got != tc.want || !slices.Equal(rest, tc.rest)) {
			t.Errorf("%q: %v %q, want %v %q", tc.args, got, rest, tc.want, tc.rest)
		}
	}
}

// TestFromEnvUILanguage: on Windows no locale variable is usually set, and
// the display language the user chose decides; a locale variable, set in
// a shell such as Git Bash, still comes first.
func TestFromEnvUILanguage(t *testing.T) {
	saved := uiLanguages
	t.Cleanup(func() { uiLanguages = saved })
	for _, tc := range []struct {
		ui   []string
		env  map[string]string
		want Lang
	}{
		{[]string{"zh-CN", "en-US"}, nil, Chinese},
		{[]string{"zh-Hans-CN"}, nil, Chinese},
		{[]string{"zh-TW"}, nil, Chinese},
		{[]string{"en-US", "zh-CN"}, nil, English},
		{[]string{"zu-ZA"}, nil, English},
		{nil, nil, English},
		{[]string{"zh-CN"}, map[string]string{"LANG": "en_US.UTF-8"}, English},
		{[]string{"en-US"}, map[string]string{"LC_ALL": "zh_CN.UTF-8"}, Chinese},
		{[]string{"zh-CN"}, map[string]string{"CATTEASE_LANG": "en"}, English},
	} {
		uiLanguages = func() []string { return tc.ui }
		if got := FromEnv(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("display languages %q, %v: %v, want %v", tc.ui, tc.env, got, tc.want)
		}
	}
	// --lang still wins over the display language.
	uiLanguages = func() []string { return []string{"zh-CN"} }
	if l, _, err := TakeFlag([]string{"--lang", "en", "check"}, FromEnv(func(string) string { return "" })); err != nil || l != English {
		t.Errorf("--lang en on a Chinese Windows: %v, %v", l, err)
	}
}
