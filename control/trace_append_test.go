package control

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu"
)

var traceOddStrings = []string{
	"", "左3", `a"b`, `back\slash`, "<script>&amp;</script>", "tab\tnl\nret\rbs\bff\f",
	"\x00\x01\x1f\x7f", "bad \xff utf8 \xc3", "\xed\xa0\x80", "line\u2028para\u2029", "😀", "pan", "laser",
}

// The encoding/json forms the trace wrote before its appenders.
type refDecision struct {
	Kind string `json:"kind"`
	Decision
}

type refOutput struct {
	Kind   string    `json:"kind"`
	Time   time.Time `json:"time"`
	Target string    `json:"target"`
	Action string    `json:"action"`
	Value  float64   `json:"value"`
	Error  *string   `json:"error,omitempty"` // "" too: the output was not delivered
}

func refEncode(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func randomTime(r *rand.Rand) time.Time {
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.Local}
	return time.Date(2000+r.IntN(40), 11, 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60),
		[]int{0, 1, 20e6, r.IntN(1e9)}[r.IntN(4)], zones[r.IntN(len(zones))])
}

// Trace lines are byte for byte what encoding/json wrote, on many
// decisions and outputs with odd strings and odd numbers, in both the
// buffered trace and the line trace.
func TestTraceMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	s := func() string { return traceOddStrings[r.IntN(len(traceOddStrings))] }
	values := []float64{0, math.Copysign(0, -1), -10, 12.5, 1.0 / 3, 1e-7, 1e21, 45.000000000000014, -89.99999}
	errs := []error{nil, errors.New(""), errors.New("i2c: write: \"bus\" <gone>\n")}
	var want, buffered, lines, piped bytes.Buffer
	bt, lt, pt := NewTrace(&buffered), NewLineTrace(&lines), NewPipedTrace(&piped)
	for i := range 20_000 {
		if i%7_000 == 0 {
			if err := pt.Flush(); err != nil { // a flush mid-way loses and reorders nothing
				t.Fatal(err)
			}
		}
		if r.IntN(2) == 0 {
			d := Decision{Time: randomTime(r), EventID: s(), Platform: s(), UserID: s(), UserName: s(),
				Role: danmu.Role([]string{"", "viewer", s()}[r.IntN(3)]), Masked: r.IntN(2) == 0, Text: s() + s(),
				Rule: s(), Outcome: Outcome(s()), Reason: actuators.Reason(s()), Repeat: r.IntN(3) - 1,
				RetryAfter: time.Duration(r.IntN(3)-1) * time.Duration(r.Int64N(1e12))}
			if err := refEncode(&want, refDecision{Kind: "decision", Decision: d}); err != nil {
				t.Fatal(err)
			}
			bt.Decision(d)
			lt.Decision(d)
			pt.Decision(d)
			continue
		}
		o := safety.Output{Time: randomTime(r), Target: s(),
			Action: []actuators.Action{actuators.ActionAngle, actuators.Action(s())}[r.IntN(2)],
			Value:  values[r.IntN(len(values))] + float64(r.IntN(2))*r.NormFloat64(), Err: errs[r.IntN(len(errs))]}
		ref := refOutput{Kind: "output", Time: o.Time, Target: o.Target, Action: string(o.Action), Value: o.Value}
		if o.Action == actuators.ActionAngle {
			ref.Action = "move"
		}
		if o.Err != nil {
			msg := o.Err.Error()
			ref.Error = &msg
		}
		if err := refEncode(&want, ref); err != nil {
			t.Fatal(err)
		}
		bt.Output(o)
		lt.Output(o)
		pt.Output(o)
	}
	if err := bt.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := pt.Close(); err != nil {
		t.Fatal(err)
	}
	if lt.Failed() != 0 {
		t.Fatalf("%d lines failed", lt.Failed())
	}
	for name, got := range map[string][]byte{"buffered": buffered.Bytes(), "line": lines.Bytes(), "piped": piped.Bytes()} {
		if !bytes.Equal(got, want.Bytes()) {
			g, w := bytes.Split(got, []byte("\n")), bytes.Split(want.Bytes(), []byte("\n"))
			for i := range min(len(g), len(w)) {
				if !bytes.Equal(g[i], w[i]) {
					t.Fatalf("%s trace line %d:\n got %s\nwant %s", name, i+1, g[i], w[i])
				}
			}
			t.Fatalf("%s trace: %d lines, want %d", name, len(g), len(w))
		}
	}
}

// A value encoding/json refuses (NaN) stops a buffered trace with an error
// and is counted by a line trace, which carries on after a gap line.
func TestTraceUnencodableValue(t *testing.T) {
	var buf, lines, piped bytes.Buffer
	bt, lt, pt := NewTrace(&buf), NewLineTrace(&lines), NewPipedTrace(&piped)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, tr := range []*Trace{bt, lt, pt} {
		tr.Output(safety.Output{Time: now, Target: "pan", Action: actuators.ActionAngle, Value: math.NaN()})
		tr.Output(safety.Output{Time: now, Target: "pan", Action: actuators.ActionAngle, Value: 1})
	}
	if err := bt.Flush(); err == nil || buf.Len() != 0 {
		t.Fatalf("buffered: %v, %q", err, buf.String())
	}
	if err := pt.Close(); err == nil || piped.Len() != 0 {
		t.Fatalf("piped: %v, %q", err, piped.String())
	}
	pt.Decision(Decision{Time: now}) // after Close: counted, not written, no panic
	if err := pt.Flush(); err == nil || pt.Failed() != 1 || piped.Len() != 0 {
		t.Fatalf("piped after Close: %v, %d failed, %q", err, pt.Failed(), piped.String())
	} else if err.Error() != bt.Flush().Error() {
		t.Errorf("piped after Close: %v, want the write error that came first, as the buffered trace's %v", err, bt.Flush())
	}
	if lt.Failed() != 1 || lines.String() != `{"kind":"gap","time":"2026-11-22T10:00:00Z","lost":1}`+"\n"+
		`{"kind":"output","time":"2026-11-22T10:00:00Z","target":"pan","action":"move","value":1}`+"\n" {
		t.Fatalf("line trace: %d failed, %q", lt.Failed(), lines.String())
	}
}
