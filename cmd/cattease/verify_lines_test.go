package main

import (
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// replay --verify names the line of the printed trace where each violation
// was found: an output at the violation's time.
func TestReplayVerifyNamesTheTraceLine(t *testing.T) {
	testHookEnvelope = func(c *safety.Config) { // as if the envelope had a bug
		for i := range c.Axes {
			c.Axes[i].Speed *= 4
			c.Axes[i].Max += 30
		}
	}
	defer func() { testHookEnvelope = nil }()
	code, out, errs := runCLI(t, "", "replay", "--verify", "-c", "../../rules.yaml", "../../testdata/replay/basic.jsonl")
	lines := strings.Split(out, "\n")
	re := regexp.MustCompile(`(?m)^violation: trace line (\d+): (\S+) `)
	found := re.FindAllStringSubmatch(errs, -1)
	if code != 1 || len(found) == 0 || len(found) != strings.Count(errs, "violation:") {
		t.Fatalf("exit %d\n%s", code, firstLines(errs, 5))
	}
	for _, f := range found {
		n, _ := strconv.Atoi(f[1])
		if n < 1 || n > len(lines) {
			t.Fatalf("line %d of %d: %s", n, len(lines), f[0])
		}
		var l struct{ Kind, Time string }
		if err := json.Unmarshal([]byte(lines[n-1]), &l); err != nil || l.Kind != "output" || l.Time != f[2] {
			t.Errorf("%s: line %d is %s", f[0], n, lines[n-1])
		}
	}
}

// verify names the file and line of each violation it prints.
func TestVerifyNamesTheLine(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.trace", strings.Join(strings.SplitAfter(litTrace, "\n")[:3], ""))
	lit := writeFile(t, dir, "lit.trace", litTrace)
	code, _, errs := runCLI(t, "", "verify", "-c", "../../rules.yaml", ok, lit)
	if code != 1 || !strings.Contains(errs, "violation: "+lit+":5: 2026-11-22T10:05:00Z light_budget laser: ") ||
		strings.Count(errs, "violation: "+lit+":5: ") != strings.Count(errs, "violation:") {
		t.Fatalf("exit %d\n%s", code, errs)
	}
}

// verify fails on what is no trace, where it said "ok: no safety
// violation": a --record file, an empty file, /dev/null, decisions alone
// (an audit log); and on a trace line with a misspelled key, where it read
// the laser's "vlaue":1 as a value of 0, dark.
func TestVerifyNotATrace(t *testing.T) {
	dir := t.TempDir()
	hint := "is this a trace? (--record files are for replay)"
	audit := writeFile(t, dir, "audit.jsonl", `{"kind":"decision","time":"2026-11-22T10:00:00Z","event_id":"1","user_id":"u","text":"左","rule":"left","decision":"accepted","reason":"queued"}`+"\n")
	misspelt := writeFile(t, dir, "misspelt.trace", strings.Replace(litTrace, `"switch","value":1`, `"switch","vlaue":1`, 1))
	for _, c := range []struct{ path, want string }{
		{"../../testdata/replay/basic.jsonl", `basic.jsonl: monitor: trace line 1: unknown kind "chat": ` + hint},
		{writeFile(t, dir, "empty.trace", ""), "empty.trace: monitor: no output or restart line: " + hint},
		{os.DevNull, os.DevNull + ": monitor: no output or restart line: " + hint},
		{audit, "audit.jsonl: monitor: no output or restart line: " + hint},
		{misspelt, `misspelt.trace: monitor: trace line 4: unknown field "vlaue"`},
	} {
		code, out, errs := runCLI(t, "", "verify", "-c", "../../rules.yaml", c.path)
		if code != 1 || strings.Contains(out, "ok") || !strings.Contains(errs, c.want) {
			t.Errorf("%s: exit %d\n%s%s", c.path, code, out, errs)
		}
	}
}

// An output the driver did not take reaches replay --verify's monitor as
// not delivered (Failed), where replay left it out: a laser's off that
// failed left the laser lit, as the monitor now holds.
func TestMonitorEventFailed(t *testing.T) {
	o := safety.Output{Time: time.Unix(0, 0), Target: "laser", Action: actuators.ActionSwitch, Value: 0}
	if monitorEvent(o).Failed {
		t.Error("delivered output marked failed")
	}
	o.Err = errors.New("i2c: busy")
	if !monitorEvent(o).Failed {
		t.Error("failed output not marked failed")
	}
}

// A trace verify cannot check to its end (lines lost at a gap line) still
// shows the violations found before it, then the line it stopped at:
// before, only the error was printed.
func TestVerifyShowsViolationsBeforeTheGap(t *testing.T) {
	dir := t.TempDir()
	trace := writeFile(t, dir, "gap.trace", litTrace+`{"kind":"gap","time":"2026-11-22T10:05:00.02Z","lost":3}`+"\n")
	code, out, errs := runCLI(t, "", "verify", "-c", "../../rules.yaml", trace)
	v := strings.Index(errs, "violation: "+trace+":5: 2026-11-22T10:05:00Z light_budget laser: ")
	gap := strings.Index(errs, "gap.trace: monitor: trace line 6: 3 line(s) lost from 2026-11-22T10:05:00.02Z on")
	if code != 1 || strings.Contains(out, "ok") || v < 0 || gap < v {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
}
