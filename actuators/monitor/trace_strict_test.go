package monitor

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// litLines light the laser at line 3 and turn it off at line 4, 25 s on:
// over the light budget of budget().
const litLines = `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":true}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T10:00:00.02Z","target":"laser","action":"switch","value":1}
{"kind":"output","time":"2026-11-22T10:00:25Z","target":"laser","action":"switch","value":0}
`

// A line the trace does not write is an error naming its line, where
// before it was read as far as it went: a misspelled "value" read as 0
// (the laser dark), an unknown kind or a line without its time skipped.
func TestReadTraceStrictLines(t *testing.T) {
	head := `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":true}` + "\n"
	for _, c := range []struct{ line, want string }{
		{`{"kind":"output","time":"2026-11-22T10:00:00Z","target":"laser","action":"switch","vlaue":1}`, `trace line 2: unknown field "vlaue"`},
		{`{"kind":"output","time":"2026-11-22T10:00:00Z","target":"laser","action":"switch","value":1,"colour":"red"}`, `trace line 2: unknown field "colour"`},
		{`{"target":"laser","kind":"output","time":"2026-11-22T10:00:00Z","action":"switch","value":1,"x":1}`, `trace line 2: unknown field "x"`},
		{`{"kind":"output","time":"2026-11-22T10:00:00Z","target":"laser","action":"switch"}`, "trace line 2: no value"},
		{`{"kind":"output","time":"2026-11-22T10:00:00Z","target":"laser","action":"switch","value":null}`, "trace line 2: no value"},
		{`{"kind":"output","time":"2026-11-22T10:00:00Z","target":"laser","value":1}`, "trace line 2: no action"},
		{`{"kind":"output","time":"2026-11-22T10:00:00Z","action":"switch","value":1}`, "trace line 2: no target"},
		{`{"kind":"output","target":"laser","action":"switch","value":1}`, "trace line 2: no time"},
		{`{"kind":"stop"}`, "trace line 2: no time"},
		{`{"kind":"resume"}`, "trace line 2: no time"},
		{`{"kind":"restart","keep_state":true}`, "trace line 2: no time"},
		{`{"kind":"stop","time":"2026-11-22T10:00:00Z","reason":"x"}`, `trace line 2: unknown field "reason"`},
		{`{"kind":"ouput","time":"2026-11-22T10:00:00Z","target":"laser","action":"switch","value":1}`, `trace line 2: unknown kind "ouput"`},
		{`{"time":"2026-11-22T10:00:00Z","target":"laser","action":"switch","value":1}`, `trace line 2: unknown kind ""`},
	} {
		err := ReadTrace(strings.NewReader(head+c.line+"\n"), New(baseLimits()))
		if err == nil || !strings.Contains(err.Error(), c.want) || errors.Is(err, ErrNotTrace) {
			t.Errorf("%s: err %v, want %q", c.line, err, c.want)
		}
	}
	// What control.Trace writes reads: a decision's own fields, in any
	// order, and an output's "error", "wall", "wall_before" and "exit".
	ok := head + `{"kind":"decision","time":"2026-11-22T10:00:00Z","event_id":"1","user_id":"u","text":"左","rule":"left","decision":"accepted","reason":"queued","grant":{"gift":"x"}}
{"text":"右","kind":"decision","time":"2026-11-22T10:00:00Z","until":"2026-11-22T10:00:00Z"}
{"kind":"output","time":"2026-11-22T10:00:00Z","wall":"2026-11-22T10:00:00Z","wall_before":"2026-11-22T09:00:00Z","exit":true,"target":"pan","action":"move","value":0,"error":""}
{"kind":"stop","time":"2026-11-22T10:00:01Z"}
{"kind":"resume","time":"2026-11-22T10:00:02Z"}
`
	if err := ReadTrace(strings.NewReader(ok), New(baseLimits())); err != nil {
		t.Errorf("a trace's lines: %v", err)
	}
}

// An input that is no trace (empty, decisions alone: an audit log, or a
// recording of chat events) is ErrNotTrace, where it read as a trace
// without a violation.
func TestReadTraceNotATrace(t *testing.T) {
	record := `{"platform":"bilibili","room":"1","kind":"chat","id":"1","time":"2026-11-22T10:00:00.000Z","user":{"id":"1","name":"a","role":"viewer"},"text":"左"}`
	for _, c := range []struct{ name, in, want string }{
		{"empty", "", "monitor: no output or restart line: is this a trace? (--record files are for replay)"},
		{"blank lines", "\n \n", "monitor: no output or restart line: is this a trace? (--record files are for replay)"},
		{"decisions alone", `{"kind":"decision","time":"2026-11-22T10:00:00Z","text":"左"}` + "\n", "monitor: no output or restart line: is this a trace? (--record files are for replay)"},
		{"a recording", record + "\n", `monitor: trace line 1: unknown kind "chat": is this a trace? (--record files are for replay)`},
	} {
		err := ReadTrace(strings.NewReader(c.in), New(baseLimits()))
		if !errors.Is(err, ErrNotTrace) || err.Error() != c.want {
			t.Errorf("%s: err %v, want %q", c.name, err, c.want)
		}
	}
}

// A gap line (the writer lost lines, on a full disk, and wrote on) ends
// what can be checked of its run: an error naming its line, after a line
// cut short too, where before the lines after it were read as if none
// were lost (the runs after it: TestReadTraceGoesOnPastAGap).
func TestReadTraceGap(t *testing.T) {
	gap := `{"kind":"gap","time":"2026-11-22T10:00:00.02Z","lost":2}` + "\n"
	after := `{"kind":"output","time":"2026-11-22T10:00:30Z","target":"laser","action":"switch","value":0}` + "\n"
	start := strings.Join(strings.SplitAfter(litLines, "\n")[:2], "")
	for _, c := range []struct{ name, in, want string }{
		{"whole lines", start + gap + after, "monitor: trace line 3: 2 line(s) lost from 2026-11-22T10:00:00.02Z on"},
		{"a line cut short", start + `{"kind":"output","ti` + "\n" + gap + after, "monitor: trace line 4: 2 line(s) lost"},
	} {
		err := ReadTraceWarn(strings.NewReader(c.in), New(baseLimits()), func(error) {})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || !strings.HasSuffix(err.Error(), "what the run did from here cannot be checked") {
			t.Errorf("%s: err %v, want %q", c.name, err, c.want)
		}
	}
}

// Each violation names the trace line it was found at: the light budget
// broken while the laser was lit, found at the line that turned it off, or
// at the next output, past a decision.
func TestReadTraceViolationLines(t *testing.T) {
	l := baseLimits()
	budget(&l)
	for _, c := range []struct {
		name, in string
		want     string
	}{
		{"off at line 4", litLines + "\n", "[4]"},
		{"at the next output", strings.Join(strings.SplitAfter(litLines, "\n")[:3], "") +
			`{"kind":"decision","time":"2026-11-22T10:00:30Z","text":"左"}` + "\n\n" +
			`{"kind":"output","time":"2026-11-22T10:00:30Z","target":"pan","action":"move","value":0}`, "[6]"},
	} {
		m := New(l)
		if err := ReadTrace(strings.NewReader(c.in), m); err != nil {
			t.Fatal(err)
		}
		var lines []int
		for _, v := range m.Violations() {
			lines = append(lines, v.Line)
		}
		if fmt.Sprint(lines) != c.want {
			t.Errorf("%s: lines %v, want %s\n%s", c.name, lines, c.want, list(m))
		}
	}
}
