package douyu

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtureDir holds the real captures the tests decode; their provenance is
// in testdata/SOURCES.md. Tests need nothing outside the repository.
const fixtureDir = "testdata"

// fixtureNames returns the base names of the fixtures matching glob, and
// fails the test when there are none.
func fixtureNames(tb testing.TB, glob string) []string {
	tb.Helper()
	names, err := filepath.Glob(filepath.Join(fixtureDir, glob))
	if err != nil {
		tb.Fatalf("fixtures %s in %s: %v", glob, fixtureDir, err)
	}
	if len(names) == 0 {
		tb.Fatalf("no fixtures %s in %s (see testdata/SOURCES.md)", glob, fixtureDir)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names
}

// txtFixtures returns every .txt fixture body by file name.
func txtFixtures(tb testing.TB) map[string][]byte {
	tb.Helper()
	names := fixtureNames(tb, "*.txt")
	out := make(map[string][]byte, len(names))
	for _, n := range names {
		out[n] = fixture(tb, n)
	}
	return out
}

// fixture reads testdata/name. A missing fixture fails the test with its
// path.
func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	path := filepath.Join(fixtureDir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("fixture %s: %v (see testdata/SOURCES.md)", path, err)
	}
	return b
}

// hexFixture decodes a .hex fixture: lowercase hex, 64 chars per line.
func hexFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	s := strings.Join(strings.Fields(string(fixture(tb, name))), "")
	b, err := hex.DecodeString(s)
	if err != nil {
		tb.Fatalf("fixture %s: %v", filepath.Join(fixtureDir, name), err)
	}
	return b
}
