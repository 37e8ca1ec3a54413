package douyu

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtureDir is the shared capture directory (../shared/fixtures/douyu from
// the repository root). Tests that need it skip when it is absent.
func fixtureDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("CATTEASE_DOUYU_FIXTURES")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "fixtures", "douyu")
	}
	if _, err := os.Stat(filepath.Join(dir, "SOURCES.md")); err != nil {
		tb.Skipf("douyu fixtures not found at %s (set CATTEASE_DOUYU_FIXTURES)", dir)
	}
	return dir
}

// txtFixtures returns every .txt fixture body by file name.
func txtFixtures(tb testing.TB) map[string][]byte {
	tb.Helper()
	dir := fixtureDir(tb)
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	out := make(map[string][]byte, len(names))
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			tb.Fatal(err)
		}
		out[filepath.Base(n)] = b
	}
	if len(out) == 0 {
		tb.Fatal("no .txt fixtures")
	}
	return out
}

func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir(tb), name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// hexFixture decodes a .hex fixture: lowercase hex, 64 chars per line.
func hexFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	s := strings.Join(strings.Fields(string(fixture(tb, name))), "")
	b, err := hex.DecodeString(s)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return b
}
