package control

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
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
// (angles in degrees rounded to 0.01°; switches as "action":"switch" with
// value 1 or 0; "action":"detach" when a servo's pulses stop). Safe for
// concurrent use.
type Trace struct {
	mu  sync.Mutex
	w   *bufio.Writer
	enc *json.Encoder
	err error
}

// NewTrace writes to w; call Flush at the end.
func NewTrace(w io.Writer) *Trace {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &Trace{w: bw, enc: enc}
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
		line.Action, line.Value = "move", math.Round(o.Value*100)/100
	}
	if o.Err != nil {
		line.Error = o.Err.Error()
	}
	t.encode(line)
}

func (t *Trace) encode(v any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err == nil {
		t.err = t.enc.Encode(v)
	}
}

// Flush writes everything out and returns the first write error.
func (t *Trace) Flush() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err == nil {
		t.err = t.w.Flush()
	}
	if t.err != nil {
		return fmt.Errorf("control: trace: %w", t.err)
	}
	return nil
}
