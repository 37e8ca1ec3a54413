package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/cattease/cattease/cmd/cattease/internal/i18n"
)

// The binaries the tests start read English output: they speak English
// whatever the locale of the machine running the tests.
func init() { os.Setenv("CATTEASE_LANG", "en") }

var position = regexp.MustCompile(`^[^:]+:\d+:\d+: [^ ]+: `)

// check in Chinese lists the same problems as in English, each at the
// same file:line:col and field path, each in Chinese.
func TestCheckInChinese(t *testing.T) {
	const file = "../../control/config/testdata/many_mistakes.yaml"
	_, _, en := runCLI(t, "", "check", "--dry-run", "-c", file)
	code, out, zh := runCLI(t, "", "--lang", "zh", "check", "--dry-run", "-c", file)
	if code != 1 || out != "" {
		t.Fatalf("code %d, stdout %q", code, out)
	}
	enLines := strings.Split(strings.TrimSpace(en), "\n")
	zhLines := strings.Split(strings.TrimSpace(zh), "\n")
	if len(enLines) != len(zhLines) || len(enLines) < 3 {
		t.Fatalf("English and Chinese differ in lines:\n%s\n%s", en, zh)
	}
	for i, e := range enLines[:len(enLines)-1] {
		z := zhLines[i]
		p := position.FindString(e)
		if p == "" || !strings.HasPrefix(z, p) || !hasHan(z[len(p):]) {
			t.Errorf("line %d: %q\nin Chinese: %q", i, e, z)
		}
	}
	if last := zhLines[len(zhLines)-1]; !hasHan(last) || !strings.Contains(last, "12") {
		t.Errorf("the count: %q", last)
	}
}

// check -h in Chinese: the description and every flag's usage.
func TestCheckHelpInChinese(t *testing.T) {
	code, out, _ := runCLI(t, "", "check", "-h", "--lang=zh")
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "    \t") && !hasHan(line) {
			t.Errorf("flag usage not translated: %q\n%s", line, out)
		}
	}
	_, en, _ := runCLI(t, "", "check", "-h", "--lang=en")
	if _, plain, _ := runCLI(t, "", "check", "-h"); en != plain || en == out {
		t.Errorf("--lang=en changed the help, or Chinese did not:\n%s\n%s", en, out)
	}
}

func TestBadLang(t *testing.T) {
	if code, _, errs := runCLI(t, "", "--lang", "xx", "version"); code != 2 || !strings.Contains(errs, `"xx"`) {
		t.Errorf("code %d, stderr %q", code, errs)
	}
}

// A log record keeps its attributes and machine-read keys; only its
// message is translated.
func TestLoggerInChinese(t *testing.T) {
	var b bytes.Buffer
	s := stdio{err: i18n.Wrap(&b, i18n.Chinese)}
	newLogger(s, false).Info("rules reloaded", "file", "rules.yaml", "commands", 3)
	got := b.String()
	if !strings.Contains(got, "msg=规则已重新加载 file=rules.yaml commands=3") {
		t.Errorf("log line %q", got)
	}
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}
