package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
)

// group runs long-lived parts, each as Run(ctx) error. The first to fail,
// or to panic, cancels the rest; Wait returns once every part has returned.
// A panic is recovered into an error so that the caller's deferred halt
// still runs: a crash must never leave the laser on.
//
// A panic anywhere in the run ends it the same way: in a part, on a
// goroutine a part starts (goSafe), or on one a package starts for it
// (onPanic is their OnPanic). halt switches every output off at once,
// lasers first, and the run then ends through its error path: the
// group is cancelled with an error that names the panic and holds its
// stack, the rig parks with the lasers dark and halts again, and the
// exit code is 1, so that systemd restarts the service.
type group struct {
	ctx    context.Context
	cancel context.CancelFunc
	// halt, if set, switches every output off at once; log, if set, says
	// so. Set them before the first Go.
	halt func() error
	log  *slog.Logger
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

func newGroup(ctx context.Context) *group {
	ctx, cancel := context.WithCancel(ctx)
	return &group{ctx: ctx, cancel: cancel}
}

// Go starts f. When it returns an error other than a cancellation (see
// withoutCancellation), the
// whole group is cancelled. A nil return from a part marked stopAll also
// cancels the group (used for the part whose end means "we're done").
func (g *group) Go(name string, stopAll bool, f func(context.Context) error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		err := withoutCancellation(g.protect(name, f))
		if err != nil {
			g.fail(fmt.Errorf("%s: %w", name, err))
		}
		if stopAll {
			g.cancel()
		}
	}()
}

// fail records err and cancels the group.
func (g *group) fail(err error) {
	g.mu.Lock()
	g.errs = append(g.errs, err)
	g.mu.Unlock()
	g.cancel()
}

func (g *group) protect(name string, f func(context.Context) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = g.panicked(name, p, debug.Stack())
		}
	}()
	return f(g.ctx)
}

// panicked halts every output at once and returns the panic as an
// error, with its stack.
func (g *group) panicked(what string, value any, stack []byte) error {
	err := fmt.Errorf("panic in %s: %v\n%s", what, value, stack)
	if herr := g.haltFor(what, value); herr != nil {
		err = errors.Join(err, herr)
	}
	return err
}

// haltFor switches every output off at once for a panic in what, and
// says so; it returns the halt's error.
func (g *group) haltFor(what string, value any) error {
	var err error
	if g.halt != nil {
		err = g.halt()
	}
	if g.log != nil { // at once: the run's end, which logs the stack, may be slow to come
		if g.halt != nil {
			g.log.Error("panic; outputs halted", "in", what, "panic", value)
		} else {
			g.log.Error("panic; stopping", "in", what, "panic", value)
		}
	}
	return err
}

// stopFor ends the run at once for a panic that a part returns as its
// own error (the chat side's): every output is halted as onPanic does,
// and the group cancelled; it returns the halt's error, for the part's.
func (g *group) stopFor(what string, value any) error {
	err := g.haltFor(what, value)
	g.cancel()
	return err
}

// onPanic is the OnPanic of the packages' goroutines (web.Server,
// mqtt.Options): every output is halted at once, and the group is
// cancelled with the panic.
func (g *group) onPanic(what string, value any, stack []byte) {
	g.fail(g.panicked(what, value, stack))
}

// goSafe runs f on a goroutine of its own inside a part, and returns
// where its result will be; a panic there is handled as onPanic does,
// and the result is then nil.
func (g *group) goSafe(what string, f func() error) <-chan error {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				g.onPanic(what, p, debug.Stack())
				done <- nil
			}
		}()
		done <- f()
	}()
	return done
}

// withoutCancellation drops the cancellations from err, keeping what was
// joined to them: the motion loop ends on shutdown with
// errors.Join(ctx.Err(), haltErr, ledgerErr), and a failed halt or an
// unsaved daily ledger must not vanish with the cancellation beside it.
// An error made only of cancellations is nil.
func withoutCancellation(err error) error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var keep []error
		for _, e := range j.Unwrap() {
			if e = withoutCancellation(e); e != nil {
				keep = append(keep, e)
			}
		}
		if len(keep) == len(j.Unwrap()) {
			return err // nothing dropped: keep its words
		}
		return errors.Join(keep...)
	}
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// Wait waits for every part and returns their errors joined.
func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel()
	g.mu.Lock()
	defer g.mu.Unlock()
	return errors.Join(g.errs...)
}
