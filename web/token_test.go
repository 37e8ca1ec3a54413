package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadOrCreateToken(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cattease-token")
	tok, created, err := LoadOrCreateToken(path)
	if err != nil || !created || len(tok) < 40 || !cookieSafe(tok) {
		t.Fatalf("create: %q %v %v", tok, created, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file mode %v (%v)", fi.Mode(), err)
	}
	again, created, err := LoadOrCreateToken(path)
	if err != nil || created || again != tok {
		t.Fatalf("second load: %q %v %v, want the same token", again, created, err)
	}
	other, _, _ := LoadOrCreateToken(filepath.Join(t.TempDir(), "t"))
	if other == tok {
		t.Fatal("two new tokens are equal")
	}
}

func TestLoadTokenRejects(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, content string
		mode          os.FileMode
		want          string
	}{
		{"world", "0123456789abcdefghij\n", 0o644, "readable by others"},
		{"short", "abc\n", 0o600, "at least"},
		{"spaces", "0123456789 abcdefghij\n", 0o600, "printable"},
		{"quote", "0123456789\"abcdefghij", 0o600, "printable"},
		{"big", strings.Repeat("a", 5000), 0o600, "too large"},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, []byte(c.content), c.mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(path, c.mode) // umask may have narrowed it
		_, _, err := LoadOrCreateToken(path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "web: ") {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "0123456789") {
			t.Errorf("%s: the error shows the token: %v", c.name, err)
		}
	}
	if _, _, err := LoadOrCreateToken(filepath.Join(dir, "no", "such", "dir", "t")); err == nil {
		t.Error("uncreatable path accepted")
	}
}

func TestLoadTokenTrims(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t")
	os.WriteFile(path, []byte("  my-own-token-0123456789\r\n"), 0o600)
	tok, created, err := LoadOrCreateToken(path)
	if err != nil || created || tok != "my-own-token-0123456789" {
		t.Fatalf("%q %v %v", tok, created, err)
	}
}
