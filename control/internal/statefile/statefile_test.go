package statefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesAndRemoveForgets(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "kept.json")
	for _, body := range []string{`{"a":1}`, `{"b":2}`} {
		if err := Write(p, []byte(body)); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(p); err != nil || string(got) != body {
			t.Fatalf("read %q, %v; want %q", got, err, body)
		}
	}
	if err := Remove(p); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("after Remove: %v", err)
	}
	if err := Remove(p); err != nil {
		t.Fatalf("removing what is gone: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".cattease-state-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// A write that cannot land leaves no temporary file and says so.
func TestWriteOverADirectoryFails(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "kept.json")
	if err := os.MkdirAll(filepath.Join(p, "inside"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("{}")); err == nil {
		t.Fatal("replaced a non-empty directory")
	}
	if err := Remove(p); err == nil {
		t.Fatal("removed a non-empty directory")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".cattease-state-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
