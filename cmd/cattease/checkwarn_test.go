package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckWarnsOfASmallUserTable: a max_users below what the global
// pacing lets cool down at once passes check, which says so where it is
// written, in English and in Chinese; the shipped rules draw no warning.
func TestCheckWarnsOfASmallUserTable(t *testing.T) {
	b, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(b), "  max_users: 10000 ", "  max_users: 3     ", 1)
	if src == string(b) {
		t.Fatal("rules.yaml has no max_users: 10000")
	}
	path := filepath.Join(t.TempDir(), "rules.yaml")
	line := strings.Count(src[:strings.Index(src, "  max_users: 3")], "\n") + 1
	at := fmt.Sprintf("%s:%d:14: limits.max_users: ", path, line)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "check", "--dry-run", "-c", path)
	if code != 0 || !strings.Contains(out, ": ok (") ||
		!strings.Contains(out, at+"warning: max_users 3 is below 16,") {
		t.Fatalf("code %d, out %q\n%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "--lang", "zh", "check", "--dry-run", "-c", path)
	if code != 0 || !strings.Contains(out, at+"警告：max_users 3 小于 16") {
		t.Fatalf("in Chinese: code %d, out %q\n%s", code, out, errs)
	}
	if _, out, _ := runCLI(t, "", "check", "--dry-run", "-c", "../../rules.yaml"); strings.Contains(out, "warning") {
		t.Fatalf("the shipped rules: %q", out)
	}
}
