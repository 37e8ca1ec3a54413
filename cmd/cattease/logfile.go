package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// logFile is an append-only JSON-lines file that writes through: the
// --record file and the audit log. Write only copies a line into memory,
// so chat never waits for the disk; a timer writes what is waiting within
// Interval of the first line and fsyncs, so `tail -f` sees each event within
// a second and a power cut loses at most that much. Close writes the rest
// and fsyncs.
//
// Long shows: before the file would grow past MaxSize it is renamed to
// NAME-20061102T150405.000.EXT beside it (still a valid replay input) and a
// new one started; the oldest renamed files are deleted beyond Keep of them
// or MaxTotal bytes in all.
//
// A file that ends in a torn line (a power cut, or a disk full to the end
// of the run before) gets a newline before the first line written, which
// begins a line of its own: the start line of the next run is not glued
// to the torn line, where replay would skip it as bad.
//
// A rotation comes only between lines: a line a failed write cut short
// is finished in the file it began in, and a torn line at the end of the
// file renamed gets its newline there, so that the files read in order
// (cat chat-*.jsonl chat.jsonl) hold whole lines only. A cut line that
// cannot be finished there, as the file may grow no more (EFBIG: ulimit
// -f, systemd's LimitFSIZE=, FAT32's 4 GiB) or not before a rotation that
// is due, is taken back (the file truncated to where it began) and
// written whole in the new file; a file that cannot be truncated keeps
// it as a torn line, ended by a newline there or first in the new file
// (counted in TornLines).
//
// A full disk is not the end: a failed write keeps the lines in memory (up
// to MaxPending bytes; beyond that new lines are dropped and counted),
// logs once, and is retried every Interval; once space is back, writing
// resumes where it stopped.
//
// The timer writes on a goroutine of its own, where nothing would recover
// a panic: it goes to the run's handler (handPanics: every output halted,
// the run ended) or, without one, to the next Write, which raises it again
// on its caller's goroutine (the chat path's, guarded), and Close returns it.
type logFile struct {
	path string
	opt  logFileOptions

	mu       sync.Mutex // guards the fields below
	pending  []byte
	timer    *time.Timer
	closed   bool
	failing  bool
	st       logFileStats
	onPanic  func(what string, value any, stack []byte)
	broken   bool        // the timer panicked: Close writes nothing more
	panicked *flushPanic // the timer's panic, with no onPanic to take it

	ioMu sync.Mutex // serialises the file I/O below: flush, rotate, close
	f    logSink
	size int64
	torn bool // the file ends in a torn line: the next write begins with a newline
	// cut: a failed write stopped mid-line; the rest of that line, first
	// in what waits, goes to this file before any rotation, or head (what
	// of it is in the file, its last bytes) is taken back
	cut  bool
	head []byte
	// full: a write failed as the file may grow no more (EFBIG): the next
	// write rotates first
	full bool
	// renameFailing: the file could not be renamed aside; it grows on past
	// MaxSize, and the rotation is tried again from renameAgain
	renameFailing bool
	renameAgain   time.Time
}

// logSink is what logFile writes to: an *os.File outside tests.
type logSink interface {
	io.Writer
	Sync() error
	Close() error
}

type logFileOptions struct {
	Name       string        // "record" or "audit log", for messages
	Interval   time.Duration // longest a line waits in memory; default 500ms
	MaxSize    int64         // rotate before the file grows past this; 0 = never
	Keep       int           // rotated files kept, the oldest deleted beyond them; 0 = none; < 0 = no limit by count
	MaxTotal   int64         // bytes of the file and its rotated files together; 0 = no limit
	MaxPending int           // bytes held while the disk refuses; default 8 MiB
	Mode       os.FileMode   // of a new file; default 0o600: records and audits name viewers
	Log        *slog.Logger

	open   func(path string) (logSink, int64, error) // default openAppend
	now    func() time.Time                          // names rotated files; default time.Now
	rename func(from, to string) error               // default os.Rename
}

// logFileStats counts what went wrong, for tests and logs.
type logFileStats struct {
	Failures     int64 // failed writes (each retried later)
	DroppedLines int64 // lines dropped because too much was waiting
	Rotations    int64
	TornLines    int64 // cut lines left torn in a file renamed: it could not be truncated
}

// The defaults for --record and the audit log: 100 MB files, five old ones
// kept, 600 MB in all.
const (
	defaultLogMaxSize = 100 << 20
	defaultLogKeep    = 5
)

// renameRetry is how long a file that could not be renamed aside grows on
// past its size limit before the rotation is tried again.
const renameRetry = time.Minute

func openAppend(path string, mode os.FileMode) (logSink, int64, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, mode)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

// openLogFile opens path for appending; nothing runs until the first Write.
func openLogFile(path string, opt logFileOptions) (*logFile, error) {
	if opt.Interval <= 0 {
		opt.Interval = 500 * time.Millisecond
	}
	if opt.MaxPending <= 0 {
		opt.MaxPending = 8 << 20
	}
	if opt.Mode == 0 {
		opt.Mode = 0o600
	}
	if opt.open == nil {
		mode := opt.Mode
		opt.open = func(path string) (logSink, int64, error) { return openAppend(path, mode) }
	}
	if opt.now == nil {
		opt.now = time.Now
	}
	if opt.rename == nil {
		opt.rename = os.Rename
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Name == "" {
		opt.Name = "log"
	}
	// A symbolic link (chat.jsonl -> /mnt/usb/chat.jsonl) is followed
	// once, here: the file rotated is the one it names, beside it, where
	// a rotation renamed the link and began a new file beside that.
	resolved, system, ok := resolveOutput(path)
	if ok && !system {
		path = resolved
	}
	f, size, err := opt.open(path)
	if err != nil {
		return nil, fmt.Errorf("cattease: %s: %w", opt.Name, err)
	}
	if system || !regularSink(f, path) {
		// A FIFO, a terminal, /dev/stdout (even into a file of the
		// shell's, which is no file of ours to rename): never rotated.
		opt.MaxSize = 0
	}
	return &logFile{path: path, opt: opt, f: f, size: size, torn: endsTorn(path, size)}, nil
}

// regularSink reports whether f, opened at path, is a regular file.
func regularSink(f logSink, path string) bool {
	var fi os.FileInfo
	var err error
	if st, ok := f.(interface{ Stat() (os.FileInfo, error) }); ok {
		fi, err = st.Stat()
	} else {
		fi, err = os.Stat(path) // a test's sink
	}
	return err != nil || fi.Mode().IsRegular()
}

// endsTorn reports whether the file at path, of size bytes, ends in a
// torn line (not in a newline): a power cut, or a disk full to the end of
// the run that wrote it, cut it short. The next line written begins a
// line of its own after a newline, and is not glued to it: the next run's
// start line, which replay reads as its restart. A file that cannot be
// read is taken as whole.
func endsTorn(path string, size int64) bool {
	if size <= 0 {
		return false
	}
	fh, err := os.Open(path)
	if err != nil {
		return false
	}
	defer fh.Close()
	return !endsLine(fh)
}

var errLogClosed = errors.New("closed")

// Write takes one or more whole lines. It fails only when the file is
// closed or too much is already waiting for the disk (the line is dropped
// and counted).
func (l *logFile) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, fmt.Errorf("cattease: %s: %w", l.opt.Name, errLogClosed)
	}
	if l.panicked != nil {
		panic(l.panicked)
	}
	if len(l.pending)+len(p) > l.opt.MaxPending {
		l.st.DroppedLines++
		return 0, fmt.Errorf("cattease: %s: %d bytes wait for the disk; line dropped", l.opt.Name, len(l.pending))
	}
	l.pending = append(l.pending, p...)
	l.armLocked(l.opt.Interval)
	return len(p), nil
}

// armLocked starts the flush timer unless it runs already, or panicked.
func (l *logFile) armLocked(d time.Duration) {
	if l.timer == nil && !l.closed && !l.broken {
		l.timer = time.AfterFunc(d, l.tick)
	}
}

// handPanics sends a panic on the timer's goroutine to f (the group's
// onPanic); nil keeps it for the next Write. A nil l is fine.
func (l *logFile) handPanics(f func(what string, value any, stack []byte)) {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.onPanic = f
	l.mu.Unlock()
}

// flushPanic is a panic on the timer's goroutine, kept for the next Write.
type flushPanic struct {
	name  string
	value any
	stack []byte
}

func (p *flushPanic) Error() string {
	return fmt.Sprintf("cattease: %s: panic writing: %v\n%s", p.name, p.value, p.stack)
}

// recoverTick is deferred by tick: a panic there goes to onPanic, or is
// kept for the next Write and for Close. The timer is not armed again.
func (l *logFile) recoverTick() {
	p := recover()
	if p == nil {
		return
	}
	stack := debug.Stack()
	l.mu.Lock()
	l.broken = true
	f := l.onPanic
	if f == nil {
		l.panicked = &flushPanic{name: l.opt.Name, value: p, stack: stack}
	}
	l.mu.Unlock()
	if f != nil {
		f("the "+l.opt.Name+" writer", p, stack)
	}
}

// tick writes out what waits, fsyncs, and retries later on failure.
func (l *logFile) tick() {
	l.mu.Lock()
	l.timer = nil
	closed := l.closed
	l.mu.Unlock()
	if closed {
		return
	}
	l.ioMu.Lock()
	defer l.ioMu.Unlock() // after recoverTick: Close finds the file marked broken
	defer l.recoverTick()
	err := l.flushLocked(true)
	if err != nil {
		l.mu.Lock()
		if len(l.pending) > 0 {
			l.armLocked(l.opt.Interval)
		}
		l.mu.Unlock()
	}
}

// flushLocked writes what waits and, with sync, fsyncs. The caller holds
// l.ioMu.
func (l *logFile) flushLocked(sync bool) error {
	l.mu.Lock()
	buf := l.pending
	l.pending = nil
	l.mu.Unlock()
	if len(buf) == 0 {
		return nil
	}
	rest, err := l.writeLocked(buf)
	if err == nil && sync {
		err = syncFile(l.f)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.pending = append(rest, l.pending...)
		l.st.Failures++
		if !l.failing {
			l.failing = true
			l.logAbout(slog.LevelWarn, "%s: write failed; keeping events in memory and retrying", "file", l.path, "err", err)
		}
		return fmt.Errorf("cattease: %s: %w", l.opt.Name, err)
	}
	if l.failing {
		l.failing = false
		l.logAbout(slog.LevelInfo, "%s: writing again", "file", l.path, "failed_writes", l.st.Failures, "dropped_lines", l.st.DroppedLines)
	}
	return nil
}

// logAbout logs a message about the file: format names it with its one
// %s ("audit log: write failed; …"), a format of the catalogue, which
// translates the name along with the rest.
func (l *logFile) logAbout(level slog.Level, format string, attrs ...any) {
	l.opt.Log.Log(context.Background(), level, fmt.Sprintf(format, l.opt.Name), attrs...)
}

// writeLocked finishes the line a failed write cut short, rotates when
// the rest of buf would take the file past MaxSize, then appends it,
// after the newline a torn line at the file's end needs, returning what
// was not written. buf holds whole lines, but for the rest of a cut one
// at its start.
func (l *logFile) writeLocked(buf []byte) ([]byte, error) {
	if l.f == nil {
		f, size, err := l.opt.open(l.path)
		if err != nil {
			return buf, err
		}
		l.f, l.size = f, size
	}
	if l.cut {
		end := bytes.IndexByte(buf, '\n') + 1
		if end == 0 {
			end = len(buf)
		}
		n, err := l.appendLocked(buf[:end])
		if err != nil {
			began := l.size == int64(len(l.head)) // the line begins the file
			if !l.full && (began || !l.rotationDueLocked(len(buf)-n)) {
				// A full disk: retried here once it has room. A file
				// the line begins has nothing whole to rotate away.
				return buf[n:], err
			}
			// Never finished here, or not before the rotation due:
			// the line goes whole to the new file.
			var rotate bool
			if buf, rotate = l.takeBackLocked(buf[n:end], buf[end:]); !rotate {
				return buf, err
			}
		} else {
			buf = buf[end:]
		}
		if len(buf) == 0 {
			return nil, nil
		}
	}
	if l.rotationDueLocked(len(buf)) {
		if err := l.rotateLocked(); err != nil {
			return buf, err
		}
	}
	if l.torn {
		if _, err := l.f.Write([]byte{'\n'}); err != nil {
			l.full = errors.Is(err, syscall.EFBIG)
			return buf, err
		}
		l.size++
		l.torn = false
	}
	n, err := l.appendLocked(buf)
	return buf[n:], err
}

// rotationDueLocked reports whether n bytes more are to go to a new file:
// they would take the file past MaxSize, or it may grow no more.
func (l *logFile) rotationDueLocked(n int) bool {
	if l.size <= 0 {
		return false
	}
	if l.full {
		return true
	}
	return l.opt.MaxSize > 0 && l.size+int64(n) > l.opt.MaxSize &&
		(!l.renameFailing || !l.opt.now().Before(l.renameAgain))
}

// truncater is a logSink that can be cut back: an *os.File.
type truncater interface{ Truncate(size int64) error }

// takeBackLocked gives up finishing the cut line in this file, rest being
// what of it is not written and after the lines after it. It truncates
// the file to where the line began and returns the line whole, then
// after, for the new file, and true: rotate. A file that cannot be
// truncated keeps the line's head as a torn line (its newline written
// before the rename, or first in the new file), and the line is still
// written whole in the new file. A line that began a file that may grow no more
// is more than any file takes: it is dropped, and there is nothing to
// rotate away: false.
func (l *logFile) takeBackLocked(rest, after []byte) (buf []byte, rotate bool) {
	start := l.size - int64(len(l.head))
	line := make([]byte, 0, len(l.head)+len(rest)+len(after))
	line = append(append(line, l.head...), rest...)
	l.cut, l.head = false, nil
	if t, ok := l.f.(truncater); ok && t.Truncate(start) == nil {
		l.size = start
		if start > 0 {
			return append(line, after...), true
		}
		l.full = false
		l.mu.Lock()
		l.st.DroppedLines++
		l.mu.Unlock()
		l.logAbout(slog.LevelWarn, "%s: a line longer than the file may grow was dropped", "file", l.path, "bytes", len(line))
		return after, false
	}
	l.torn = true
	l.mu.Lock()
	l.st.TornLines++
	l.mu.Unlock()
	l.logAbout(slog.LevelWarn, "%s: a line cut short could not be taken back: its start stays torn at the end of the file renamed", "file", l.path)
	if start > 0 {
		return append(line, after...), true
	}
	l.mu.Lock()
	l.st.DroppedLines++ // more than any file takes
	l.mu.Unlock()
	return after, false
}

// appendLocked writes p to the file, noting whether it stopped mid-line
// (and what of that line is in it), or as the file may grow no more.
func (l *logFile) appendLocked(p []byte) (int, error) {
	n, err := l.f.Write(p)
	l.size += int64(n)
	w := p[:n]
	if i := bytes.LastIndexByte(w, '\n'); i >= 0 {
		l.head, w = l.head[:0], w[i+1:]
	}
	l.head = append(l.head, w...)
	l.cut = len(l.head) > 0
	l.full = errors.Is(err, syscall.EFBIG)
	return n, err
}

// rotateLocked renames the full file aside, starts a new one and prunes.
// The caller has finished any line cut short in it. A torn line at its
// end gets its newline first; if that write fails, the line stays torn
// and the new file begins with the newline instead, which keeps the
// files read in order whole.
func (l *logFile) rotateLocked() error {
	if l.torn {
		if _, err := l.f.Write([]byte{'\n'}); err == nil {
			l.size++
			l.torn = false
		}
	}
	syncErr := syncFile(l.f)
	if err := l.f.Close(); err != nil || syncErr != nil {
		l.f = nil
		return errors.Join(syncErr, err)
	}
	l.f = nil
	if err := l.opt.rename(l.path, l.rotatedName()); err != nil {
		// The file grows on past MaxSize, rather than hold the lines
		// back (and drop them beyond MaxPending) for a rename that may
		// never work; it is tried again in renameRetry.
		l.renameAgain = l.opt.now().Add(renameRetry)
		if !l.renameFailing {
			l.renameFailing = true
			l.logAbout(slog.LevelWarn, "%s: the full file cannot be renamed aside; writing on past its size limit, and trying again every minute", "file", l.path, "err", err)
		}
		f, size, oerr := l.opt.open(l.path)
		if oerr != nil {
			return errors.Join(err, oerr) // the next flush reopens the file
		}
		l.f, l.size = f, size
		if l.full {
			return err // it may grow no more: nothing is written until a rename works
		}
		return nil
	}
	l.renameFailing = false
	f, size, err := l.opt.open(l.path)
	if err != nil {
		return err
	}
	l.f, l.size, l.full = f, size, false
	l.mu.Lock()
	l.st.Rotations++
	l.mu.Unlock()
	l.prune()
	return nil
}

// rotatedStamp is the time in a rotated file's name, to the millisecond.
const rotatedStamp = "20060102T150405.000"

// rotatedName is NAME-20061102T150405.000.EXT beside the file, unused,
// and later than the newest rotated file's, whatever the clock says (a
// Pi without a real-time clock boots in the past): a millisecond after
// it when the clock is behind it, or a rotation came within its
// millisecond. So the names sort as the files were rotated, for prune
// and for `cat chat-*.jsonl chat.jsonl`.
func (l *logFile) rotatedName() string {
	ext := filepath.Ext(l.path)
	base := strings.TrimSuffix(l.path, ext)
	at := l.opt.now().UTC().Truncate(time.Millisecond)
	if old := l.rotated(); len(old) > 0 {
		if last, err := time.Parse(rotatedStamp, rotatedKey(old[len(old)-1], l.rotatedPattern()).stamp); err == nil && !at.After(last) {
			at = last.Add(time.Millisecond)
		}
	}
	for {
		name := base + "-" + at.Format(rotatedStamp) + ext
		if _, err := os.Lstat(name); err != nil {
			return name
		}
		at = at.Add(time.Millisecond)
	}
}

// rotatedPattern matches the names of the rotated files of this log:
// the time stamp, then (from an older cattease) a "-N" of a rotation
// within the same millisecond.
func (l *logFile) rotatedPattern() *regexp.Regexp {
	ext := filepath.Ext(l.path)
	base := filepath.Base(strings.TrimSuffix(l.path, ext))
	return regexp.MustCompile(`^` + regexp.QuoteMeta(base) + `-(\d{8}T\d{6}\.\d{3})(?:-(\d+))?` + regexp.QuoteMeta(ext) + `$`)
}

// rotatedOrder is what a rotated file's name sorts by: its stamp, then
// its "-N" (none: 0).
type rotatedOrder struct {
	stamp string
	n     int
}

func rotatedKey(path string, re *regexp.Regexp) rotatedOrder {
	m := re.FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return rotatedOrder{}
	}
	n, _ := strconv.Atoi(m[2])
	return rotatedOrder{m[1], n}
}

// rotated lists the rotated files of this log, oldest first.
func (l *logFile) rotated() []string {
	re := l.rotatedPattern()
	entries, err := os.ReadDir(filepath.Dir(l.path))
	if err != nil {
		l.logAbout(slog.LevelWarn, "%s: cannot list old files", "err", err)
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && re.MatchString(e.Name()) {
			out = append(out, filepath.Join(filepath.Dir(l.path), e.Name()))
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		ka, kb := rotatedKey(a, re), rotatedKey(b, re)
		if c := strings.Compare(ka.stamp, kb.stamp); c != 0 {
			return c
		}
		return ka.n - kb.n
	})
	return out
}

// prune deletes the oldest rotated files beyond Keep (0: every one) or
// MaxTotal.
func (l *logFile) prune() {
	old := l.rotated()
	sizes := make([]int64, len(old))
	total := l.size
	for i, name := range old {
		if st, err := os.Stat(name); err == nil {
			sizes[i] = st.Size()
		}
		total += sizes[i]
	}
	for i, name := range old {
		left := len(old) - i
		if (l.opt.Keep < 0 || left <= l.opt.Keep) && (l.opt.MaxTotal <= 0 || total <= l.opt.MaxTotal) {
			return
		}
		if err := os.Remove(name); err != nil {
			l.logAbout(slog.LevelWarn, "%s: cannot delete an old file", "file", name, "err", err)
			continue
		}
		total -= sizes[i]
	}
}

// Close writes what waits, fsyncs and closes the file; after a panic
// writing, it only closes the file.
func (l *logFile) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	l.mu.Unlock()
	l.ioMu.Lock()
	defer l.ioMu.Unlock()
	l.mu.Lock()
	broken := l.broken
	l.mu.Unlock()
	var err error
	if !broken {
		err = l.flushLocked(true)
		// A line cut at the file's size limit is written whole in the
		// next file at the next flush: the last lines of a show too.
		for i := 0; i < 3 && err != nil && l.waiting() > 0; i++ {
			err = l.flushLocked(true)
		}
	}
	if l.f != nil {
		if !broken { // nothing more is written to what broke
			if serr := syncFile(l.f); serr != nil && err == nil {
				err = fmt.Errorf("cattease: %s: %w", l.opt.Name, serr)
			}
		}
		if cerr := l.f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("cattease: %s: %w", l.opt.Name, cerr)
		}
		l.f = nil
	}
	l.mu.Lock()
	if n := len(l.pending); n > 0 {
		err = errors.Join(err, fmt.Errorf("cattease: %s: %d bytes could not be written", l.opt.Name, n))
	}
	if l.panicked != nil {
		err = errors.Join(l.panicked, err)
	}
	l.mu.Unlock()
	return err
}

// waiting is how many bytes wait to be written.
func (l *logFile) waiting() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.pending)
}

// syncFile syncs f; a pipe or a terminal (--record /dev/stdout, a FIFO)
// has nothing to sync, which is no failed write.
func syncFile(f logSink) error {
	err := f.Sync()
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		return nil
	}
	return err
}

// stats returns the counters.
func (l *logFile) stats() logFileStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st
}

// parseSize reads a size such as 100MB, 1.5GiB, 512k or 0 (bytes when no
// unit). K/M/G are powers of 1024, as disks are filled.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	num := strings.TrimRight(t, "KMGTkmgtiBb ")
	unit := strings.ToUpper(strings.TrimSpace(t[len(num):]))
	unit = strings.TrimSuffix(strings.TrimSuffix(unit, "B"), "I")
	mult := map[string]float64{"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}[unit]
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || mult == 0 || !(v >= 0) || v*mult > 1<<62 { // !(v >= 0): NaN too
		return 0, fmt.Errorf("size %q: give bytes with a unit, e.g. 100MB", s)
	}
	return int64(v * mult), nil
}
