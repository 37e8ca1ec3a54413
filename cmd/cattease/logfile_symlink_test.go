package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --record through a symbolic link (chat.jsonl -> /mnt/usb/chat.jsonl):
// the first rotation renamed the link, and the next file was made beside
// it (on the SD card), the link never counted nor pruned. The file the
// link names is rotated, beside it, and the link stays.
func TestLogFileThroughASymlinkRotatesItsTarget(t *testing.T) {
	usb, sd := t.TempDir(), t.TempDir()
	target := filepath.Join(usb, "chat.jsonl")
	link := filepath.Join(sd, "chat.jsonl")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	lf, err := openLogFile(link, logFileOptions{MaxSize: 100, Keep: 5})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		lf.Write([]byte(numbered(i)))
		if err := flushNow(lf); err != nil {
			t.Fatal(err)
		}
	}
	if err := lf.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link %s is gone or a file now", link)
	}
	if es, _ := os.ReadDir(sd); len(es) != 1 {
		t.Errorf("%d entries beside the link, want the link alone", len(es))
	}
	var all string
	for _, n := range append(lf.rotated(), target) {
		if filepath.Dir(n) != usb {
			t.Errorf("%s is not beside the target", n)
		}
		b, _ := os.ReadFile(n)
		all += string(b)
	}
	if strings.Count(all, "\n") != 10 || len(lf.rotated()) != 4 {
		t.Errorf("%d lines in %d rotated files and the target, want 10 in 4 and the target", strings.Count(all, "\n"), len(lf.rotated()))
	}
}
