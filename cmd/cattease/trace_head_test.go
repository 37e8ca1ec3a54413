package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A --trace on a disk that has room for the run's restart line, and then
// for less than a gap line (some 66 bytes), to the end of the run, a torn
// write or not: the trace cuts back over its restart line and writes its
// gap line in its place; the runs before stay whole, verify reads them
// and fails at the gap line, naming it. With room for a gap line, the
// restart line stays. Before, the trace could not cut back past its
// restart line: the file ended in it, whole, and verify said ok, exit 0,
// while run logged lost lines and exited 1.
func TestRunTraceNoRoomAfterItsRestart(t *testing.T) {
	before := `{"kind":"restart","time":"2026-11-22T09:00:00Z","keep_state":false}` + "\n" +
		`{"kind":"output","time":"2026-11-22T09:00:00.02Z","target":"laser","action":"switch","value":0}` + "\n"
	for i, room := range []int64{0, 30, 50, 90, 200} {
		torn := i%2 == 1
		trace := filepath.Join(t.TempDir(), "T.jsonl")
		if err := os.WriteFile(trace, []byte(before), 0o600); err != nil {
			t.Fatal(err)
		}
		testHookTraceWriter = func(w io.Writer) io.Writer {
			fh := w.(*os.File)
			fi, err := fh.Stat()
			if err != nil {
				t.Fatal(err)
			}
			return &roomFile{fh: fh, limit: fi.Size() + room, torn: torn} // after the restart line
		}
		code, out, errs := runCLI(t, "激光\n左5\n右5\n", "run", "--listen", "off", "--dry-run", "--stdin", "-q", "-c", "../../rules.yaml", "--trace", trace)
		testHookTraceWriter = nil
		if code != 1 || !strings.Contains(errs, "--trace: lines could not be written") {
			t.Fatalf("room %d: run: exit %d\n%s%s", room, code, out, errs)
		}
		b, err := os.ReadFile(trace)
		if err != nil {
			t.Fatal(err)
		}
		run, ok := bytes.CutPrefix(b, []byte(before))
		if !ok {
			t.Fatalf("room %d: the runs before are not kept whole:\n%s", room, b)
		}
		// Lines may follow the gap line in room it made (the exit's
		// laser off, with room 200): verify stops at the first.
		n, ok := firstGap(b)
		restart := bytes.HasPrefix(run, []byte(`{"kind":"restart",`))
		if !ok || restart != (room > 66) {
			t.Fatalf("room %d: the run's part has no gap line, after its restart line only if a gap line fits there:\n%s", room, run)
		}
		code, out, errs = runCLI(t, "", "verify", "-c", "../../rules.yaml", trace)
		if want := fmt.Sprintf("T.jsonl: monitor: trace line %d: ", n); code != 1 || strings.Contains(out, "ok") || !strings.Contains(errs, want) ||
			!strings.Contains(errs, "line(s) lost from") {
			t.Fatalf("room %d: verify: exit %d, want %q\n%s%s", room, code, want, out, errs)
		}
	}
}

// firstGap is the line number of the trace's first gap line, if it has
// one and the file ends in a whole line.
func firstGap(b []byte) (int, bool) {
	for i, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if strings.HasPrefix(l, `{"kind":"gap",`) {
			return i + 1, bytes.HasSuffix(b, []byte("}\n"))
		}
	}
	return 0, false
}
