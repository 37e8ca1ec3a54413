package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// --record /dev/stdout and audit.file /dev/stderr on one terminal or pipe
// (2>&1) were refused as one file: whole lines written to a pipe ruin
// nothing. Two names of one regular file still are. /proc/self/fd/N
// stands for /dev/stdout and /dev/stderr here.
func TestSameFileOnlyForRegularFiles(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	fd2, err := syscall.Dup(int(w.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd2)
	if sameFile(fmt.Sprintf("/proc/self/fd/%d", w.Fd()), fmt.Sprintf("/proc/self/fd/%d", fd2)) {
		t.Error("stdout and stderr on one pipe taken for one file")
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	os.WriteFile(a, nil, 0o600)
	if err := os.Link(a, b); err != nil {
		t.Fatal(err)
	}
	if !sameFile(a, b) {
		t.Error("two hard links of one file not taken for one file")
	}
}
