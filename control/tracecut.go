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
// first line cut (NewLineTrace).
type TraceCutter interface {
	io.Writer
	// CutTo cuts what the trace wrote (all it gave Write since it began)
	// back to its first n bytes.
	CutTo(n int64) error
	// BlockSize is the file system's block for the file (st_blksize,
	// FileBlockSize); 0 or less reads as 4096.
	BlockSize() int
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
// A line costs a comparison; a start is kept every quarter block (some
// ten output lines), with no allocation.
type lineCut struct {
	w      TraceCutter
	block  int64
	step   int64
	off    int64        // the end of the last line written whole
	starts [8]lineStart // a ring, the newest at head-1
	head   int          // where the next start goes
	next   int64        // the least offset of the next start kept: step past the newest
	n      int          // starts kept
	gap    lineStart    // the start of the last gap line written, while hasGap
	hasGap bool         // it is still there, whole
	hard   bool         // a line was written since the last cut of a block
}

func newLineCut(w TraceCutter) *lineCut {
	block := int64(w.BlockSize())
	if block <= 0 {
		block = 4096
	}
	return &lineCut{w: w, block: block, step: max(block/4, 1), hard: true}
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
// newest replaces it, so that the starts stay step apart.
func (c *lineCut) push(s lineStart) {
	const size = len(lineCut{}.starts)
	c.next = s.off + c.step
	if c.n > 0 {
		if newest := (c.head + size - 1) % size; s.off-c.starts[newest].off < c.step {
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
// counting the lines since. If that fails (the disk is full), it cuts
// back whole lines, at least a block before the end, and writes the gap
// line there: once after each line written, so that a disk still full
// does not see the trace cut back a block a line; and at Close. The
// caller holds t.mu.
func (t *Trace) cutBack(part int64, at time.Time, final bool) {
	c := t.cut
	end := c.off + part
	s := lineStart{off: c.off, lines: t.lines - t.lost, fails: t.fails - t.lost, at: t.lostAt} // the lines lost begin here
	if c.hasGap && end-c.gap.off < c.block {
		s = c.gap
	}
	if t.gapAt(s, end, at) || t.cut == nil || !c.hard && !final {
		return
	}
	c.hard = false
	if e, ok := c.before(end - c.block); ok && e.off < s.off {
		t.gapAt(e, c.off, at)
	}
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
	c.drop(s.off)
	t.lost = t.lines - s.lines
	t.fails = s.fails + t.lost
	t.lostAt = s.at
	t.torn = false
	gap := t.appendGap(make([]byte, 0, 96), at)
	n, err := t.w.Write(gap)
	if err != nil {
		if n > 0 && c.w.CutTo(s.off) != nil {
			t.cut, t.torn = nil, true
			return true
		}
		return false
	}
	c.off += int64(len(gap))
	t.lost = 0
	c.push(s)
	c.gap, c.hasGap = s, true
	return true
}
