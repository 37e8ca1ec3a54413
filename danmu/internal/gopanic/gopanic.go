// Package gopanic carries a panic from a goroutine of a chat source's own
// (a heartbeat writer, a reader, a background lookup) to the goroutine
// running Stream, which raises it again: there the caller's guard
// recovers it (cattease halts the rig); on the source's own goroutine
// nothing could, and the process would end without its halt.
package gopanic

import (
	"fmt"
	"runtime/debug"
)

// Panic is a recovered panic with the stack it was raised on.
type Panic struct {
	Where string // "douyu: panic reading": the package and what it was doing
	Value any
	Stack []byte
}

// Of is the panic value recovered while doing where, with the stack of
// the goroutine recovering it (call it in the deferred function).
func Of(where string, value any) *Panic {
	return &Panic{Where: where, Value: value, Stack: debug.Stack()}
}

func (p *Panic) Error() string {
	return fmt.Sprintf("%s: %v\n%s", p.Where, p.Value, p.Stack)
}
