package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// roomFile is the --trace file on a disk with room for limit bytes in all
// (or at a file size limit): a write past it fails, having written what
// fits if torn, else nothing, as long as the run lasts; cutting the file
// back makes room.
type roomFile struct {
	fh    *os.File
	limit int64
	torn  bool
}

func (f *roomFile) Write(p []byte) (int, error) {
	fi, err := f.fh.Stat()
	if err != nil {
		return 0, err
	}
	room := f.limit - fi.Size()
	if int64(len(p)) <= room {
		return f.fh.Write(p)
	}
	n := 0
	if f.torn && room > 0 {
		n, _ = f.fh.Write(p[:room])
	}
	return n, errors.New("no space left on device")
}

// A --trace whose disk is full to the end of the run, a torn write or
// not: the file ends in a gap line, whole, in room the trace made by
// cutting back its last lines, and verify fails there and names it. Run
// logs the failed write and how many lines were lost, and exits 1.
// Before, no write worked again to write the gap line, nor Close: the
// file ended in its last line written, or half of one, and verify said
// "ok", exit 0.
func TestRunTraceFullToTheEnd(t *testing.T) {
	for _, torn := range []bool{false, true} {
		trace := filepath.Join(t.TempDir(), "T.jsonl")
		testHookTraceWriter = func(w io.Writer) io.Writer {
			fh := w.(*os.File)
			fi, err := fh.Stat()
			if err != nil {
				t.Fatal(err)
			}
			return &roomFile{fh: fh, limit: fi.Size() + 150, torn: torn} // the first output line and part of the next
		}
		code, out, errs := runCLI(t, "激光\n左5\n右5\n", "run", "--listen", "off", "--dry-run", "--stdin", "-q", "-c", "../../rules.yaml", "--trace", trace)
		testHookTraceWriter = nil
		if code != 1 || !strings.Contains(errs, "--trace: write failed") || !strings.Contains(errs, "--trace: lines could not be written") {
			t.Fatalf("torn %v: run: exit %d\n%s%s", torn, code, out, errs)
		}
		b, err := os.ReadFile(trace)
		if err != nil {
			t.Fatal(err)
		}
		n, ok := firstGap(b) // lines may follow it in room it made: verify stops there
		if !ok {
			t.Fatalf("torn %v: the trace has no gap line, or ends torn:\n%s", torn, b)
		}
		code, out, errs = runCLI(t, "", "verify", "-c", "../../rules.yaml", trace)
		if want := fmt.Sprintf("T.jsonl: monitor: trace line %d: ", n); code != 1 || strings.Contains(out, "ok") || !strings.Contains(errs, want) ||
			!strings.Contains(errs, "line(s) lost from") {
			t.Fatalf("torn %v: verify: exit %d, want %q\n%s%s", torn, code, want, out, errs)
		}
	}
}

// The same with a real limit on the file's size (RLIMIT_FSIZE, set by the
// shell's ulimit for the binary alone): the file already holds a run's
// trace up to a little under the limit, the run's restart line fits, its
// outputs do not (the kernel writes what fits, then refuses). The trace
// cuts off the part written, or cuts itself back to its start, and writes
// its gap line there; verify reads the run before it and fails at the gap
// line. Before, the file
// ended in the part of a line the kernel wrote: verify warned of a power
// cut and said "ok".
func TestRunTraceFileSizeLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if runtime.GOOS == "windows" {
		t.Skip("no ulimit")
	}
	dir := t.TempDir()
	// The shell's unit for ulimit -f (512 or 1024 bytes): the size of a
	// file written up to the limit.
	probe := filepath.Join(dir, "probe")
	exec.Command("sh", "-c", `ulimit -f 4 && exec dd if=/dev/zero of="$0" bs=1024 count=64`, probe).Run() // dd is stopped at the limit
	fi, err := os.Stat(probe)
	if err != nil || fi.Size() != 2048 && fi.Size() != 4096 {
		t.Skipf("ulimit -f 4 wrote %v bytes (%v)", fi, err)
	}
	limit := fi.Size()

	trace := filepath.Join(dir, "T.jsonl")
	t0 := time.Now().Add(-time.Hour).UTC()
	var before bytes.Buffer
	fmt.Fprintf(&before, "{\"kind\":\"restart\",\"time\":%q,\"keep_state\":false}\n", t0.Format(time.RFC3339Nano))
	fmt.Fprintf(&before, "{\"kind\":\"output\",\"time\":%q,\"target\":\"laser\",\"action\":\"switch\",\"value\":0}\n", t0.Format(time.RFC3339Nano))
	decision := func(text string) string { // the chat of the run before
		return fmt.Sprintf("{\"kind\":\"decision\",\"time\":%q,\"event_id\":\"1\",\"text\":%q}\n", t0.Add(time.Second).Format(time.RFC3339Nano), text)
	}
	before.WriteString(decision(strings.Repeat("x", int(limit)-250-before.Len()-len(decision(""))))) // room for the run's restart line and a gap line, not much more
	if err := os.WriteFile(trace, before.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	state := t.TempDir()
	cmd := exec.Command("sh", "-c", `ulimit -f 4 && exec "$@"`, "sh", catteaseBinary(t),
		"run", "--listen", "off", "--dry-run", "--stdin", "-q", "-c", "../../rules.yaml", "--trace", trace)
	cmd.Env = append(os.Environ(), "STATE_DIRECTORY="+state, "LANG=C", "LC_ALL=C")
	cmd.Stdin = strings.NewReader("激光\n左5\n右5\n")
	out, err := cmd.CombinedOutput()
	if ee := (*exec.ExitError)(nil); !errors.As(err, &ee) || ee.ExitCode() != 1 || !regexp.MustCompile(`lost_lines=[1-9]`).Match(out) {
		t.Fatalf("run: %v\n%s", err, out)
	}
	b, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(b)) > limit || !bytes.HasPrefix(b, before.Bytes()) {
		t.Fatalf("%d bytes, limit %d, the run before kept: %v\n%s", len(b), limit, bytes.HasPrefix(b, before.Bytes()), b)
	}
	// The run's part: its restart line, whole lines, a gap line.
	run := strings.Split(strings.TrimSuffix(string(b[before.Len():]), "\n"), "\n")
	n := 0
	for i, l := range run {
		if n == 0 && strings.HasPrefix(l, `{"kind":"gap",`) {
			n = strings.Count(before.String(), "\n") + i + 1
		}
	}
	if !strings.HasPrefix(run[0], `{"kind":"restart",`) || n == 0 || !strings.HasSuffix(string(b), "}\n") {
		t.Fatalf("the run's part of the trace is not its restart line and a gap line, whole:\n%s", b[before.Len():])
	}
	code, stdout, errs := runCLI(t, "", "verify", "-c", "../../rules.yaml", trace)
	if want := "T.jsonl: monitor: trace line " + strconv.Itoa(n) + ": "; code != 1 || !strings.Contains(errs, want) || !strings.Contains(errs, "line(s) lost from") {
		t.Fatalf("verify: exit %d, want %q\n%s%s", code, want, stdout, errs)
	}
}
