package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// --record /dev/stdout (or audit.file) with the run's stdout a file of
// the shell's (`cattease run --record /dev/stdout > rec.jsonl`): it is a
// regular file to os.Stat, and was rotated at --record-max, where the
// rename of /dev/stdout failed for good (or, as root, moved /dev/stdout
// itself), every line after the limit held back, then dropped beyond
// MaxPending. A file in /dev or /proc is never rotated. /proc/self/fd/N
// stands for /dev/stdout here.
func TestLogFileDevStdoutIntoAFileNeverRotates(t *testing.T) {
	out, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	lf, err := openLogFile(fmt.Sprintf("/proc/self/fd/%d", out.Fd()), logFileOptions{MaxSize: 100, Keep: 5, MaxPending: 200,
		rename: func(from, to string) error {
			t.Errorf("%s renamed to %s", from, to)
			return os.Rename(from, to)
		}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		if _, err := lf.Write([]byte(numbered(i))); err != nil {
			t.Errorf("write %d: %v", i, err)
		}
		if err := flushNow(lf); err != nil {
			t.Errorf("flush %d: %v", i, err)
		}
	}
	if err := lf.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	b, _ := os.ReadFile(out.Name())
	if n := strings.Count(string(b), "\n"); n != 12 {
		t.Errorf("%d lines of 12 reached stdout", n)
	}
	if st := lf.stats(); st.Rotations != 0 || st.Failures != 0 || st.DroppedLines != 0 {
		t.Errorf("%+v, want no rotation, failure or line dropped", st)
	}
}
