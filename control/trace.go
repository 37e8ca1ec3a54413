package control

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu/replay/jsonw"
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
// value 1 or 0; "action":"detach" when a servo's pulses stop), and one
// per emergency stop and one per its end, from the engine that asked
// (Engine.TraceStops)
//
//	{"kind":"stop","time":…}
//	{"kind":"resume","time":…}
//
// A line trace whose writer failed writes, before the first line it can
// write again (or at Close), a gap line: the lines it lost and the time of
// the first of them, where a check of the trace must stop
//
//	{"kind":"gap","time":…,"lost":3}
//
// On a writer that can cut back what it wrote (a TraceCutter: the --trace
// file) it writes the gap line at once, where the line failed, or, on a
// disk that stays full, in the room it makes by cutting off its last
// lines, which the gap line then counts as lost: the trace ends in a gap
// line even when no write works again to the end of the run.
//
// Safe for concurrent use.
type Trace struct {
	mu     sync.Mutex
	w      io.Writer
	bw     *bufio.Writer // nil for a line trace
	err    error         // the first error (a buffered trace stops at it)
	fails  int           // lines a line trace could not write
	lost   int           // of those, the lines lost since the last line written: a gap line is due
	lostAt time.Time     // the time of the first of them
	torn   bool          // a failed write left part of a line: the gap line begins a line of its own
	lines  int           // lines handed to the trace (Lines)
	line   []byte
	pipe   *tracePipe      // set by NewPipedTrace: its writer has a Trace of its own
	cut    *lineCut        // a line trace's line starts, if its writer is a TraceCutter
	times  jsonw.TimeCache // for the lines written under mu
}

// NewTrace writes to w through a buffer; call Flush at the end. The first
// write error stops the trace; Flush returns it.
func NewTrace(w io.Writer) *Trace {
	bw := bufio.NewWriterSize(w, 64<<10)
	return &Trace{w: bw, bw: bw}
}

// NewLineTrace hands each line to w in one Write call, as it happens: for
// a writer that buffers and flushes on its own, such as the audit log. A
// failed line is counted (Failed) and the next one is tried anyway, so a
// writer that recovers (a disk with space again) gets the trace back,
// after a gap line that says how many lines it lost. On a TraceCutter a
// failed line has its gap line written at once, in room made by cutting
// back whole lines if need be (see TraceCutter).
func NewLineTrace(w io.Writer) *Trace {
	t := &Trace{w: w}
	if c, ok := w.(TraceCutter); ok {
		t.cut = newLineCut(c)
	}
	return t
}

// Decision writes one decision line.
func (t *Trace) Decision(d Decision) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines++
	if t.pipe != nil {
		if t.pipeClosed() {
			return
		}
		t.pipe.queueDecision(&d)
		return
	}
	if t.bw != nil && t.err != nil {
		return
	}
	line, err := appendDecision(t.buffer(), &d, &t.times)
	t.write(line, err, d.Time)
}

// Output writes one output line.
func (t *Trace) Output(o safety.Output) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines++
	if t.pipe != nil {
		if t.pipeClosed() {
			return
		}
		t.pipe.queueOutput(&o)
		return
	}
	if t.bw != nil && t.err != nil {
		return
	}
	line, err := appendOutput(t.buffer(), &o, &t.times)
	t.write(line, err, o.Time)
}

// Stop writes a stop line: an emergency stop the rig took at now.
func (t *Trace) Stop(now time.Time) { t.mark(traceMark{stop: true, time: now}) }

// Resume writes a resume line: the end of an emergency stop at now.
func (t *Trace) Resume(now time.Time) { t.mark(traceMark{time: now}) }

// traceMark is a stop or a resume line.
type traceMark struct {
	stop bool
	time time.Time
}

func (t *Trace) mark(m traceMark) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines++
	if t.pipe != nil {
		if t.pipeClosed() {
			return
		}
		t.pipe.queueMark(m)
		return
	}
	if t.bw != nil && t.err != nil {
		return
	}
	line, err := appendMark(t.buffer(), m, &t.times)
	t.write(line, err, m.time)
}

// appendMark appends a stop or resume line: its kind and its time.
func appendMark(dst []byte, m traceMark, tc *jsonw.TimeCache) ([]byte, error) {
	start := len(dst)
	if m.stop {
		dst = append(dst, `{"kind":"stop","time":`...)
	} else {
		dst = append(dst, `{"kind":"resume","time":`...)
	}
	dst, err := tc.Append(dst, m.time)
	if err != nil {
		return dst[:start], err
	}
	return append(dst, "}\n"...), nil
}

// buffer is where the next line is built: the free end of the buffered
// writer, or the line trace's own buffer.
func (t *Trace) buffer() []byte {
	if t.bw != nil {
		return t.bw.AvailableBuffer()
	}
	if cap(t.line) > 64<<10 {
		t.line = nil // a huge line once does not pin its buffer
	}
	return t.line[:0]
}

// write hands a built line on, or records why it could not be built. A
// line trace that lost lines puts a gap line before the next one it
// writes, in the same Write; on a TraceCutter, a line whose write fails
// has its gap line written at once (cutBack). at is the line's time.
func (t *Trace) write(line []byte, err error, at time.Time) {
	if t.bw != nil {
		if err == nil {
			_, err = t.w.Write(line)
		}
		if err != nil && t.err == nil {
			t.err = err
		}
		return
	}
	if t.cut != nil {
		t.cut.given(at)
	}
	if err != nil {
		t.lose(at, err)
		return
	}
	t.line = line
	if t.lost > 0 {
		t.writeAfterGap(line, at)
		return
	}
	c := t.cut
	if c != nil && c.off >= c.next {
		c.push(t.lineHere(at))
	}
	n, err := t.w.Write(line)
	if err != nil {
		t.failed(n, err, at)
		return
	}
	if c != nil {
		c.off += int64(len(line))
		c.hard = true
	}
}

// writeAfterGap writes line after the gap line of the lines lost before
// it, in one Write.
func (t *Trace) writeAfterGap(line []byte, at time.Time) {
	var gap lineStart // where the gap line goes, on a TraceCutter
	if t.cut != nil {
		t.cut.note(t, at)
		gap = t.lineHere(at)
	}
	buf := t.appendGap(make([]byte, 0, 96+len(line)), at)
	gapLen := len(buf)
	buf = append(buf, line...)
	n, err := t.w.Write(buf)
	if err != nil {
		t.failed(n, err, at)
		return
	}
	if c := t.cut; c != nil {
		c.off += int64(len(buf))
		c.hard = true
		c.wroteGap(gap, buf[:gapLen], t.lost, true, at)
	}
	t.lost, t.torn = 0, false
}

// failed counts the line of time at whose write failed with err, having
// written n bytes of it; on a TraceCutter it writes the gap line at once.
func (t *Trace) failed(n int, err error, at time.Time) {
	t.lose(at, err)
	if t.cut != nil {
		t.cutBack(int64(n), at, false)
		return
	}
	t.torn = t.torn || n > 0
}

// lose counts a line of time at that could not be written, for err.
func (t *Trace) lose(at time.Time, err error) {
	t.fails++
	if t.lost == 0 {
		t.lostAt = at
	}
	t.lost++
	if t.err == nil {
		t.err = err
	}
}

// appendGap appends the gap line of the lines lost: the time of the first
// (or, were it out of JSON's years, at, the time of the line after them),
// and how many; after a write that left part of a line, on a line of its
// own.
func (t *Trace) appendGap(dst []byte, at time.Time) []byte {
	if t.torn {
		dst = append(dst, '\n')
	}
	dst = append(dst, `{"kind":"gap","time":`...)
	mark := len(dst)
	var err error
	for _, tm := range [...]time.Time{t.lostAt, at, time.Unix(0, 0).UTC()} {
		if dst, err = jsonw.Time(dst[:mark], tm); err == nil {
			break
		}
	}
	dst = append(dst, `,"lost":`...)
	dst = jsonw.Int(dst, int64(t.lost))
	return append(dst, "}\n"...)
}

// appendDecision appends d as encoding/json wrote traceDecision (the kind
// first, then Decision's fields with their omitempty rules), each string
// clipped as newDecision clips the viewer's (clip): a decision line stays
// well under the monitor's longest line (monitor.MaxLine), whatever the
// engine copied into it (a moderator's target, a gift's name).
func appendDecision(dst []byte, d *Decision, tc *jsonw.TimeCache) ([]byte, error) {
	start := len(dst)
	dst = append(dst, `{"kind":"decision","time":`...)
	dst, err := tc.Append(dst, d.Time)
	if err != nil {
		return dst[:start], err
	}
	dst = append(dst, `,"event_id":`...)
	dst = jsonw.String(dst, clip(d.EventID))
	dst = append(dst, `,"platform":`...)
	dst = jsonw.String(dst, clip(d.Platform))
	dst = append(dst, `,"user_id":`...)
	dst = jsonw.String(dst, clip(d.UserID))
	dst = append(dst, `,"user_name":`...)
	dst = jsonw.String(dst, clip(d.UserName))
	if d.Role != "" {
		dst = append(dst, `,"role":`...)
		dst = jsonw.String(dst, clip(string(d.Role)))
	}
	if d.Masked {
		dst = append(dst, `,"masked":true`...)
	}
	dst = append(dst, `,"text":`...)
	dst = jsonw.String(dst, clip(d.Text))
	dst = append(dst, `,"rule":`...)
	dst = jsonw.String(dst, clip(d.Rule))
	dst = append(dst, `,"decision":`...)
	dst = jsonw.String(dst, string(d.Outcome))
	dst = append(dst, `,"reason":`...)
	dst = jsonw.String(dst, string(d.Reason))
	if d.Repeat != 0 {
		dst = append(dst, `,"repeat":`...)
		dst = jsonw.Int(dst, int64(d.Repeat))
	}
	if d.RetryAfter != 0 {
		dst = append(dst, `,"retry_after_ns":`...)
		dst = jsonw.Int(dst, int64(d.RetryAfter))
	}
	dst, err = appendRoom(dst, d)
	if err != nil {
		return dst[:start], err
	}
	return append(dst, "}\n"...), nil
}

// appendRoom writes the room's fields of a decision: combo, target,
// until, policy and a gift's grant, each only when set.
func appendRoom(dst []byte, d *Decision) ([]byte, error) {
	for _, f := range [...]struct{ key, v string }{{"combo", d.Combo}, {"target", d.Target}, {"policy", d.Policy}} {
		if f.v != "" {
			dst = append(dst, `,"`+f.key+`":`...)
			dst = jsonw.String(dst, clip(f.v))
		}
	}
	if !d.Until.IsZero() {
		var err error
		dst = append(dst, `,"until":`...)
		if dst, err = jsonw.Time(dst, d.Until); err != nil {
			return dst, err
		}
	}
	if g := d.Grant; g != nil {
		dst = append(dst, `,"grant":{"gift":`...)
		dst = jsonw.String(dst, clip(g.Gift))
		for _, f := range [...]struct {
			key string
			v   int64
		}{{"count", int64(g.Count)}, {"value_cents", g.ValueCents}, {"priority", int64(g.Priority)},
			{"extra", int64(g.Extra)}, {"exclusive_ns", int64(g.Exclusive)}} {
			if f.v != 0 || f.key == "value_cents" {
				dst = append(dst, `,"`+f.key+`":`...)
				dst = jsonw.Int(dst, f.v)
			}
		}
		if g.Pattern != "" {
			dst = append(dst, `,"pattern":`...)
			dst = jsonw.String(dst, clip(g.Pattern))
		}
		dst = append(dst, '}')
	}
	return dst, nil
}

// appendOutput appends o as encoding/json wrote traceOutput, with "wall"
// after "time" when the output carries the wall clock's reading (a live
// run's clock kept to real time across a step of the wall clock): the
// monitor reads quiet hours on it; and "wall_before" after that at the
// tick of a step (the wall clock's reading the tick before), from which
// the monitor lets the park that follows a step into quiet hours through;
// and "exit":true after them on the outputs of Run's park on its way out
// (Output.Exit), which the monitor lets through in quiet hours as that
// park.
func appendOutput(dst []byte, o *safety.Output, tc *jsonw.TimeCache) ([]byte, error) {
	start := len(dst)
	dst = append(dst, `{"kind":"output","time":`...)
	dst, err := tc.Append(dst, o.Time)
	if err != nil {
		return dst[:start], err
	}
	if !o.Wall.IsZero() {
		dst = append(dst, `,"wall":`...)
		if dst, err = jsonw.Time(dst, o.Wall); err != nil {
			return dst[:start], err
		}
	}
	if !o.WallBefore.IsZero() {
		dst = append(dst, `,"wall_before":`...)
		if dst, err = jsonw.Time(dst, o.WallBefore); err != nil {
			return dst[:start], err
		}
	}
	if o.Exit {
		dst = append(dst, `,"exit":true`...)
	}
	dst = append(dst, `,"target":`...)
	dst = jsonw.String(dst, o.Target)
	dst = append(dst, `,"action":`...)
	action := string(o.Action)
	if o.Action == actuators.ActionAngle {
		action = "move"
	}
	dst = jsonw.String(dst, action)
	dst = append(dst, `,"value":`...)
	if dst, err = jsonw.Float(dst, o.Value); err != nil {
		return dst[:start], err
	}
	if o.Err != nil { // even with no words: the output was not delivered
		dst = append(dst, `,"error":`...)
		dst = jsonw.String(dst, o.Err.Error())
	}
	return append(dst, "}\n"...), nil
}

// Failed is how many lines a line trace could not write, and how many
// lines a piped trace was given after Close.
func (t *Trace) Failed() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.fails
}

// Lines is how many lines the trace was given so far (with Flush, the
// number of the last line written): a check fed alongside names the line
// of what it finds.
func (t *Trace) Lines() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lines
}

// Flush writes everything out and returns the first write error.
func (t *Trace) Flush() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pipe != nil {
		return t.flushPipe()
	}
	return t.flushBuffered()
}

// flushBuffered flushes the buffered writer; for a piped trace, only its
// writer goroutine calls it.
func (t *Trace) flushBuffered() error {
	if t.err == nil && t.bw != nil {
		t.err = t.bw.Flush()
	}
	if t.err != nil {
		return fmt.Errorf("control: trace: %w", t.err)
	}
	return nil
}

// Close flushes and, for a piped trace, ends its writer goroutine; the
// trace takes no lines after it. A line trace that lost lines since its
// last line written tries to write their gap line; it returns an error
// if it ever lost a line.
func (t *Trace) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.bw == nil && t.pipe == nil {
		return t.closeLines()
	}
	if t.pipe == nil {
		return t.flushBuffered()
	}
	if t.pipe.closed {
		return t.closedErr()
	}
	err := t.flushPipe()
	close(t.pipe.full)
	<-t.pipe.flushed // closed when the writer has returned
	t.pipe.closed = true
	return err
}

// pipeClosed reports whether a piped trace was closed; a line given after
// that is counted as failed, with an error for Flush. The caller holds t.mu.
func (t *Trace) pipeClosed() bool {
	if !t.pipe.closed {
		return false
	}
	t.fails++
	if t.err == nil {
		t.err = errors.New("trace closed")
	}
	return true
}

// closeLines closes a line trace. The caller holds t.mu.
func (t *Trace) closeLines() error {
	switch {
	case t.lost == 0:
	case t.cut != nil:
		t.cutBack(0, t.lostAt, true)
	default:
		if _, err := t.w.Write(t.appendGap(nil, t.lostAt)); err == nil {
			t.lost, t.torn = 0, false
		}
	}
	if t.fails > 0 {
		return fmt.Errorf("control: trace: %d line(s) could not be written: %w", t.fails, t.err)
	}
	return nil
}
