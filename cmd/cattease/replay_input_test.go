package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay"
)

// cappedWriter keeps the first max bytes written and then calls full
// once: a command that writes without end is stopped, not run out of
// memory.
type cappedWriter struct {
	mu   sync.Mutex
	b    bytes.Buffer
	max  int
	full func()
}

func (w *cappedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.b.Len() >= w.max {
		if w.full != nil {
			w.full()
			w.full = nil
		}
		return len(p), nil
	}
	return w.b.Write(p)
}

func (w *cappedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// runCapped runs the command line with stdout and stderr capped: past
// their cap, or after 20 s, the command is cancelled.
func runCapped(t *testing.T, args ...string) (code int, stdout, stderr string, stopped bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var once sync.Once
	stop := func() { once.Do(func() { stopped = true; cancel() }) }
	out := &cappedWriter{max: 64 << 20, full: stop}
	errw := &cappedWriter{max: 1 << 20, full: stop}
	code = cli(ctx, args, strings.NewReader(""), out, errw)
	return code, out.String(), errw.String(), stopped || ctx.Err() != nil
}

// recordedLines are the lines of the shipped replay example.
func recordedLines(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/replay/basic.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// A recording with a line over 1 MiB in it replays to its end, the long
// line skipped as one bad line; and however many bad lines there are,
// stderr names only the first hundred. Before, the replay never ended and
// printed "skipped:" without end.
func TestReplayOverlongLine(t *testing.T) {
	lines := recordedLines(t)
	var in strings.Builder
	in.WriteString(lines[0] + "\n")
	in.WriteString(strings.Repeat("x", 2*replay.MaxLine) + "\n")
	for range 500 {
		in.WriteString("not a recorded event\n")
	}
	for _, l := range lines[1:] {
		in.WriteString(l + "\n")
	}
	path := filepath.Join(t.TempDir(), "long.jsonl")
	if err := os.WriteFile(path, []byte(in.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs, stopped := runCapped(t, "replay", "-c", "../../rules.yaml", path)
	if stopped || code != 0 {
		t.Fatalf("exit %d (stopped: %v)\n%s", code, stopped, firstLines(errs, 5))
	}
	if n := strings.Count(errs, "skipped:"); n != maxShownBad {
		t.Errorf("%d skipped lines shown, want %d", n, maxShownBad)
	}
	if !strings.Contains(errs, "replay: line 2: bad event: longer than 1048576 bytes") ||
		!strings.Contains(errs, "501 bad line(s) skipped") {
		t.Errorf("stderr:\n%s", firstLines(errs, 3))
	}
	if n := strings.Count(out, `"kind":"decision"`); n < len(lines) {
		t.Errorf("%d decisions for %d events", n, len(lines))
	}
}

// A recording read from a pipe (replay <(zcat rec.jsonl.gz), or
// `... | cattease replay /dev/stdin`) replays whole, --verify included:
// before, the first event's time was read by opening the path a second
// time, which took the pipe's contents, and the replay got nothing.
func TestReplayFromAPipe(t *testing.T) {
	if _, err := os.Stat("/dev/fd/0"); err != nil {
		t.Skip("no /dev/fd here")
	}
	rec, err := os.ReadFile("../../testdata/replay/basic.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"replay", "-c", "../../rules.yaml"}, {"replay", "--verify", "-c", "../../rules.yaml"}} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := w.Write(rec)
			done <- errors.Join(err, w.Close())
		}()
		code, out, errs := runCLI(t, "", append(args, fmt.Sprintf("/dev/fd/%d", r.Fd()))...)
		r.Close()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, errs)
		}
		checkTraceShape(t, out) // a decision for each of the 17 events
	}
}

// A replay that reads no event at all (an empty file, or every line bad:
// a trace given by mistake) exits 1 and says so, with or without --verify;
// before, it printed an empty trace, or "ok", and exited 0.
func TestReplayNoEvent(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.jsonl")
	trace := filepath.Join(dir, "trace.jsonl")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	lines := `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":true}` + "\n" +
		`{"kind":"output","time":"2026-11-22T10:00:00Z","target":"laser","action":"switch","value":1}` + "\n"
	if err := os.WriteFile(trace, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"replay", "-c", "../../rules.yaml", empty}, "empty.jsonl: no event to replay\n"},
		{[]string{"replay", "--verify", "-c", "../../rules.yaml", empty}, "empty.jsonl: no event to replay\n"},
		{[]string{"replay", "-c", "../../rules.yaml", trace}, "trace.jsonl: no event to replay, only 2 bad line(s)"},
		{[]string{"replay", "--verify", "-c", "../../rules.yaml", trace}, "trace.jsonl: no event to replay, only 2 bad line(s)"},
		{[]string{"replay", "--strict", "-c", "../../rules.yaml", trace}, "line 1: bad event"},
	} {
		code, out, errs := runCLI(t, "", c.args...)
		if code != 1 || !strings.Contains(errs, c.want) || strings.Contains(out, `"kind"`) {
			t.Errorf("%v: exit %d, stdout %q\n%s", c.args[1:len(c.args)-1], code, firstLines(out, 2), errs)
		}
	}
}

// replay --state keeps the daily laser account in a copy of the live one:
// it starts from what the live file says (here the day's budget spent: the
// laser stays dark), and never writes the live file, which a live run may
// be keeping at the same time; the copy is removed. Before, the replay
// charged replayed light to the live file and its last save could
// overwrite a larger amount a live run had reserved. It tells stderr which
// account it copied, and warns when there is none: before, a login user's
// replay started quietly from an empty account, never the service's.
func TestReplayStateKeepsACopy(t *testing.T) {
	state, tmp := t.TempDir(), t.TempDir()
	t.Setenv("STATE_DIRECTORY", state)
	t.Setenv("TMPDIR", tmp)
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	var rec []byte
	for i, text := range []string{"左", "激光", "右"} {
		var err error
		rec, err = replay.AppendEvent(rec, danmu.Event{Platform: "bilibili", Room: "1", Kind: danmu.KindChat,
			ID: fmt.Sprint(i), Time: at.Add(time.Duration(i) * time.Second), Text: text,
			User: danmu.User{ID: "7", Name: "房管", Role: danmu.RoleModerator}})
		if err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(path, rec, 0o600); err != nil {
		t.Fatal(err)
	}
	const lit = `"target":"laser","action":"switch","value":1`
	ledger := filepath.Join(state, "cattease-state.json")

	// No live account: the replay keeps one, but not in the state directory.
	code, out, errs := runCLI(t, "", "replay", "--state", "-c", "../../rules.yaml", path)
	if code != 0 || !strings.Contains(out, lit) {
		t.Fatalf("exit %d, laser lit: %v\n%s", code, strings.Contains(out, lit), errs)
	}
	if _, err := os.Stat(ledger); err == nil {
		t.Fatal("replay --state wrote the live account")
	}
	// ... and says so, naming the file it looked for and the service's.
	for _, want := range []string{"warning: " + ledger + " does not exist", "sudo -u cattease env STATE_DIRECTORY=/var/lib/cattease cattease replay --state"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}

	// Today's budget spent in the live account: the replay starts from it.
	spent := fmt.Sprintf(`{"day":%q,"laser_ns":%d,"treats":0}`, at.In(time.Local).Format(time.DateOnly), int64(20*time.Minute))
	if err := os.WriteFile(ledger, []byte(spent), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, "", "replay", "--state", "-c", "../../rules.yaml", path)
	if code != 0 || strings.Contains(out, lit) {
		t.Fatalf("exit %d, laser lit: %v\n%s", code, strings.Contains(out, lit), errs)
	}
	if want := "starts from a copy of the laser account " + ledger + "\n"; !strings.Contains(errs, want) || strings.Contains(errs, "warning") {
		t.Errorf("stderr does not name the account copied (%q):\n%s", want, errs)
	}
	if b, err := os.ReadFile(ledger); err != nil || string(b) != spent {
		t.Fatalf("the live account changed: %q, %v", b, err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("left behind: %v", left)
	}
}
