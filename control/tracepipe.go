package control

import (
	"io"

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
	isOut []bool // the kind of each line, in order
}

type tracePipe struct {
	cur     *traceBatch
	full    chan *traceBatch // to the writer, in order
	free    chan *traceBatch // back from the writer
	flushed chan error       // the writer's answer to a nil batch
	closed  bool             // Close has ended the writer
	w       *pipeWriter
}

// pipeWriter is what only the writer goroutine touches, kept apart from
// Trace so that its writes do not share a cache line with the mutex and
// the batch the decider uses for every line.
type pipeWriter struct {
	times jsonw.TimeCache
}

// NewPipedTrace is NewTrace whose lines are built and written on a
// goroutine of its own. Flush waits until every line handed over is
// written; Close does that and ends the goroutine. Like NewTrace, the
// first write error stops it.
func NewPipedTrace(w io.Writer) *Trace {
	t := NewTrace(w)
	p := &tracePipe{full: make(chan *traceBatch, 4), free: make(chan *traceBatch, 6), flushed: make(chan error),
		w: new(pipeWriter)}
	for range cap(p.free) {
		p.free <- &traceBatch{ds: make([]Decision, 0, pipeBatch), isOut: make([]bool, 0, pipeBatch)}
	}
	p.cur = <-p.free
	t.pipe = p
	go t.writeBatches()
	return t
}

// queueDecision and queueOutput add a line to the current batch, handing
// it over when full. The caller holds t.mu.
func (p *tracePipe) queueDecision(d *Decision) {
	p.cur.ds = append(p.cur.ds, *d)
	p.cur.isOut = append(p.cur.isOut, false)
	p.handOver(false)
}

func (p *tracePipe) queueOutput(o *safety.Output) {
	p.cur.os = append(p.cur.os, *o)
	p.cur.isOut = append(p.cur.isOut, true)
	p.handOver(false)
}

func (p *tracePipe) handOver(always bool) {
	if len(p.cur.isOut) < pipeBatch && !always {
		return
	}
	if len(p.cur.isOut) > 0 {
		p.full <- p.cur
		p.cur = <-p.free
	}
}

// writeBatches is the writer goroutine. A nil batch asks for a flush and
// an answer on flushed; a closed queue ends it.
func (t *Trace) writeBatches() {
	p := t.pipe
	for b := range p.full {
		if b == nil {
			p.flushed <- t.flushBuffered()
			continue
		}
		t.writeBatch(b)
		b.ds, b.os, b.isOut = b.ds[:0], b.os[:0], b.isOut[:0]
		p.free <- b
	}
	close(p.flushed)
}

func (t *Trace) writeBatch(b *traceBatch) {
	di, oi := 0, 0
	for _, out := range b.isOut {
		if t.err != nil {
			return
		}
		var line []byte
		var err error
		if out {
			line, err = appendOutput(t.buffer(), &b.os[oi], &t.pipe.w.times)
			oi++
		} else {
			line, err = appendDecision(t.buffer(), &b.ds[di], &t.pipe.w.times)
			di++
		}
		t.write(line, err)
	}
}

// flushPipe hands over the current batch and waits until the writer has
// written and flushed everything. The caller holds t.mu.
func (t *Trace) flushPipe() error {
	if t.pipe.closed {
		return t.flushBuffered()
	}
	t.pipe.handOver(true)
	t.pipe.full <- nil
	return <-t.pipe.flushed
}
