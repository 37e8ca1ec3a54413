package control

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay"
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
	// OnBadEvent is told about every unusable event (an error that wraps
	// replay.ErrBadEvent), which is skipped; nil makes a bad event end the
	// replay with its error. Any other error from the EventReader (the
	// input failed) ends the replay with that error.
	OnBadEvent func(error)
	// OnBackInTime is told about every event whose time (see Replay) is
	// earlier than an event's before it, as it is decided: at, the latest
	// time before it, at which it is decided, and the line it came from
	// where the EventReader says (LineReader; 0 where not). nil: not told.
	OnBackInTime func(at, latest time.Time, line int)
	// Start is where the clock begins, as the live motion loop began at
	// the rig's start: its ticks count from here, not from the first
	// event. Zero: at the first event. An event earlier than Start is
	// decided at Start (OnBackInTime).
	Start time.Time
	// OnClockBack is told about every process after the first (a start
	// line, where the EventReader says: StartReader) that started earlier
	// than the latest time before it: its start, that latest time, and
	// the line of its first event (0 where the EventReader does not say).
	// Its clock was set back (a Raspberry Pi has no clock of its own and
	// boots on the time it saved last), and it kept that clock to the
	// end: its events are moved on by latest + RestartLead - start, each
	// process keeps its own spacing, as the monitor rebases a trace at a
	// restart line.
	// It is told as the process's first event is decided (not for a
	// process whose events a cancel left undecided). nil: not told.
	OnClockBack func(start, latest time.Time, line int)
	// RestartLead is how long after the latest time before it a process
	// started on a clock set back begins, at the least: its events are
	// moved on by latest + RestartLead - start. A restart takes a process
	// start and the rig's homing and hold before it moves the rig for any
	// command (cattease replay: the envelope's hold after homing), and
	// how much longer the live restart took is not recorded. Zero: the
	// process begins at that latest time.
	RestartLead time.Duration
	// OnRestart is told, as the first event of each process after the
	// first is decided, how many start lines came before it (StartReader):
	// the restarts a replay cut short (a cancel, a trace that cannot be
	// written) got to, where the EventReader's own count runs ahead of
	// the engine, as far as the events read ahead. nil: not told.
	OnRestart func(starts int)
}

// LineReader is an EventReader that also says which line of its input
// the event it read last came from (replay.Decoder), for OnBackInTime.
type LineReader interface {
	EventReader
	Line() int
}

// StartReader is an EventReader that also says which process received
// the event it read last (replay.Decoder): the time of the start line
// before it (zero: none) and how many start lines came before it, which
// tells one process from the next.
type StartReader interface {
	EventReader
	Start() time.Time
	Starts() int
}

// ReceivedReader is an EventReader that also says when the event it read
// last was received live (replay.Decoder: a --record line's "received"),
// or zero when that was not recorded.
type ReceivedReader interface {
	EventReader
	Received() time.Time
}

// Replay feeds recorded events through the engine and the motion loop on a
// virtual clock: before each event the clock advances tick by tick to the
// event's time, stepping the motion loop and the play policy, exactly as
// they would have run live, and the engine decides the event at that time.
// An event's time is when it was received live, where the EventReader
// knows it (ReceivedReader): a live run decides each event then, and not
// at the sender's timestamp, which may be whole seconds (Bilibili's gifts)
// or from another clock; without it, the event's own Time. An event whose
// time is earlier than one before it is decided at the latest time seen
// (OnBackInTime is told), unless a process started since on a clock set
// back (OnClockBack). An event whose time or receive time is not between
// replay.MinTime and replay.MaxTime is a bad event: the rig cannot count
// time there. An event in the last minute before replay.MaxTime is
// decided a minute before it, and the clock never passes MaxDrainTime, so
// no trace line reaches replay.MaxTime.
func Replay(ctx context.Context, events EventReader, eng *Engine, motion Stepper, opts ReplayOptions) error {
	_, err := ReplayUntil(ctx, events, eng, motion, opts)
	return err
}

// ReplayUntil is Replay that also returns the virtual time it ended at.
func ReplayUntil(ctx context.Context, events EventReader, eng *Engine, motion Stepper, opts ReplayOptions) (time.Time, error) {
	if opts.Drain <= 0 {
		opts.Drain = 30 * time.Second
	}
	now, latest := opts.Start, opts.Start
	if now.After(MaxDecideTime) {
		now, latest = MaxDecideTime, MaxDecideTime
	}
	r := readAhead(events, eng.current())
	defer r.stop()
	step := context.WithoutCancel(ctx) // once: advance runs for every event
	var (
		proc    = -1          // the start lines before the current process's events; -1 before the first event
		shifted time.Duration // how far the current process's events are moved on
	)
	for {
		if err := ctx.Err(); err != nil {
			return now, fmt.Errorf("control: replay: %w", err)
		}
		ev, pm, at, line, st, err := r.next() // valid until the next call
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if opts.OnBadEvent == nil || !errors.Is(err, replay.ErrBadEvent) {
				return now, fmt.Errorf("control: replay: %w", err)
			}
			opts.OnBadEvent(err)
			continue
		}
		// What to tell of this event, once it is decided.
		var restart, clockBack, goneBack bool
		var before, backAt time.Time // the latest time before it; its time, gone back
		if st.starts != proc {
			// A process of its own: the first, or one started since.
			// One whose start is earlier than the latest time ran on a
			// clock set back, to its end: its events move on with it,
			// its start RestartLead after that latest time.
			shifted = 0
			if proc >= 0 {
				restart = true
				if !st.at.IsZero() && st.at.Before(latest) {
					shifted = latest.Add(opts.RestartLead).Sub(st.at)
					clockBack, before = true, latest
				}
			}
			proc = st.starts
		}
		at = at.Add(shifted)
		if at.After(MaxDecideTime) {
			at = MaxDecideTime
		}
		if now.IsZero() {
			now, latest = at, at
		}
		if at.Before(latest) {
			goneBack, backAt = true, at
			at = latest
		}
		latest = at
		// Ticks up to the event's time, then the event at its own time
		// (after the last tick, which is at most a tick earlier).
		now = advance(ctx, step, eng, motion, now, at)
		if err := ctx.Err(); err != nil { // no event after the cancel
			return now, fmt.Errorf("control: replay: %w", err)
		}
		if restart && opts.OnRestart != nil {
			opts.OnRestart(st.starts)
		}
		if clockBack && opts.OnClockBack != nil {
			opts.OnClockBack(st.at, before, line)
		}
		if goneBack && opts.OnBackInTime != nil {
			opts.OnBackInTime(backAt, at, line) // at: the latest time before it
		}
		eng.handle(later(now, at), ev, pm)
	}
	if !now.IsZero() {
		end := now.Add(opts.Drain)
		if end.After(MaxDrainTime) {
			end = MaxDrainTime
		}
		now = advance(ctx, step, eng, motion, now, end)
	}
	return now, nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// MaxDrainTime is as far as Replay runs the clock, after the last event
// however long ReplayOptions.Drain: a second before replay.MaxTime
// (2262-01-01), which is as far as a trace may go too (cattease verify
// refuses a time from there on: the monitor counts in UnixNano, as the
// rig does). The second left holds a tick or two after the end (the
// lasers parked as at an exit).
var MaxDrainTime = replay.MaxTime.Add(-time.Second)

// MaxDecideTime is as late as Replay decides an event: one later, in the
// last minute a record may hold, is decided at it, and the default drain
// after it still fits before MaxDrainTime.
var MaxDecideTime = replay.MaxTime.Add(-time.Minute)

// MaxSteppedGap bounds how much silence Replay steps through tick by tick:
// every timer of the rig and the play layer (dead man, autoplay, sessions,
// quiet hours) runs faithfully through any gap up to a day. Past that the
// clock jumps, but only once every output is dark (a Stepper that can say
// so implements Idler), so a trace never shows light across a jump.
const MaxSteppedGap = 24 * time.Hour

// Idler is a Stepper that can say whether every switch is dark.
type Idler interface{ Idle() bool }

// advance steps the clock from now to until in motion ticks and returns the
// new time (never earlier than now).
//
// A tick's writes are all made however a cancel lands (the motion steps
// on step, ctx without its cancel), and the clock stops at the first
// minute it starts after the cancel: a replay cut short ends on a whole
// tick, as a live run does, not on writes failed "context canceled" that
// leave a laser lit in the trace.
func advance(ctx, step context.Context, eng *Engine, motion Stepper, now, until time.Time) time.Time {
	tick := motion.Tick()
	if until.Sub(now) > MaxSteppedGap {
		now = advance(ctx, step, eng, motion, now, now.Add(MaxSteppedGap))
		idle, ok := motion.(Idler)
		for limit := now.Add(time.Hour); ok && !idle.Idle() && now.Before(limit); {
			now = now.Add(tick)
			eng.Tick(now)
			motion.Step(step, now)
		}
		// Up to a tick before until. A Duration holds at most 292 years
		// (Sub saturates there), and the times Replay is given span
		// almost that (replay.MinTime to replay.MaxTime): jump as often
		// as it takes.
		for until.Sub(now) >= 2*tick {
			now = now.Add((until.Sub(now)/tick - 1) * tick)
		}
	}
	for !now.Add(tick).After(until) {
		if now.Sub(now.Truncate(time.Minute)) < tick && ctx.Err() != nil {
			return now
		}
		now = now.Add(tick)
		eng.Tick(now)
		motion.Step(step, now)
	}
	return now
}

// A reader reads events on a goroutine of its own, a batch ahead of the
// engine, so parsing a recording and deciding on it share two cores.
// Events and errors keep their order; reading ends at io.EOF or at any
// other error than a bad event.
type reader struct {
	batches chan []readItem // full batches, in order
	free    chan []readItem // emptied batches, for reuse
	done    chan struct{}   // closed by stop
	exited  chan struct{}   // closed when run returns
	cur     []readItem
	i       int
}

type readItem struct {
	ev   danmu.Event
	at   time.Time // when it was received, or ev.Time
	line int       // the line it came from, if the EventReader says
	st   procStart // its process, if the EventReader says
	pm   prematch  // for a chat event
	err  error
}

// procStart is the process that received an event (StartReader): its
// start line's time and how many start lines came before the event.
type procStart struct {
	at     time.Time
	starts int
}

// readBatch is how many events cross between the goroutines at once.
const readBatch = 256

// readAhead starts the reader; it matches chat against rules as it reads
// (the engine matches again only if its rules have changed since).
func readAhead(events EventReader, rules *Rules) *reader {
	r := &reader{
		batches: make(chan []readItem, 4),
		free:    make(chan []readItem, 6),
		done:    make(chan struct{}),
		exited:  make(chan struct{}),
	}
	go r.run(events, rules)
	return r
}

// An eventInto reads the next event into *ev, overwriting it all; the
// reader uses it when it can (replay.Decoder) and so saves copying every
// event out of a return value.
type eventInto interface {
	NextInto(ev *danmu.Event) error
}

func (r *reader) run(events EventReader, rules *Rules) {
	into, _ := events.(eventInto)
	recv, _ := events.(ReceivedReader)
	lines, _ := events.(LineReader)
	procs, _ := events.(StartReader)
	defer close(r.exited)
	defer close(r.batches)
	for {
		var batch []readItem
		select {
		case batch = <-r.free:
		case <-r.done:
			return
		default:
			batch = make([]readItem, 0, readBatch)
		}
		last := false
		for len(batch) < cap(batch) && !last {
			batch = batch[:len(batch)+1]
			it := &batch[len(batch)-1]
			if into != nil {
				it.err = into.NextInto(&it.ev)
			} else {
				it.ev, it.err = events.Next()
			}
			if it.err == nil {
				it.at = it.ev.Time
				if recv != nil {
					if t := recv.Received(); !t.IsZero() {
						it.at = t
					}
				}
				it.err = inRange(it.ev.Time, it.at)
				if lines != nil {
					it.line = lines.Line()
				}
				if procs != nil {
					it.st = procStart{procs.Start(), procs.Starts()}
				}
			}
			if it.err == nil {
				if it.ev.Kind == danmu.KindChat {
					it.pm.find(rules, it.ev.Text)
				}
			}
			// io.EOF, or an error of the input: nothing more to read
			last = it.err != nil && !errors.Is(it.err, replay.ErrBadEvent)
		}
		select {
		case r.batches <- batch:
		case <-r.done:
			return
		}
		if last {
			return
		}
	}
}

// inRange refuses, as a bad event, an event at a time the rig cannot
// count (see replay.MinTime): replay.Decoder refuses such a line itself,
// another EventReader may hand one over.
func inRange(t, at time.Time) error {
	if !replay.InRange(t) {
		at = t
	}
	if replay.InRange(at) {
		return nil
	}
	return fmt.Errorf("%w: time %s is outside the years 1970 to 2261", replay.ErrBadEvent, at.Format(time.RFC3339Nano))
}

// next returns the next event, with its prematch for a chat event, its
// time, its line and its process, or an error, in order; io.EOF at the
// end. The event stays where the reader put it, valid until the next
// call.
func (r *reader) next() (*danmu.Event, *prematch, time.Time, int, procStart, error) {
	if r.i > 0 {
		r.cur[r.i-1] = readItem{} // let the last event's strings go
	}
	if r.i == len(r.cur) {
		if r.cur != nil {
			select {
			case r.free <- r.cur[:0]:
			default:
			}
		}
		batch, ok := <-r.batches
		if !ok {
			r.cur, r.i = nil, 0
			return nil, nil, time.Time{}, 0, procStart{}, io.EOF
		}
		r.cur, r.i = batch, 0
	}
	it := &r.cur[r.i]
	r.i++
	if it.pm.m == nil {
		return &it.ev, nil, it.at, it.line, it.st, it.err
	}
	return &it.ev, &it.pm, it.at, it.line, it.st, it.err
}

// stop ends the read-ahead and waits for its goroutine, which finishes
// the Next call it may be in.
func (r *reader) stop() {
	close(r.done)
	<-r.exited
}
