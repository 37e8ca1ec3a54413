//go:build unix

package control

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A laser file that is no regular file (a FIFO; a link to /dev/zero; a
// link to nothing, which counted as no file, nothing forbidden) or is too
// long to be one is never read as one: it counts as unreadable,
// every laser forbidden as the streamer's, and is written anew. Before,
// the start read it for good (a FIFO with no writer, /dev/zero without
// end), past the pid lock and the web server, and SIGTERM did not end it.
func TestLaserFileNotARegularFile(t *testing.T) {
	for _, c := range []struct {
		name string
		make func(path string) error
		says string
	}{
		{"fifo", func(path string) error { return syscall.Mkfifo(path, 0o600) }, "not a regular file"},
		{"link to /dev/zero", func(path string) error { return os.Symlink("/dev/zero", path) }, "not a regular file"},
		// a link to nothing (a state directory restored from a backup
		// without its target): it counted as no file, nothing forbidden
		{"link to nothing", func(path string) error {
			return os.Symlink(filepath.Join(filepath.Dir(path), "gone", "laser-off.json"), path)
		}, "which is not there"},
		{"too long", func(path string) error {
			return os.WriteFile(path, append([]byte(`{"panel":["laser"]}`), bytes.Repeat([]byte(" "), maxLaserFile)...), 0o600)
		}, "over 65536 bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "laser-off.json")
			if err := c.make(path); err != nil {
				t.Skip(err)
			}
			started := make(chan *keptRun, 1)
			go func() { started <- startKept(t, path) }()
			var r *keptRun
			select {
			case r = <-started:
			case <-time.After(10 * time.Second): // a safeguard: it returns at once
				t.Fatal("the start hangs reading the laser file")
			}
			if r.err == nil || !strings.Contains(r.err.Error(), "is unreadable") || !strings.Contains(r.err.Error(), c.says) {
				t.Fatalf("error %v", r.err)
			}
			r.wantKept("laser,spot", "")
			r.wantDisabled("laser,spot")
			if fi, err := os.Lstat(path); err != nil || !fi.Mode().IsRegular() {
				t.Fatalf("the file is not written anew: %v %v", fi, err)
			}
			wantFile(t, path, `{"panel":["laser","spot"]}`)
		})
	}
}
