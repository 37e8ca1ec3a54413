package web

import (
	"io/fs"
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

// TestTokenEmptyFileReplaced: an empty token file, what a power cut
// shortly after the first start can leave, is replaced by a new token
// (reported as created, so the caller says where it is) instead of
// failing every start until someone deletes it by hand.
func TestTokenEmptyFileReplaced(t *testing.T) {
	for name, c := range map[string]struct {
		content string
		mode    os.FileMode
	}{"empty": {"", 0o600}, "blank": {" \n", 0o644}, "zeros": {strings.Repeat("\x00", 43) + "\n", 0o600}} {
		path := filepath.Join(t.TempDir(), "cattease-token")
		if err := os.WriteFile(path, []byte(c.content), c.mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(path, c.mode)
		tok, created, err := LoadOrCreateToken(path)
		if err != nil || !created || len(tok) < 40 {
			t.Fatalf("%s file: %q %v %v, want a new token", name, tok, created, err)
		}
		b, err := os.ReadFile(path)
		fi, _ := os.Stat(path)
		if err != nil || string(b) != tok+"\n" || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s file after: %q mode %v (%v)", name, b, fi.Mode(), err)
		}
		if again, created, err := LoadOrCreateToken(path); again != tok || created || err != nil {
			t.Fatalf("%s file, next start: %q %v %v", name, again, created, err)
		}
		onlyFile(t, path)
	}
}

// TestTokenConcurrentCreate: processes starting at once agree on one
// token, and none reads a file another is still writing: the file appears
// whole or not at all.
func TestTokenConcurrentCreate(t *testing.T) {
	for range 20 {
		path := filepath.Join(t.TempDir(), "cattease-token")
		const n = 8
		type res struct {
			tok     string
			created bool
			err     error
		}
		out := make(chan res, n)
		for range n {
			go func() {
				tok, created, err := LoadOrCreateToken(path)
				out <- res{tok, created, err}
			}()
		}
		var first string
		creators := 0
		for range n {
			r := <-out
			if r.err != nil {
				t.Fatalf("concurrent start: %v", r.err)
			}
			if first == "" {
				first = r.tok
			}
			if r.tok != first {
				t.Fatalf("two tokens: %q and %q", first, r.tok)
			}
			if r.created {
				creators++
			}
		}
		if creators != 1 {
			t.Fatalf("%d processes say they created the token", creators)
		}
		onlyFile(t, path)
	}
}

// onlyFile fails unless path is the only file in its directory: no
// temporary file is left behind.
func onlyFile(t *testing.T, path string) {
	t.Helper()
	ents, err := os.ReadDir(filepath.Dir(path))
	if err != nil || len(ents) != 1 || ents[0].Name() != filepath.Base(path) {
		t.Fatalf("directory holds %v (%v), want only %s", ents, err, filepath.Base(path))
	}
}

// A token file's mode guards it on Unix; on Windows every writable file
// shows 0666, so the mode must not refuse the token there (it did, from
// the second start on: the first start wrote the file).
func TestReadableByOthers(t *testing.T) {
	for _, c := range []struct {
		perm fs.FileMode
		goos string
		want bool
	}{
		{0o600, "linux", false}, {0o640, "linux", true}, {0o604, "darwin", true},
		{0o666, "windows", false}, {0o600, "windows", false},
	} {
		if got := readableByOthers(c.perm, c.goos); got != c.want {
			t.Errorf("readableByOthers(%04o, %s) = %v, want %v", c.perm, c.goos, got, c.want)
		}
	}
}
