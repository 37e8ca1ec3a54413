// Package replay reads and writes recorded events as JSON lines, the form
// of `cattease run --record FILE` and the input of `cattease replay FILE`:
// one danmu.Event per line, in the JSON form documented on danmu.Event,
// with "received", when cattease received it, after the event's fields
// (Record; records made before it have none). A record also holds a start
// line, {"kind":"start","time":…}, where a process that records began
// (WriteStart; records made before they were written have none): the
// Decoder skips it and tells its time (Decoder.Start), so a replay starts
// its rig where the live run started its own.
//
// Recorded files are untrusted input: lines are size-capped, every bad line
// is an error naming its line number, and nothing panics.
package replay

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/cattease/cattease/danmu"
)

// MaxLine caps one recorded event: a longer line, its newline included,
// is one bad line, and the decoder reads on from the next.
const MaxLine = 1 << 20

// readBuffer is the reader's buffer: most lines fit in it and are parsed
// where they lie; a longer one is gathered into Decoder.long.
const readBuffer = 64 << 10

// Decoder reads events from a JSONL stream.
type Decoder struct {
	br     *bufio.Reader
	long   []byte // a line longer than br's buffer, gathered
	line   int
	done   bool      // the input has ended (io.EOF or a read error)
	start  time.Time // the last start line's time; zero before one
	starts int       // start lines read
	p      lineParser
}

// NewDecoder reads from r.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{br: bufio.NewReaderSize(r, readBuffer)}
}

// Next returns the next event, io.EOF at the end, or an error naming the
// line. Blank lines are skipped, and so are start lines, which Start and
// Starts tell of (a line of kind start with more than its kind and time,
// or a time outside MinTime to MaxTime, is a bad line). A bad line (not
// an event, or longer than MaxLine) is an error wrapping ErrBadEvent, and
// the next call reads on from the line after it. Any other error is the
// input's (a read error): the input has ended there, and every later call
// returns io.EOF.
func (d *Decoder) Next() (danmu.Event, error) {
	var ev danmu.Event
	err := d.NextInto(&ev)
	return ev, err
}

// NextInto is Next that reads the event into *ev, which it overwrites
// whole, for a caller that keeps events in a slice of its own (replay's
// read-ahead) and so saves copying each one out.
func (d *Decoder) NextInto(ev *danmu.Event) error {
	for !d.done {
		b, err := d.readLine()
		if errors.Is(err, errTooLong) {
			d.line++
			*ev = danmu.Event{}
			return fmt.Errorf("replay: line %d: %w: longer than %d bytes", d.line, ErrBadEvent, MaxLine)
		}
		if err != nil {
			d.done = true
			if !errors.Is(err, io.EOF) {
				*ev = danmu.Event{}
				return fmt.Errorf("replay: line %d: %w", d.line+1, err)
			}
			if len(b) == 0 {
				break
			}
			// the last line, without a newline, is read like the others
		}
		d.line++
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		if err := d.p.parseLine(b, ev); err != nil {
			if errors.Is(err, errStart) {
				d.start, d.starts = d.p.start, d.starts+1
				continue
			}
			return fmt.Errorf("replay: line %d: %w", d.line, err)
		}
		return nil
	}
	*ev = danmu.Event{}
	return io.EOF
}

// errTooLong is a line longer than MaxLine, whose rest readLine skipped.
var errTooLong = errors.New("line too long")

// readLine returns the next line with its newline, valid until the next
// call: the last line without one along with io.EOF, errTooLong for a line
// longer than MaxLine (read and dropped to its newline), or a read error.
func (d *Decoder) readLine() ([]byte, error) {
	b, err := d.br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return b, err
	}
	d.long = append(d.long[:0], b...)
	for {
		b, err = d.br.ReadSlice('\n')
		if len(d.long)+len(b) > MaxLine {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = d.br.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			return nil, errTooLong
		}
		d.long = append(d.long, b...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return d.long, err
		}
	}
}

// Line is the number of the line last read.
func (d *Decoder) Line() int { return d.line }

// Start is the time of the last start line read so far (zero: none): when
// the process that recorded the events after it started, and with it its
// rig, homed at once. The start line before an event is its process's.
func (d *Decoder) Start() time.Time { return d.start }

// Starts is how many start lines were read so far: one per process that
// recorded, so those after the first event are restarts.
func (d *Decoder) Starts() int { return d.starts }

// Received is when the event last read was received live, from its line's
// "received"; zero for a line without one (records made before it was
// written, events written by hand).
func (d *Decoder) Received() time.Time { return d.p.received }

// ErrBadEvent marks a line that is not a usable event: not JSON, not an
// event, or longer than MaxLine. Reading goes on after it.
var ErrBadEvent = errors.New("bad event")

// Parse decodes one event and checks the fields replay relies on. A start
// line is no event: an error wrapping ErrBadEvent.
func Parse(b []byte) (danmu.Event, error) {
	var (
		p  lineParser
		ev danmu.Event
	)
	err := p.parseLine(b, &ev)
	if errors.Is(err, errStart) {
		return danmu.Event{}, fmt.Errorf("%w: a start line, not an event", ErrBadEvent)
	}
	return ev, err
}

// KindStart is the kind of a start line (WriteStart), which is no event's.
const KindStart danmu.Kind = "start"

// errStart is parseLine's for a start line, whose time it leaves in
// p.start: the Decoder reads on.
var errStart = errors.New("a start line")

// parseLine is Parse through the fast reader (parse.go), with the general
// one for every line it hands over; the line's "received" is left in
// p.received. A start line is errStart, ev zero, its time in p.start.
func (p *lineParser) parseLine(b []byte, ev *danmu.Event) error {
	if p.parse(b, ev) {
		if ev.Kind == KindStart {
			return p.startLine(ev)
		}
		return check(ev, p.received)
	}
	*ev, p.received = danmu.Event{}, time.Time{}
	if err := decodeGeneral(b, ev, &p.received); err != nil {
		return err
	}
	if ev.Kind == KindStart {
		return p.startLine(ev)
	}
	return check(ev, p.received)
}

// startLine checks the start line read into ev and p.received: its kind
// and its time, nothing else. It returns errStart with the time in
// p.start, or an error wrapping ErrBadEvent; ev is left zero.
func (p *lineParser) startLine(ev *danmu.Event) error {
	at, received := ev.Time, p.received
	only := *ev == danmu.Event{Kind: KindStart, Time: at}
	*ev, p.received = danmu.Event{}, time.Time{}
	switch {
	case !only || !received.IsZero():
		return fmt.Errorf("%w: a start line holds its kind and time only", ErrBadEvent)
	case at.IsZero():
		return fmt.Errorf("%w: a start line without a time", ErrBadEvent)
	case !InRange(at):
		return fmt.Errorf("%w: start %s is outside the years 1970 to 2261", ErrBadEvent, at.Format(time.RFC3339Nano))
	}
	p.start = at
	return errStart
}

// parseGeneral is the encoding/json reader: strict about unknown fields,
// loose about key case, as replay has always read events. A line is one
// event and nothing else: a json.Decoder stops after the first value, so
// what follows it (a second event glued on by a lost newline, garbage) is
// refused here rather than silently lost. ev and *received must be zero;
// the line's Record is read into them.
func parseGeneral(b []byte, ev *danmu.Event, received *time.Time) error {
	if err := decodeGeneral(b, ev, received); err != nil {
		return err
	}
	return check(ev, *received)
}

// decodeGeneral is parseGeneral without the checks of check.
func decodeGeneral(b []byte, ev *danmu.Event, received *time.Time) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var rec Record
	err := dec.Decode(&rec)
	*ev, *received = rec.Event, rec.Received
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadEvent, err)
	}
	if rest := bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		*ev, *received = danmu.Event{}, time.Time{}
		return fmt.Errorf("%w: more after the event, from byte %d", ErrBadEvent, len(b)-len(rest)+1)
	}
	return nil
}

// The times a record may hold, its "time" and its "received": from MinTime
// to before MaxTime, the years 1970 to 2261. A time.Time holds any year,
// but the rig counts its light in int64 nanoseconds since 1970
// (UnixNano), which end on 2262-04-11 and which it takes to be positive:
// a replay at a time outside them would overflow, or index by a negative
// count. The months left at the end hold every window the rig looks ahead
// over. A replay's clock stops a second before MaxTime
// (control.MaxDrainTime), as far as a trace's times may go.
var (
	MinTime = time.Unix(0, 0).UTC()
	MaxTime = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
)

// InRange reports whether t is a time a record may hold (MinTime to
// before MaxTime).
func InRange(t time.Time) bool { return !t.Before(MinTime) && t.Before(MaxTime) }

// check refuses events replay cannot use, received at received (zero: not
// recorded), and fills the default role.
func check(ev *danmu.Event, received time.Time) error {
	switch {
	case !ev.Kind.Valid():
		return fmt.Errorf("%w: unknown kind %q", ErrBadEvent, ev.Kind)
	case ev.User.Role != "" && !ev.User.Role.Valid():
		return fmt.Errorf("%w: unknown role %q", ErrBadEvent, ev.User.Role)
	case ev.Time.IsZero():
		return fmt.Errorf("%w: no time", ErrBadEvent)
	case !InRange(ev.Time):
		return fmt.Errorf("%w: time %s is outside the years 1970 to 2261", ErrBadEvent, ev.Time.Format(time.RFC3339Nano))
	case !received.IsZero() && !InRange(received):
		return fmt.Errorf("%w: received %s is outside the years 1970 to 2261", ErrBadEvent, received.Format(time.RFC3339Nano))
	}
	if ev.User.Role == "" {
		ev.User.Role = danmu.RoleViewer
	}
	return nil
}

// Writer appends events as JSON lines; safe for concurrent use.
type Writer struct {
	mu   sync.Mutex
	bw   *bufio.Writer // nil for a line writer
	w    io.Writer     // a line writer's destination
	line []byte        // a line writer encodes here first
}

// NewWriter writes to w through a buffer. Call Flush before closing w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{bw: bufio.NewWriter(w)}
}

// NewLineWriter hands each event to w as one line in one Write call, with
// no buffer of its own: for a writer that buffers and flushes by itself
// (the --record file). An error is returned for that event only; the next
// Write tries again.
func NewLineWriter(w io.Writer) *Writer {
	return &Writer{w: w}
}

// Write appends ev.
func (w *Writer) Write(ev danmu.Event) error { return w.WriteReceived(ev, time.Time{}) }

// WriteReceived appends the Record of ev, received at received (zero: not
// written).
func (w *Writer) WriteReceived(ev danmu.Event, received time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var err error
	if w.bw != nil {
		var line []byte
		if line, err = AppendRecord(w.bw.AvailableBuffer(), ev, received); err == nil {
			_, err = w.bw.Write(line)
		}
	} else if w.line, err = AppendRecord(w.line[:0], ev, received); err == nil {
		_, err = w.w.Write(w.line)
	}
	if err != nil {
		return fmt.Errorf("replay: record: %w", err)
	}
	return nil
}

// WriteStart appends a start line at t: a process that records began then
// (Decoder.Start).
func (w *Writer) WriteStart(t time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var err error
	if w.bw != nil {
		var line []byte
		if line, err = AppendStart(w.bw.AvailableBuffer(), t); err == nil {
			_, err = w.bw.Write(line)
		}
	} else if w.line, err = AppendStart(w.line[:0], t); err == nil {
		_, err = w.w.Write(w.line)
	}
	if err != nil {
		return fmt.Errorf("replay: record: %w", err)
	}
	return nil
}

// Flush writes buffered events out.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.bw == nil {
		return nil
	}
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("replay: record: %w", err)
	}
	return nil
}

// Source sends every event of a recording as fast as it is taken, for
// feeding a recording into a live `run`. Bad lines are counted and skipped.
type Source struct {
	In       io.Reader
	Counters *danmu.Counters
}

// Run is Stream with the events sent one by one on out, which it never
// closes.
func (s *Source) Run(ctx context.Context, out chan<- danmu.Event) error {
	return s.Stream(ctx, danmu.Forward(ctx, out))
}

// Stream hands emit the events, a batch of one each, until the input ends
// (returning nil) or ctx is done.
func (s *Source) Stream(ctx context.Context, emit func([]danmu.Event) error) error {
	d := NewDecoder(s.In)
	for {
		ev, err := d.Next()
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.Is(err, ErrBadEvent):
			s.Counters.Inc("decode_error:bad_event")
			continue
		case err != nil:
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := emit([]danmu.Event{ev}); err != nil {
			return err
		}
	}
}
