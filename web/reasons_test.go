package web

import (
	"regexp"
	"testing"

	"github.com/cattease/cattease/actuators"
)

// TestReasonTexts: every reason the engine, the play layer or the
// envelope can give has a Chinese and an English text on the pages, so
// neither the overlay nor the panel ever shows a raw key like "dwell".
func TestReasonTexts(t *testing.T) {
	table, bad := reasonTable()
	for _, line := range bad {
		t.Errorf("common.js: reasonTexts line not in the form `key: { zh: \"…\", en: \"…\" },`: %q", line)
	}
	zh, en := map[string]string{}, map[string]string{}
	for k, v := range table {
		zh[k], en[k] = v[0], v[1]
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
	if ReasonText(actuators.ReasonTimeout, true) != "禁言中" || ReasonText(actuators.ReasonTimeout, false) != "timed out" {
		t.Error("ReasonText does not read the table")
	}
}
