package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsHardwareSnippetChecks: the "rules.yaml hardware section" of the
// READMEs and of the hardware guides, pasted over the hardware section of
// the shipped rules.yaml as a streamer would, passes check.
func TestDocsHardwareSnippetChecks(t *testing.T) {
	shipped, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for doc, heading := range map[string]string{
		"../../README.md":           "### rules.yaml hardware section",
		"../../README.zh-CN.md":     "### rules.yaml 的 hardware 部分",
		"../../docs/hardware.md":    "## rules.yaml hardware section",
		"../../docs/zh/hardware.md": "## rules.yaml 的 hardware 部分",
	} {
		snippet := yamlBlockAfter(t, doc, heading)
		path := filepath.Join(t.TempDir(), "rules.yaml")
		if err := os.WriteFile(path, []byte(replaceSection(string(shipped), "hardware:", snippet)), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, _, errs := runCLI(t, "", "check", "--dry-run", "-c", path); code != 0 {
			t.Errorf("%s: the hardware snippet pasted into rules.yaml: code %d\n%s", doc, code, errs)
		}
	}
}

// yamlBlockAfter returns the first ```yaml block after heading in doc.
func yamlBlockAfter(t *testing.T, doc, heading string) string {
	t.Helper()
	var b strings.Builder
	seen, in := false, false
	for _, l := range readDoc(t, doc) {
		switch {
		case !seen:
			seen = l.text == heading
		case !in && l.text == "```yaml":
			in = true
		case in && strings.HasPrefix(l.text, "```"):
			return b.String()
		case in:
			b.WriteString(l.text + "\n")
		}
	}
	t.Fatalf("%s: no yaml block after %q", doc, heading)
	return ""
}

// replaceSection puts with in place of the top-level key that starts
// with key (its line and every indented or blank line after it).
func replaceSection(src, key, with string) string {
	lines := strings.SplitAfter(src, "\n")
	var out strings.Builder
	skipping := false
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, key):
			skipping = true
			out.WriteString(with)
		case skipping && (l == "\n" || strings.HasPrefix(l, " ") || strings.HasPrefix(l, "#")):
		default:
			skipping = false
			out.WriteString(l)
		}
	}
	return out.String()
}
