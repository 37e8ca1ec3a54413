package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// openOutputTrace opens the --trace file: every output the drivers
// receive, one JSON line each, handed to the kernel as it happens (one
// write per line, no buffer), so a kill -9 loses nothing already sent to
// the hardware; and a line for each emergency stop the engine asks for
// and each resume (outputTrace.stops). The lines are those of `cattease
// replay`, so the file can be checked with `cattease verify`. Each process
// starts with a restart line: the monitor then knows the servos' positions
// are unknown, and whether the daily ledger and an emergency stop carry
// over (keepState: not a dry run; the estop file is kept beside the
// ledger). A power cut can leave the last line torn (cut short, or NUL
// bytes): the restart line then begins a line of its own, and verify reads
// on from it.
//
// A write that fails (a full disk, a file size limit) loses its line,
// and the trace writes a gap line in its place at once, where verify
// stops: if the disk has no room for it, the trace cuts off its last
// lines, enough to free a block of the file system (truncating needs no
// room), and writes the gap line there, counting the lines cut off as
// lost (control.TraceCutter); in a run's first lines that cut may take
// its restart line too (the gap line then stands in its place, after the
// runs before, which stay whole). So verify finds a gap line where lines
// went missing even when the disk stays full to the end of the run (the
// lines after it, written in the room made, are never checked), unless
// another writer takes the room a cut frees first. log is
// told of the first failed write, and of the first write that works
// past where the writes failed. closeTrace writes the gap of lines lost
// at the end if it can, logs how many lines were lost, and returns that
// number: run then exits 1.
//
// A trace that is no regular file (a FIFO, /dev/stdout into a pipe, a
// terminal) is never waited for: the motion loop writes it under the
// envelope's lock. A line the pipe has no room for, its reader slow or
// gone, is lost at once, and a gap line goes before the next line that
// goes through (nothing is cut back there); a FIFO opens at once, reader
// or not, its first lines waiting in the pipe for one.
func openOutputTrace(path string, keepState bool, log *slog.Logger) (tr outputTrace, closeTrace func() (lost int), err error) {
	if path == "" {
		return outputTrace{}, func() int { return 0 }, nil
	}
	// O_RDWR: a regular file is read for its last byte (endsLine); a
	// FIFO opens at once, reader or not, its lines waiting in the pipe.
	fh, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return outputTrace{}, nil, fmt.Errorf("cattease: --trace: %w", err)
	}
	fi, err := fh.Stat()
	if err != nil {
		fh.Close()
		return outputTrace{}, nil, fmt.Errorf("cattease: --trace: %w", err)
	}
	restart := fmt.Sprintf("{\"kind\":\"restart\",\"time\":%q,\"keep_state\":%v}\n", time.Now().UTC().Format(time.RFC3339Nano), keepState)
	var w io.Writer = fh
	stream := !fi.Mode().IsRegular()
	if stream {
		// A FIFO, /dev/stdout into a pipe, a terminal: the motion loop
		// writes the trace under the envelope's lock, and must never
		// wait for a reader that is slow or gone (the trace holds the
		// read end of a FIFO itself, so no EPIPE ends the wait).
		if w, err = nonBlocking(fh); err != nil {
			fh.Close()
			return outputTrace{}, nil, fmt.Errorf("cattease: --trace: %w", err)
		}
	}
	line := restart
	if !stream && !endsLine(fh) {
		line = "\n" + line // the last run was cut off mid-line: its torn line stays apart
	}
	if _, err := io.WriteString(w, line); err != nil {
		fh.Close()
		return outputTrace{}, nil, fmt.Errorf("cattease: --trace: %w", err)
	}
	if testHookTraceWriter != nil {
		w = testHookTraceWriter(w)
	}
	if !stream {
		if fi, err = fh.Stat(); err != nil {
			fh.Close()
			return outputTrace{}, nil, fmt.Errorf("cattease: --trace: %w", err)
		}
	}
	head := int64(len(restart)) // the trace may cut back over it (control.TraceHead), not over the newline before it
	tw := &traceWriter{w: w, size: head, path: path, log: log, stream: stream}
	var t *control.Trace
	if stream {
		t = control.NewLineTrace(tw) // nothing to cut back: a lost line's gap line goes before the next line written
	} else {
		t = control.NewLineTrace(&traceFile{traceWriter: tw, fh: fh, base: fi.Size() - head, head: head, block: control.FileBlockSize(fi)})
	}
	return outputTrace{t}, func() int {
		err := t.Close() // the gap line of the lines lost at the end, if it can
		syncFile(fh)
		fh.Close()
		lost := t.Failed()
		if lost > 0 {
			log.Error("--trace: lines could not be written: verify stops at the gap, and run exits 1", "file", path, "lost_lines", lost, "err", err)
		}
		return lost
	}, nil
}

// testHookTraceWriter, set by tests, wraps the --trace file's writer.
var testHookTraceWriter func(io.Writer) io.Writer

// traceWriter writes the --trace lines, one Write each (under the
// trace's lock). It tells log when a write first fails, and when a write
// works past the end the file had then: the writes that work before that
// may only be filling the room the trace made by cutting back, on a disk
// still full.
type traceWriter struct {
	w      io.Writer // the file, the non-blocking writer of a stream, or the test hook's
	size   int64     // the restart line and what the trace wrote since
	path   string
	log    *slog.Logger
	stream bool  // no regular file: a write never waits, and nothing is cut back
	failed int   // writes failed since the trace wrote past failAt; 0: none
	failAt int64 // size where the first of them stopped
}

func (f *traceWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	f.size += int64(n)
	switch {
	case err != nil:
		if f.failed == 0 {
			if f.stream {
				f.log.Warn("--trace: write failed; its lines are lost, and a gap line goes before the next line written (a pipe or a terminal is never waited for: its reader is slow or gone)",
					"file", f.path, "err", err)
			} else {
				f.log.Warn("--trace: write failed; its lines are lost, and the trace ends in a gap line, cutting off its last lines to make room, until a write works again",
					"file", f.path, "err", err)
			}
			f.failAt = f.size
		}
		f.failed++
	case f.failed > 0 && f.size > f.failAt:
		f.log.Info("--trace: writing again, after a gap line: verify stops there", "file", f.path, "failed_writes", f.failed)
		f.failed = 0
	}
	return n, err
}

// traceFile is the --trace file when it is a regular file: its writer,
// which can also cut it back (control.TraceCutter).
type traceFile struct {
	*traceWriter
	fh    *os.File
	base  int64 // the file's size when the trace began, before its restart line
	head  int64 // the restart line's length
	block int
}

// CutTo cuts the file back to the first n bytes the trace wrote; never
// past its end, which would fill the rest with NUL bytes. log is told
// when it cannot: the trace then writes its gap lines after what is
// there, if it can.
func (f *traceFile) CutTo(n int64) error {
	fi, err := f.fh.Stat()
	if err == nil && f.base+n > fi.Size() {
		err = fmt.Errorf("the file is %d bytes, shorter than the trace wrote", fi.Size())
	}
	if err == nil {
		err = f.fh.Truncate(f.base + n)
	}
	if err != nil {
		f.log.Warn("--trace: the file cannot be cut back to make room for a gap line: on a disk that stays full, the trace may end without one", "file", f.path, "err", err)
		return fmt.Errorf("cattease: --trace: %w", err)
	}
	f.size = n
	return nil
}

// Head is the length of the run's restart line, which the trace may cut
// off for its gap line, when the disk has no room for it after it.
func (f *traceFile) Head() int64 { return f.head }

// BlockSize is the file system's block for the file.
func (f *traceFile) BlockSize() int { return f.block }

// outputTrace is the --trace file; its zero value writes nothing.
type outputTrace struct{ t *control.Trace }

// output writes an output line.
func (o outputTrace) output(out safety.Output) {
	if o.t != nil {
		o.t.Output(out)
	}
}

// stops has eng write a line for each emergency stop it asks for and each
// resume, from every side (chat, the panel, SIGUSR1, Home Assistant, the
// stop kept in the state directory): call it before any of them can ask.
func (o outputTrace) stops(eng *control.Engine) {
	if o.t != nil {
		eng.TraceStops(o.t.Stop, o.t.Resume)
	}
}

// endsLine reports whether the file is empty or ends with a newline (or
// cannot be read: a torn line then stays glued, and verify still finds the
// restart line at its end).
func endsLine(fh *os.File) bool {
	fi, err := fh.Stat()
	if err != nil || fi.Size() == 0 {
		return true
	}
	var b [1]byte
	if _, err := fh.ReadAt(b[:], fi.Size()-1); err != nil {
		return true
	}
	return b[0] == '\n'
}
