package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A hand-made recording whose viewer has a 70 KB name (and ID): replay
// writes a trace whose decision lines verify reads, and both replay
// --verify and verify find it safe. Before, the name went whole into a
// decision line over the 64 KiB verify reads: replay --verify passed it,
// verify refused the trace.
func TestReplayTraceOfALongNameVerifies(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("x", 70_000)
	var rec strings.Builder
	for i, c := range []struct{ id, name, text string }{{long, long, "激光"}, {"2", "猫奴", "左"}, {"3", long, "右"}, {"4", "猫奴", "上"}} {
		fmt.Fprintf(&rec, `{"platform":"bilibili","room":"1","kind":"chat","id":"%d","time":"2026-11-22T10:00:0%d.000Z","user":{"id":%q,"name":%q,"role":"viewer"},"text":%q}`+"\n",
			i+1, i+1, c.id, c.name, c.text)
	}
	record := filepath.Join(dir, "rec.jsonl")
	if err := os.WriteFile(record, []byte(rec.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	code, trace, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", record)
	if code != 0 || !strings.Contains(trace, `"user_name":"xxx`) {
		t.Fatalf("replay: exit %d\n%s", code, errs)
	}
	for _, l := range strings.Split(trace, "\n") {
		if len(l) > 20_000 {
			t.Fatalf("a trace line of %d bytes", len(l))
		}
	}
	path := filepath.Join(dir, "T.jsonl")
	if err := os.WriteFile(path, []byte(trace), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(t, "", "verify", "-c", "../../rules.yaml", path); code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := runCLI(t, "", "replay", "--verify", "-c", "../../rules.yaml", record); code != 0 {
		t.Fatalf("replay --verify: exit %d\n%s%s", code, out, errs)
	}
}
