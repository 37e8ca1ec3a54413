package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// failNth fails the writes n of the --trace file given (from 1), the
// first of them cut short as a full disk does.
type failNth struct {
	w     *os.File
	n     int
	fails map[int]bool
	cut   bool
}

func (f *failNth) Write(p []byte) (int, error) {
	f.n++
	if !f.fails[f.n] {
		return f.w.Write(p)
	}
	if !f.cut {
		f.cut = true
		n, _ := f.w.Write(p[:len(p)/2])
		return n, errors.New("no space left on device")
	}
	return 0, errors.New("no space left on device")
}

// A --trace that loses lines (a full disk) says so: run logs the first
// failed write, writes a gap line in its place, or, when that fails too
// (the write after it here), cuts back the lines before it (here, the
// only one: a block's worth) and writes it there; logs the write that
// works past where the writes failed, and how many lines were lost at the
// end (those cut off with them), exiting 1; verify stops at the gap line
// and names it. Before, the lines were lost without a word and verify read
// the trace as whole.
func TestRunTraceLostLines(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "T.jsonl")
	testHookTraceWriter = func(w io.Writer) io.Writer {
		return &failNth{w: w.(*os.File), fails: map[int]bool{2: true, 3: true}}
	}
	defer func() { testHookTraceWriter = nil }()
	code, out, errs := runCLI(t, "激光\n左5\n右5\n", "run", "--listen", "off", "--dry-run", "--stdin", "-q", "-c", "../../rules.yaml", "--trace", trace)
	if code != 1 {
		t.Fatalf("run: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"--trace: write failed; its lines are lost, and the trace ends in a gap line",
		"--trace: writing again, after a gap line", "failed_writes=2", "lost_lines=2",
		"--trace: lines could not be written: verify stops at the gap, and run exits 1"} {
		if !strings.Contains(errs, want) {
			t.Errorf("run says nothing of %q\n%s", want, errs)
		}
	}
	b, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	gap := 0
	for i, l := range lines {
		if strings.HasPrefix(l, `{"kind":"gap",`) && strings.HasSuffix(l, `"lost":2}`) {
			gap = i + 1
		}
	}
	if gap != 2 || !strings.HasSuffix(string(b), "}\n") {
		t.Fatalf("no gap line after the restart line, or a torn line:\n%s", b)
	}
	code, out, errs = runCLI(t, "", "verify", "-c", "../../rules.yaml", trace)
	if code != 1 || strings.Contains(out, "ok") || !strings.Contains(errs, "T.jsonl: monitor: trace line 2: 2 line(s) lost from ") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
}
