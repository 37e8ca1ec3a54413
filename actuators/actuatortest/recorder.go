package actuatortest

import (
	"context"
	"fmt"
	"sync"

	"github.com/cattease/cattease/actuators"
)

// Call is one call a Recorder saw.
type Call struct {
	Halt    bool              // a Halt call; Command is zero
	Command actuators.Command // the Command of a Do call
	Err     error             // what the wrapped actuator returned
}

func (c Call) String() string {
	s := "halt"
	if !c.Halt {
		s = "do " + c.Command.String()
	}
	if c.Err != nil {
		s += ": " + c.Err.Error()
	}
	return s
}

// Recorder is an actuators.Actuator that passes every call to Inner and
// remembers it, for tests of what the layers above a driver (the safety
// envelope, the motion loop, cmd's exit paths) actually sent down. Safe for
// concurrent use.
type Recorder struct {
	Inner actuators.Actuator

	mu    sync.Mutex
	calls []Call
}

// NewRecorder wraps inner.
func NewRecorder(inner actuators.Actuator) *Recorder { return &Recorder{Inner: inner} }

// Do implements actuators.Actuator.
func (r *Recorder) Do(ctx context.Context, c actuators.Command) error {
	err := r.Inner.Do(ctx, c)
	r.mu.Lock()
	r.calls = append(r.calls, Call{Command: c, Err: err})
	r.mu.Unlock()
	return err
}

// Halt implements actuators.Actuator.
func (r *Recorder) Halt() error {
	err := r.Inner.Halt()
	r.mu.Lock()
	r.calls = append(r.calls, Call{Halt: true, Err: err})
	r.mu.Unlock()
	return err
}

func (r *Recorder) String() string { return fmt.Sprintf("recorder(%s)", r.Inner) }

// Calls returns a copy of the calls so far, oldest first.
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Call(nil), r.calls...)
}

// Last returns the most recent call and false if there was none.
func (r *Recorder) Last() (Call, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.calls) == 0 {
		return Call{}, false
	}
	return r.calls[len(r.calls)-1], true
}

// Halted reports whether the most recent call was a successful Halt: what
// every exit path must leave behind.
func (r *Recorder) Halted() bool {
	c, ok := r.Last()
	return ok && c.Halt && c.Err == nil
}

// Reset forgets the calls so far.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.calls = nil
	r.mu.Unlock()
}

var _ actuators.Actuator = (*Recorder)(nil)
