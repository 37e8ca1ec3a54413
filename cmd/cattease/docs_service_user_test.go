package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocsRunAsServiceWithItsStateDirectory: a guide's line that runs
// cattease as the service user gives it the service's state directory.
// sudo sets no STATE_DIRECTORY (systemd does): without it the state
// directory is the user's ~/.local/state/cattease, a stray directory
// under /var/lib/cattease, where the relative cookie and credentials
// files the service reads are not, so a "must print ok" check fails.
// The deploy scripts count as guides: install.sh's closing lines are the
// first commands a new owner runs.
func TestDocsRunAsServiceWithItsStateDirectory(t *testing.T) {
	docs := []string{"README.md", "README.zh-CN.md", "deploy/README.md"}
	scripts, err := filepath.Glob(filepath.Join(repoRoot, "deploy", "*.sh"))
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no deploy/*.sh: %v", err)
	}
	for _, path := range scripts {
		rel, _ := filepath.Rel(repoRoot, path)
		docs = append(docs, rel)
	}
	filepath.WalkDir(filepath.Join(repoRoot, "docs"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			rel, _ := filepath.Rel(repoRoot, path)
			docs = append(docs, rel)
		}
		return nil
	})
	// as a script writes it too: sudo -u $user, runuser -u "$user" --
	bare := regexp.MustCompile(`\b(?:sudo|runuser) -u \S+ (?:-- )?(?:\S*/)?cattease `)
	const want = "sudo -u cattease env STATE_DIRECTORY=/var/lib/cattease cattease "
	for _, doc := range docs {
		b, err := os.ReadFile(filepath.Join(repoRoot, doc))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if bare.MatchString(line) {
				t.Errorf("%s:%d: runs cattease as the service user without its state directory: write %q\n\t%s", doc, i+1, want, line)
			}
		}
	}
}
