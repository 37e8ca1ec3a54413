package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/danmu"
)

// A record file begun by --record-max's rotation has no start line of its
// own: replay says so, and to replay the files in order, not only that
// the record is an older cattease's.
func TestReplayOfARotatedRecord(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "chat.jsonl")
	synctest.Test(t, func(t *testing.T) {
		r, err := openRecord(rec, recordOptions(600, 5), slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 8 {
			time.Sleep(time.Second) // each event written on its own
			now := time.Now()
			id := fmt.Sprint(i)
			ev := danmu.Event{Platform: "console", Room: "console", Kind: danmu.KindChat, ID: id, Time: now, Text: "左",
				User: danmu.User{ID: id, Name: id, Role: danmu.RoleViewer}}
			if err := r.write(ev, now); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.close(); err != nil {
			t.Fatal(err)
		}
	})
	if old, err := filepath.Glob(filepath.Join(dir, "chat-*.jsonl")); err != nil || len(old) == 0 {
		t.Fatalf("no file rotated: %v %v", old, err)
	}
	b, err := os.ReadFile(rec)
	if err != nil || strings.Contains(string(b), `"kind":"start"`) || len(b) == 0 {
		t.Fatalf("the file begun by the rotation: %v\n%s", err, b)
	}
	code, _, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", rec)
	if code != 0 || errs != noStartNote(rec, shippedLead) || !strings.Contains(errs, "or begun by --record-max's rotation: replay the files in order") {
		t.Fatalf("replay: exit %d\n%s", code, errs)
	}
}
