package main

import (
	"strings"
	"testing"
)

// TestCheckAndRunNameAStrayArgument: `cattease check rules.yaml`, -c
// forgotten, printed nothing and exited 2, as did `run --dry-run
// rules.yaml`; both now name the argument, suggest -c and show the usage
// line, in either language.
func TestCheckAndRunNameAStrayArgument(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"check", "rules.yaml"}, []string{
			`cattease: unexpected argument "rules.yaml" (did you mean -c rules.yaml?)`,
			"usage: cattease check [-c rules.yaml] [--dry-run] [--driver | --sources]"}},
		{[]string{"run", "--dry-run", "rules.yaml"}, []string{
			`cattease: unexpected argument "rules.yaml" (did you mean -c rules.yaml?)`,
			"usage: cattease run [-c rules.yaml] [--dry-run]"}},
		{[]string{"check", "-c", "rules.yaml", "extra", "--dry-run"}, []string{
			`unexpected argument "extra" (did you mean -c extra?)`}},
		{[]string{"--lang", "zh", "check", "rules.yaml"}, []string{
			`cattease: 多余的参数 "rules.yaml"（是不是想写 -c rules.yaml？）`,
			"用法：cattease check [-c rules.yaml]"}},
	} {
		code, out, errs := runCLI(t, "", c.args...)
		if code != 2 || out != "" {
			t.Errorf("%q: code %d, stdout %q, want 2 and nothing", c.args, code, out)
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%q: stderr lacks %q:\n%s", c.args, w, errs)
			}
		}
	}
}
