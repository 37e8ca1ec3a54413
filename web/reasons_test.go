package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/cattease/cattease/actuators"
)

// reasonLine is one entry of reasonTexts in common.js:
//
//	dwell: { zh: "静止太久", en: "dot still too long" },
var reasonLine = regexp.MustCompile(`^\s*([a-z_]+): \{ zh: "([^"]*)", en: "([^"]*)" \},\s*$`)

// TestReasonTexts: every reason the engine, the play layer or the
// envelope can give has a Chinese and an English text on the pages, so
// neither the overlay nor the panel ever shows a raw key like "dwell".
func TestReasonTexts(t *testing.T) {
	b, err := fs.ReadFile(assets, "common.js")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	start := strings.Index(src, "const reasonTexts = {")
	if start < 0 {
		t.Fatal("common.js: no reasonTexts block")
	}
	block, _, ok := strings.Cut(src[start:], "\n  };")
	if !ok {
		t.Fatal("common.js: reasonTexts block not closed")
	}
	zh, en := map[string]string{}, map[string]string{}
	for _, line := range strings.Split(block, "\n")[1:] {
		m := reasonLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("common.js: reasonTexts line not in the form `key: { zh: \"…\", en: \"…\" },`: %q", line)
			continue
		}
		zh[m[1]], en[m[1]] = m[2], m[3]
	}
	han := regexp.MustCompile(`\p{Han}`)
	known := map[string]bool{}
	for _, r := range actuators.Reasons() {
		k := string(r)
		known[k] = true
		if zh[k] == "" || !han.MatchString(zh[k]) {
			t.Errorf("reason %q has no Chinese text in common.js (got %q)", k, zh[k])
		}
		if en[k] == "" || han.MatchString(en[k]) {
			t.Errorf("reason %q has no English text in common.js (got %q)", k, en[k])
		}
	}
	for k := range zh {
		if !known[k] {
			t.Errorf("common.js translates %q, which is not an actuators.Reason", k)
		}
	}
}
