package control

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// Trace writes the replay trace: JSON lines, one per decision
//
//	{"kind":"decision","time":…,"event_id":…,"user_id":…,"text":…,"rule":…,"decision":"accepted","reason":…}
//
// and one per output of the motion loop after the safety envelope
//
//	{"kind":"output","time":…,"target":"pan","action":"move","value":-10}
//
// (angles in degrees at full precision, so an independent monitor can
// check speeds and accelerations exactly; switches as "action":"switch" with
// value 1 or 0; "action":"detach" when a servo's pulses stop). Safe for
// concurrent use.
type Trace struct {
	mu    sync.Mutex
	w     io.Writer
	bw    *bufio.Writer // nil for a line trace
	enc   *json.Encoder
	err   error // the first error (a buffered trace stops at it)
	fails int   // lines a line trace could not write
	line  bytes.Buffer
}

// NewTrace writes to w through a buffer; call Flush at the end. The first
// write error stops the trace; Flush returns it.
func NewTrace(w io.Writer) *Trace {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &Trace{w: bw, bw: bw, enc: enc}
}

// NewLineTrace hands each line to w in one Write call, as it happens: for
// a writer that buffers and flushes on its own, such as the audit log. A
// failed line is counted (Failed) and the next one is tried anyway, so a
// writer that recovers (a disk with space again) gets the trace back.
func NewLineTrace(w io.Writer) *Trace {
	t := &Trace{w: w}
	t.enc = json.NewEncoder(&t.line) // an Encoder's write errors are sticky
	t.enc.SetEscapeHTML(false)
	return t
}

type traceDecision struct {
	Kind string `json:"kind"`
	Decision
}

type traceOutput struct {
	Kind   string    `json:"kind"`
	Time   time.Time `json:"time"`
	Target string    `json:"target"`
	Action string    `json:"action"`
	Value  float64   `json:"value"`
	Error  string    `json:"error,omitempty"`
}

// Decision writes one decision line.
func (t *Trace) Decision(d Decision) { t.encode(traceDecision{Kind: "decision", Decision: d}) }

// Output writes one output line.
func (t *Trace) Output(o safety.Output) {
	line := traceOutput{Kind: "output", Time: o.Time, Target: o.Target, Action: string(o.Action), Value: o.Value}
	if o.Action == actuators.ActionAngle {
		line.Action = "move"
	}
	if o.Err != nil {
		line.Error = o.Err.Error()
	}
	t.encode(line)
}

func (t *Trace) encode(v any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.bw == nil {
		t.line.Reset()
		err := t.enc.Encode(v)
		if err == nil {
			_, err = t.w.Write(t.line.Bytes())
		}
		if err != nil {
			t.fails++
			if t.err == nil {
				t.err = err
			}
		}
		return
	}
	if t.err == nil {
		t.err = t.enc.Encode(v)
	}
}

// Failed is how many lines a line trace could not write.
func (t *Trace) Failed() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.fails
}

// Flush writes everything out and returns the first write error.
func (t *Trace) Flush() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err == nil && t.bw != nil {
		t.err = t.bw.Flush()
	}
	if t.err != nil {
		return fmt.Errorf("control: trace: %w", t.err)
	}
	return nil
}
