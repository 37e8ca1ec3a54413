package control

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cattease/cattease/danmu"
)

// Stepper is the motion loop, stepped on a virtual clock.
type Stepper interface {
	Step(ctx context.Context, now time.Time)
	Tick() time.Duration
}

// EventReader yields recorded events in order; io.EOF ends them.
type EventReader interface {
	Next() (danmu.Event, error)
}

// ReplayOptions tune Replay.
type ReplayOptions struct {
	// Drain is how long the virtual clock runs on after the last event, so
	// queued commands finish and timers expire; default 30s.
	Drain time.Duration
	// OnBadEvent is told about every unusable event, which is skipped; nil
	// makes a bad event end the replay with its error.
	OnBadEvent func(error)
}

// Replay feeds recorded events through the engine and the motion loop on a
// virtual clock driven by the events' timestamps: before each event the
// clock advances tick by tick to the event's time, stepping the motion loop
// and the play policy, exactly as they would have run live. Events that go
// back in time are handled at the current virtual time.
func Replay(ctx context.Context, events EventReader, eng *Engine, motion Stepper, opts ReplayOptions) error {
	if opts.Drain <= 0 {
		opts.Drain = 30 * time.Second
	}
	var now time.Time
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ev, err := events.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if opts.OnBadEvent == nil {
				return fmt.Errorf("control: replay: %w", err)
			}
			opts.OnBadEvent(err)
			continue
		}
		if now.IsZero() {
			now = ev.Time
		}
		now = advance(ctx, eng, motion, now, ev.Time)
		eng.Handle(now, ev)
	}
	if !now.IsZero() {
		advance(ctx, eng, motion, now, now.Add(opts.Drain))
	}
	return nil
}

// MaxSteppedGap bounds how much silence Replay steps through tick by tick.
// Every timer in the rig (max_on, dead_man) is at most 10 minutes, so after
// MaxSteppedGap of silence nothing more can happen and the clock jumps.
const MaxSteppedGap = 15 * time.Minute

// advance steps the clock from now to until in motion ticks and returns the
// new time (never earlier than now).
func advance(ctx context.Context, eng *Engine, motion Stepper, now, until time.Time) time.Time {
	tick := motion.Tick()
	if until.Sub(now) > MaxSteppedGap {
		quiet := advance(ctx, eng, motion, now, now.Add(MaxSteppedGap))
		skipped := until.Sub(quiet) / tick * tick
		now = quiet.Add(skipped - tick)
	}
	for !now.Add(tick).After(until) {
		now = now.Add(tick)
		eng.Tick(now)
		motion.Step(ctx, now)
	}
	return now
}
