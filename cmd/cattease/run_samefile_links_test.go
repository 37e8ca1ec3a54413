package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --record, --trace and audit.file naming one file that does not exist
// yet (every first run) were compared as absolute paths, symbolic links
// unresolved: a dangling link (tr.jsonl -> chat.jsonl) or a path through
// a linked directory (a state directory linked to a USB drive) let two
// writers append to one file, exit 0, both outputs ruined. They are
// resolved as the open resolves them now; a hard link is one file too.
func TestRunRefusesOneFileThroughLinks(t *testing.T) {
	dir := t.TempDir()
	at := func(names ...string) string { return filepath.Join(append([]string{dir}, names...)...) }
	mustDo := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// ln -s chat.jsonl tr.jsonl, chat.jsonl not made yet
	mustDo(os.Symlink("chat.jsonl", at("tr.jsonl")))
	// mkdir d; ln -s d link
	mustDo(os.Mkdir(at("d"), 0o755))
	mustDo(os.Symlink(at("d"), at("link")))
	// a link to a dangling link, and a ".." after a linked directory
	mustDo(os.Mkdir(at("d", "sub"), 0o755))
	mustDo(os.Symlink(filepath.Join("..", "tr.jsonl"), at("d", "hop.jsonl")))
	mustDo(os.Symlink(at("d", "sub"), at("sublink")))
	// a hard link
	mustDo(os.WriteFile(at("hard.jsonl"), nil, 0o600))
	mustDo(os.Link(at("hard.jsonl"), at("hard2.jsonl")))

	for _, c := range [][2]string{
		{at("chat.jsonl"), at("tr.jsonl")},
		{at("d", "a.jsonl"), at("link", "a.jsonl")},
		{at("chat.jsonl"), at("d", "hop.jsonl")},
		{at("d", "b.jsonl"), at("sublink") + "/../b.jsonl"}, // not cleaned: the kernel's ".."
		{at("hard.jsonl"), at("hard2.jsonl")},
	} {
		code, _, errs := runCLI(t, "", "run", "--listen", "off", "--dry-run", "--stdin", "-q", "-c", "../../rules.yaml",
			"--record", c[0], "--trace", c[1])
		if code != 2 || !strings.Contains(errs, "--record and --trace are the same file") {
			t.Errorf("--record %s --trace %s: exit %d, want 2 and the same file:\n%s",
				strings.TrimPrefix(c[0], dir), strings.TrimPrefix(c[1], dir), code, errs)
		}
	}
	for _, name := range []string{at("chat.jsonl"), at("d", "a.jsonl"), at("d", "b.jsonl")} {
		if _, err := os.Lstat(name); err == nil {
			t.Errorf("a refused run made %s", name)
		}
	}
	if b := readFile(t, at("hard.jsonl")); b != "" {
		t.Errorf("a refused run wrote %q", b)
	}
}

// resolvePath follows links as the open does, and gives up on a loop
// instead of following it for ever; files apart stay apart.
func TestResolvePathLinks(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("loop2", filepath.Join(dir, "loop1")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop1", filepath.Join(dir, "loop2")); err != nil {
		t.Fatal(err)
	}
	if p, ok := resolvePath(filepath.Join(dir, "loop1")); ok {
		t.Errorf("a link loop resolved to %s", p)
	}
	if sameFile(filepath.Join(dir, "loop1"), filepath.Join(dir, "other.jsonl")) {
		t.Error("a link loop is the same file as another")
	}
	if sameFile(filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")) {
		t.Error("two new files are one")
	}
	if sameFile(filepath.Join(dir, "missing", "a.jsonl"), filepath.Join(dir, "a.jsonl")) {
		t.Error("a file in a missing directory is one beside it")
	}
	t.Chdir(dir)
	if !sameFile("new.jsonl", filepath.Join(dir, "new.jsonl")) {
		t.Error("a relative path is not its absolute one")
	}
}
