package main

import (
	"regexp"
	"strings"
	"testing"
)

// demoBlock returns the lines of the README's make demo transcript: the
// code block that starts with "$ make demo".
func demoBlock(t *testing.T, path string) []string {
	t.Helper()
	var block []string
	in := false
	for _, l := range readDoc(t, path) {
		switch {
		case !in && l.inCode && strings.TrimSpace(l.text) == "$ make demo":
			in = true
		case in && strings.HasPrefix(strings.TrimSpace(l.text), "```"):
			return block
		case in:
			block = append(block, l.text)
		}
	}
	t.Fatalf("%s: no make demo transcript", path)
	return nil
}

// TestDocsDemoTranscriptInItsLanguage: each README's demo transcript is
// what the live view prints in that README's language: the rig lines'
// laser state, the console's anonymous viewer and a cooldown's retry in
// the view's own words. README.zh-CN.md said it was the output on a
// Chinese system and showed laser off, laser ON and laser dark (dwell).
func TestDocsDemoTranscriptInItsLanguage(t *testing.T) {
	rig := regexp.MustCompile(`^\s+pan .* laser (.*)$`)
	for _, c := range []struct {
		path string
		zh   bool
	}{{readmeEN, false}, {readmeZH, true}} {
		w := viewWords[c.zh]
		dark, _, _ := strings.Cut(w["dark"], "%s")
		retry := regexp.MustCompile(regexp.QuoteMeta(strings.Replace(w["retry"], "%.1f", "\x00", 1)))
		retry = regexp.MustCompile(strings.Replace(retry.String(), "\x00", `\d+\.\d`, 1) + "$")
		rigLines, retries := 0, 0
		for _, line := range demoBlock(t, c.path) {
			if m := rig.FindStringSubmatch(line); m != nil {
				rigLines++
				if s := m[1]; s != w["on"] && s != w["off"] && !strings.HasPrefix(s, dark) {
					t.Errorf("%s: the laser's state %q is not the view's word (%q, %q or %q…):\n\t%s", c.path, s, w["on"], w["off"], dark, line)
				}
			}
			if strings.HasPrefix(line, "✔ ") || strings.HasPrefix(line, "✘ ") {
				if c.zh && strings.Contains(line, " viewer: ") {
					t.Errorf("%s: the console's viewer is %q in the Chinese view:\n\t%s", c.path, w["who:viewer"], line)
				}
				if strings.HasPrefix(line, "✘ ") {
					retries++
					if !retry.MatchString(line) {
						t.Errorf("%s: a refusal does not end in the view's retry (%q):\n\t%s", c.path, w["retry"], line)
					}
				}
			}
		}
		if rigLines == 0 || retries == 0 {
			t.Errorf("%s: the transcript shows %d rig lines and %d refusals, want some of each", c.path, rigLines, retries)
		}
	}
}
