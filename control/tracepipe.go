package control

import (
	"fmt"
	"io"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu/replay/jsonw"
)

// A piped trace builds and writes its lines on a goroutine of its own:
// the decider hands over batches of decisions and outputs, copied, and
// goes on deciding while the lines of the last batch are encoded. Order is
// kept: one queue holds both kinds. `cattease replay` uses it; the live
// audit log stays a line trace, written as each decision happens.

// pipeBatch is how many lines go over in one hand-over.
const pipeBatch = 512

type traceBatch struct {
	ds    []Decision
	os    []safety.Output
	ms    []traceMark // stop and resume lines
	kinds []lineKind  // the kind of each line, in order
}

// lineKind is the kind of a line in a batch.
type lineKind byte

const (
	lineDecision lineKind = iota
	lineOutput
	lineMark
)

type tracePipe struct {
	cur     *traceBatch
	full    chan *traceBatch // to the writer, in order
	free    chan *traceBatch // back from the writer
	flushed chan error       // the writer's answer to a nil batch
	closed  bool             // Close has ended the writer
	w       *pipeWriter
}

// pipeWriter is what only the writer goroutine touches: a buffered trace
// of its own, and its time cache. It is kept apart from the Trace the
// decider locks for every line: were the writer to read a buffer or an
// error stored next to that mutex, the cache line holding them would move
// between the cores on every lock.
type pipeWriter struct {
	times jsonw.TimeCache
	out   *Trace
}

// NewPipedTrace is NewTrace whose lines are built and written on a
// goroutine of its own. Flush waits until every line handed over is
// written; Close does that and ends the goroutine. Like NewTrace, the
// first write error stops it.
func NewPipedTrace(w io.Writer) *Trace {
	t := new(Trace)
	p := &tracePipe{full: make(chan *traceBatch, 4), free: make(chan *traceBatch, 6), flushed: make(chan error),
		w: &pipeWriter{out: NewTrace(w)}}
	for range cap(p.free) {
		p.free <- &traceBatch{ds: make([]Decision, 0, pipeBatch), kinds: make([]lineKind, 0, pipeBatch)}
	}
	p.cur = <-p.free
	t.pipe = p
	go p.writeBatches()
	return t
}

// queueDecision, queueOutput and queueMark add a line to the current
// batch, handing it over when full. The caller holds t.mu.
func (p *tracePipe) queueDecision(d *Decision) {
	p.cur.ds = append(p.cur.ds, *d)
	p.cur.kinds = append(p.cur.kinds, lineDecision)
	p.handOver(false)
}

func (p *tracePipe) queueOutput(o *safety.Output) {
	p.cur.os = append(p.cur.os, *o)
	p.cur.kinds = append(p.cur.kinds, lineOutput)
	p.handOver(false)
}

func (p *tracePipe) queueMark(m traceMark) {
	p.cur.ms = append(p.cur.ms, m)
	p.cur.kinds = append(p.cur.kinds, lineMark)
	p.handOver(false)
}

func (p *tracePipe) handOver(always bool) {
	if len(p.cur.kinds) < pipeBatch && !always {
		return
	}
	if len(p.cur.kinds) > 0 {
		p.full <- p.cur
		p.cur = <-p.free
	}
}

// writeBatches is the writer goroutine. A nil batch asks for a flush and
// an answer on flushed; a closed queue ends it.
func (p *tracePipe) writeBatches() {
	for b := range p.full {
		if b == nil {
			p.flushed <- p.w.out.flushBuffered()
			continue
		}
		p.w.writeBatch(b)
		b.ds, b.os, b.ms, b.kinds = b.ds[:0], b.os[:0], b.ms[:0], b.kinds[:0]
		p.free <- b
	}
	close(p.flushed)
}

func (w *pipeWriter) writeBatch(b *traceBatch) {
	t := w.out
	di, oi, mi := 0, 0, 0
	for _, kind := range b.kinds {
		if t.err != nil {
			return
		}
		var line []byte
		var err error
		var at time.Time
		switch kind {
		case lineOutput:
			line, err = appendOutput(t.buffer(), &b.os[oi], &w.times)
			at = b.os[oi].Time
			oi++
		case lineMark:
			line, err = appendMark(t.buffer(), b.ms[mi], &w.times)
			at = b.ms[mi].time
			mi++
		default:
			line, err = appendDecision(t.buffer(), &b.ds[di], &w.times)
			at = b.ds[di].Time
			di++
		}
		t.write(line, err, at)
	}
}

// flushPipe hands over the current batch and waits until the writer has
// written and flushed everything. The caller holds t.mu.
func (t *Trace) flushPipe() error {
	if t.pipe.closed {
		return t.closedErr()
	}
	t.pipe.handOver(true)
	t.pipe.full <- nil
	return <-t.pipe.flushed
}

// closedErr is what Flush and Close of a closed piped trace return: the
// writer's first error, which came before Close, else that a line was
// given after Close. The writer has returned, so its trace is ours to
// read. The caller holds t.mu.
func (t *Trace) closedErr() error {
	if err := t.pipe.w.out.flushBuffered(); err != nil {
		return err
	}
	if t.err != nil {
		return fmt.Errorf("control: trace: %w", t.err)
	}
	return nil
}
