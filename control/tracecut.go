package control

import (
	"io"
	"time"
)

// A TraceCutter is a line trace's writer that can cut what it was given
// back to the end of a line: a file, whose truncation needs no free
// space. On a full disk (or at a file size limit) the last write that
// failed would otherwise leave the trace without its gap line, when the
// disk stays full to the end of the run: no later line, and not Close,
// could write it, and the trace would read as whole up to where it
// stops. So a line trace whose write fails on a TraceCutter cuts off
// the part of the line written, if any, and writes its gap line there;
// if that fails too, it cuts back whole lines, at least BlockSize bytes,
// which frees a block of the file system, and writes the gap line there,
// counting the lines it cut off with those lost, from the time of the
// first line cut (NewLineTrace). A gap line written again with a longer
// count that does not fit has the one it replaced written back.
//
// What no trace can help: another writer on the disk that takes the room
// a cut frees before the gap line is written there. The trace then ends
// in whole lines and no gap line, and cuts back once more only after a
// line written, a gap line lost, or at Close.
//
// A TraceCutter may hold a line of its own before the trace's first line
// (the --trace file's restart line), which the trace may cut back over:
// its method Head (TraceHead) says how many bytes long, and CutTo's n
// counts them, as written before the trace began. A trace short enough
// that a cut of a block reaches its start cuts that line off too, and
// writes the gap line in its place: it is about as long, and fitted.
type TraceCutter interface {
	io.Writer
	// CutTo cuts what the trace wrote (all it gave Write since it began)
	// back to its first n bytes.
	CutTo(n int64) error
	// BlockSize is the file system's block for the file (st_blksize,
	// FileBlockSize); 0 or less reads as 4096.
	BlockSize() int
}

// TraceHead is a TraceCutter's optional method (see TraceCutter): Head
// is the length of the line it holds before the trace's, 0 for none.
type TraceHead interface {
	Head() int64
}

// lineStart is where a line begins in what a line trace wrote.
type lineStart struct {
	off   int64
	lines int       // lines given to the trace before the line that begins here
	fails int       // of those, the lines lost
	at    time.Time // the time of the line that begins here (with a gap line, of the first line it counts)
}

// lineCut is what a line trace on a TraceCutter keeps to cut back: the
// end of what it wrote, and a few line starts, at least step bytes
// apart, the newest last. Eight of them a quarter of a block apart reach
// back more than a block: a cut of at least a block finds a line start.
// The first start (offset 0: the first line, or the TraceCutter's head
// line) is kept until the ring pushes it out, so that a short trace can
// cut back all it wrote. A line costs a comparison; a start is kept every
// quarter block (some ten output lines), with no allocation.
type lineCut struct {
	w       TraceCutter
	block   int64
	step    int64
	off     int64        // the end of the last line written whole
	starts  [8]lineStart // a ring, the newest at head-1
	head    int          // where the next start goes
	next    int64        // the least offset of the next start kept: step past the newest
	n       int          // starts kept
	gap     lineStart    // the start of the last gap line written, while hasGap
	hasGap  bool         // it is still there, whole
	gapLine []byte       // its bytes
	gapLost int          // the lines it counts
	nextAt  time.Time    // the time of the first line given after those, if nextSet
	nextSet bool
	headed  bool // the start at 0 is the TraceCutter's head line, still there
	headAt  bool // the first line given sets its time
	hard    bool // a line was written since the last cut of a block
}

func newLineCut(w TraceCutter) *lineCut {
	block := int64(w.BlockSize())
	if block <= 0 {
		block = 4096
	}
	c := &lineCut{w: w, block: block, step: max(block/4, 1), hard: true}
	if h, ok := w.(TraceHead); ok && h.Head() > 0 {
		// Cut back to the head line's start, the gap line counts every
		// line given; the first line's start is kept too (next).
		c.off, c.headed, c.headAt = h.Head(), true, true
		c.push(lineStart{})
		c.next = 0
	}
	return c
}

// given notes the time of a line given to the trace, before it is
// written or lost: the time of the head line's start, if the line is the
// first; of the first line after those the gap line counts, if none came
// since it.
func (c *lineCut) given(at time.Time) {
	if c.headAt {
		c.starts[0].at, c.headAt = at, false // no start was kept after it yet
	}
	if !c.nextSet {
		c.nextAt, c.nextSet = at, true
	}
}

// wroteGap notes the gap line gap, which begins at s and counts lost
// lines, written whole; the next line given, if next, is the one at.
func (c *lineCut) wroteGap(s lineStart, gap []byte, lost int, next bool, at time.Time) {
	c.push(s)
	c.gap, c.hasGap = s, true
	c.gapLine = append(c.gapLine[:0], gap...)
	c.gapLost = lost
	c.nextAt, c.nextSet = at, next
}

// note keeps the start of the line of time at about to be written (and
// counted in t.lines) as a line start the trace could cut back to, if it
// is far enough past the newest one kept.
func (c *lineCut) note(t *Trace, at time.Time) {
	if c.off >= c.next {
		c.push(t.lineHere(at))
	}
}

// lineHere is the start of the line of time at about to be written: the
// lines lost before it, whose gap line goes first, begin there too.
func (t *Trace) lineHere(at time.Time) lineStart {
	s := lineStart{off: t.cut.off, lines: t.lines - 1 - t.lost, fails: t.fails - t.lost, at: at}
	if t.lost > 0 {
		s.at = t.lostAt
	}
	return s
}

// push keeps s, past every start kept; one less than step past the
// newest replaces it, so that the starts stay step apart, unless the
// newest is the first, at 0.
func (c *lineCut) push(s lineStart) {
	const size = len(lineCut{}.starts)
	c.next = s.off + c.step
	if c.n > 0 {
		if newest := (c.head + size - 1) % size; s.off-c.starts[newest].off < c.step && (s.off == 0 || c.starts[newest].off > 0) {
			c.starts[newest] = s
			return
		}
	}
	c.starts[c.head] = s
	c.head = (c.head + 1) % size
	c.n = min(c.n+1, size)
}

// drop forgets the starts past off.
func (c *lineCut) drop(off int64) {
	const size = len(lineCut{}.starts)
	for c.n > 0 && c.starts[(c.head+size-1)%size].off > off {
		c.head = (c.head + size - 1) % size
		c.n--
	}
	c.next = 0
	if c.n > 0 {
		c.next = c.starts[(c.head+size-1)%size].off + c.step
	}
}

// second returns the start after the oldest, if any.
func (c *lineCut) second() (lineStart, bool) {
	const size = len(lineCut{}.starts)
	if c.n < 2 {
		return lineStart{}, false
	}
	return c.starts[(c.head+size-c.n+1)%size], true
}

// before returns the newest start at or before off, else the oldest.
func (c *lineCut) before(off int64) (lineStart, bool) {
	const size = len(lineCut{}.starts)
	for i := 1; i <= c.n; i++ {
		if s := c.starts[(c.head+size-i)%size]; s.off <= off {
			return s, true
		}
	}
	if c.n == 0 {
		return lineStart{}, false
	}
	return c.starts[(c.head+size-c.n)%size], true
}

// cutBack makes what the trace wrote end in a gap line, after a write
// that failed having written part bytes of its line, or at Close (final)
// when lines were lost since the last line written. It cuts off the
// part written and writes the gap line there; or, when it wrote a gap
// line less than a block before, cuts back to it and writes it again,
// counting the lines since; should the longer gap line not fit, it
// writes the one that was there back (gapBack). If that fails (the disk
// is full), it cuts back whole lines, at least a block before the end,
// and writes the gap line there: once after each line written, so that a
// disk still full does not see the trace cut back a block a line; when
// the gap line that was there could not be written back; and at Close.
// The caller holds t.mu.
func (t *Trace) cutBack(part int64, at time.Time, final bool) {
	c := t.cut
	end := c.off + part
	s := lineStart{off: c.off, lines: t.lines - t.lost, fails: t.fails - t.lost, at: t.lostAt} // the lines lost begin here
	again := c.hasGap && end-c.gap.off < c.block
	if again {
		s = c.gap
	}
	if t.gapAt(s, end, at) || t.cut == nil {
		return
	}
	if again {
		if t.gapBack(s) && (!final || t.cut == nil) {
			return
		}
	} else if !c.hard && !final {
		return
	}
	c.hard = false
	e, ok := c.before(end - c.block)
	if !ok || e.off >= s.off {
		return
	}
	if e.off == 0 && c.headed { // the head line goes only if the gap line does not fit after it
		if f, ok := c.second(); ok && f.off < s.off && (t.gapAt(f, c.off, at) || t.cut == nil) {
			return
		}
	}
	t.gapAt(e, c.off, at)
}

// gapAt cuts what the trace wrote, which ends at end, back to s and
// writes there the gap line of the lines given from s on, lost or cut
// off. It reports whether the gap line was written, or whether the
// writer could not cut: then the trace writes on as on any writer, its
// gap lines after what is there. The caller holds t.mu.
func (t *Trace) gapAt(s lineStart, end int64, at time.Time) bool {
	c := t.cut
	if s.off < end {
		if err := c.w.CutTo(s.off); err != nil {
			t.cut, t.torn = nil, end > c.off
			return true
		}
	}
	c.off, c.hasGap = s.off, false
	c.headed = c.headed && s.off > 0
	c.drop(s.off)
	t.lost = t.lines - s.lines
	t.fails = s.fails + t.lost
	t.lostAt = s.at
	t.torn = false
	gap := t.appendGap(make([]byte, 0, 96), at)
	if !t.writeGap(s, gap) {
		return t.cut == nil
	}
	c.wroteGap(s, gap, t.lost, false, time.Time{})
	t.lost = 0
	return true
}

// gapBack writes back at s the gap line that was there, which gapAt cut
// off to write a longer one (its count a digit longer), in vain: it fits
// in the room it took, unless another writer took that room. The lines
// given after those it counts stay lost, for the next gap line. It
// reports whether the gap line is back, or the writer could not cut. The
// caller holds t.mu.
func (t *Trace) gapBack(s lineStart) bool {
	c := t.cut
	if !t.writeGap(s, c.gapLine) {
		return t.cut == nil
	}
	c.wroteGap(s, c.gapLine, c.gapLost, c.nextSet, c.nextAt)
	t.lost = t.lines - s.lines - c.gapLost
	t.lostAt = c.nextAt
	return true
}

// writeGap writes gap, a gap line that begins at s, where what the trace
// wrote ends; a part of it written is cut off. It reports whether it was
// written; when not, t.cut is nil if the writer could not cut. The caller
// holds t.mu.
func (t *Trace) writeGap(s lineStart, gap []byte) bool {
	c := t.cut
	n, err := t.w.Write(gap)
	if err != nil {
		if n > 0 && c.w.CutTo(s.off) != nil {
			t.cut, t.torn = nil, true
		}
		return false
	}
	c.off += int64(len(gap))
	return true
}
