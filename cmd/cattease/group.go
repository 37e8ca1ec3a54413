package main

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// group runs long-lived parts, each as Run(ctx) error. The first to fail,
// or to panic, cancels the rest; Wait returns once every part has returned.
// A panic is recovered into an error so that the caller's deferred halt
// still runs: a crash must never leave the laser on.
type group struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	errs   []error
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
			g.mu.Lock()
			g.errs = append(g.errs, fmt.Errorf("%s: %w", name, err))
			g.mu.Unlock()
			g.cancel()
		}
		if stopAll {
			g.cancel()
		}
	}()
}

func (g *group) protect(name string, f func(context.Context) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in %s: %v\n%s", name, p, debug.Stack())
		}
	}()
	return f(g.ctx)
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
