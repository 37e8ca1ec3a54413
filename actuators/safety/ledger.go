package safety

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// LeaseSize is how much daily laser time is reserved on disk at a time.
// Light is emitted only inside a durable reservation, so a crash can lose
// at most one unspent lease, and never grants light twice.
const LeaseSize = 2 * time.Second

// ledgerFile is the state file's JSON form.
type ledgerFile struct {
	Day      string    `json:"day"`      // YYYY-MM-DD in the streamer's time zone
	Reserved int64     `json:"laser_ns"` // laser time reserved today (spent or leased)
	Treats   int       `json:"treats"`
	LitUntil time.Time `json:"lit_until,omitzero"` // end of the last lease: no light after it
	// Written and WindowLit: when this was written, and the most any
	// laser had been lit in the light budget's window before then. With
	// LitUntil they bound the light a crashed process can have emitted.
	Written   time.Time `json:"written,omitzero"`
	WindowLit int64     `json:"window_lit_ns,omitempty"`
}

// ledger is the day's laser account. The envelope's motion loop reads and
// charges it under the envelope's lock; the disk writes happen in flush,
// called without that lock, guarded by the ledger's own mutex.
type ledger struct {
	path   string
	loc    *time.Location
	synced func() bool // the clock is trustworthy; nil = always

	// Under the envelope's lock.
	day       string
	spent     time.Duration // lit today
	treats    int
	want      time.Duration // reservation the loop asks for
	broken    error         // unreadable at start, or the clock went back: laser refused
	pending   bool          // want or treats changed since the last write
	clockBack bool          // broken because the ledger is dated after today
	rolled    bool          // a new day started: say so once
	litUntil  time.Time     // the previous process was not lit after then
	written   time.Time     // when the previous process last wrote
	windowLit time.Duration // its light in the window before written
	wantUntil time.Time     // the lease asked for may be used until then
	days      dayCache      // roll's dayOf, formatted once a day

	mu       sync.Mutex // guards what flush writes back
	durable  time.Duration
	dUntil   time.Time
	dDay     string
	writeErr error
	failures uint64
}

func loadLedger(path string, loc *time.Location, now time.Time, synced func() bool) *ledger {
	l := &ledger{path: path, loc: loc, synced: synced, day: dayOf(now, loc)}
	l.dDay = l.day
	if path == "" {
		return l
	}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return l // first run: a fresh account, written before any light
	case err != nil:
		l.broken = fmt.Errorf("safety: laser ledger %s: %w", path, err)
		return l
	}
	var f ledgerFile
	if err := json.Unmarshal(b, &f); err != nil || f.Day == "" || f.Reserved < 0 || f.Treats < 0 {
		if err == nil {
			err = errors.New("no day, or a negative account")
		}
		l.broken = fmt.Errorf("safety: laser ledger %s is unreadable (%v): laser refused; fix or delete it deliberately", path, err)
		return l
	}
	l.adopt(f, now)
	return l
}

// adopt takes the account read from disk: today's, an older day's (a new
// day starts), or a later day's (the clock went back: that day stays
// spent, and the laser is refused until the clock passes it).
func (l *ledger) adopt(f ledgerFile, now time.Time) {
	today := l.day
	switch {
	case f.Day == today || (f.Day < today && !l.clockOK()):
		l.day, l.dDay = f.Day, f.Day
		l.spent, l.durable, l.want = time.Duration(f.Reserved), time.Duration(f.Reserved), time.Duration(f.Reserved)
		l.treats = f.Treats
	case f.Day > today:
		l.day, l.dDay = f.Day, f.Day
		l.spent, l.durable, l.want = time.Duration(f.Reserved), time.Duration(f.Reserved), time.Duration(f.Reserved)
		l.broken = fmt.Errorf("safety: laser ledger %s is dated %s but today is %s: the clock went back; laser refused until then", l.path, f.Day, today)
		l.clockBack = true
	}
	l.litUntil, l.written, l.windowLit = f.LitUntil, f.Written, time.Duration(f.WindowLit)
}

func (l *ledger) clockOK() bool { return l.synced == nil || l.synced() }

func dayOf(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.DateOnly) }

// roll starts a new day's account when the local date moved on, but only
// on a clock that is known to be right: a Pi without a real-time clock
// boots in the past until NTP answers.
func (l *ledger) roll(now time.Time) {
	today := l.days.of(now, l.loc)
	if today <= l.day || !l.clockOK() {
		return
	}
	if l.broken != nil && !l.clockBack {
		return // unreadable: stays refused until someone fixes it
	}
	l.day, l.spent, l.want, l.treats, l.broken, l.clockBack = today, 0, 0, 0, nil, false
	l.rolled = true
	l.pending = l.path != ""
}

// dayTurns reports whether local midnight falls within (now, now+tick).
func (l *ledger) dayTurns(now time.Time, tick time.Duration) bool {
	return l.days.of(now, l.loc) != l.days.of(now.Add(tick-1), l.loc)
}

// nextDay is the start of the day after now, in loc.
func (l *ledger) nextDay(now time.Time) time.Time {
	t := now.In(l.loc)
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, l.loc)
}

// reserved is the durable reservation for the current day: how much
// light, and until when it may be used.
func (l *ledger) reserved() (time.Duration, time.Time, error) {
	if l.path == "" {
		return 1<<62 - 1, time.Unix(1<<40, 0), nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dDay != l.day {
		return 0, time.Time{}, l.writeErr
	}
	return l.durable, l.dUntil, l.writeErr
}

func (l *ledger) writeFailures() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.failures
}

// errLeasePending: the next lease is being written; the light waits a tick.
var errLeasePending = errors.New("safety: waiting for the laser ledger to be written")

// may says whether a laser may be lit for one more tick, or why not. A
// lease is an amount of light and a time it must be used by: the state
// file then bounds both how much light the day had and when the last of
// it can have been, which the next process needs after a crash.
func (l *ledger) may(now time.Time, tick, budget time.Duration) (bool, error) {
	if l.broken != nil {
		return false, l.broken
	}
	if budget > 0 && l.spent+tick > budget {
		return false, nil
	}
	r, until, err := l.reserved()
	if l.spent+tick > r || now.Add(tick).After(until) {
		l.ask(now, tick, budget)
		if err == nil {
			err = errLeasePending
		}
		return false, err
	}
	return true, nil
}

// charge spends one lit tick and asks for the next lease early, so the
// writer is ahead of the light.
func (l *ledger) charge(now time.Time, tick, budget time.Duration) {
	l.spent += tick
	l.ask(now, tick, budget)
}

func (l *ledger) ask(now time.Time, tick, budget time.Duration) {
	if l.path == "" {
		return
	}
	left, soon := l.want-l.spent, l.wantUntil.Sub(now)
	if left >= LeaseSize/2 && left >= tick && soon >= LeaseSize/2 {
		return
	}
	w := l.spent + LeaseSize
	if budget > 0 && w > budget {
		w = budget
	}
	if w < l.want {
		w = l.want
	}
	l.want, l.wantUntil, l.pending = w, now.Add(LeaseSize), true
}

// takeTreat counts one treat if fewer than max were given today.
func (l *ledger) takeTreat(max int) bool {
	if l.treats >= max || l.broken != nil && !l.clockBack {
		return false
	}
	l.treats++
	l.pending = l.path != ""
	return true
}

// job is what the next write must say, taken under the envelope's lock;
// ok is false when nothing changed. lit says whether a laser is lit now:
// the light budget's window may then run until the reservation ends.
func (l *ledger) job(now time.Time, windowLit time.Duration, final bool) (ledgerFile, bool) {
	if l.path == "" || l.broken != nil && !l.clockBack || !(l.pending || final) {
		return ledgerFile{}, false
	}
	l.pending = false
	f := ledgerFile{Day: l.day, Reserved: int64(max(l.want, l.spent)), Treats: l.treats,
		Written: now, WindowLit: int64(windowLit), LitUntil: l.wantUntil}
	if final { // a clean exit, everything dark: the unspent lease goes back
		f.Reserved, l.want = int64(l.spent), l.spent
		f.LitUntil, l.wantUntil = now, now
	}
	return f, true
}

// write puts f on disk atomically (temporary file, fsync, rename, fsync of
// the directory) and then makes its reservation usable.
func (l *ledger) write(f ledgerFile) error {
	err := writeAtomic(l.path, f)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writeErr = err
	if err != nil {
		l.failures++
		return err
	}
	l.durable, l.dDay, l.dUntil = time.Duration(f.Reserved), f.Day, f.LitUntil
	return nil
}

func writeAtomic(path string, f ledgerFile) error {
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("safety: laser ledger: %w", err)
	}
	return writeFileAtomic(path, "laser ledger", b)
}

// writeFileAtomic replaces path with b: a temporary file, fsync, rename,
// fsync of the directory, so that a power cut leaves the old or the new.
func writeFileAtomic(path, what string, b []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".cattease-state-*")
	if err != nil {
		return fmt.Errorf("safety: %s: %w", what, err)
	}
	_, err = tmp.Write(b)
	err = errors.Join(err, tmp.Sync(), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("safety: %s %s: %w", what, path, err)
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // the rename itself must survive a power cut
		d.Close()
	}
	return nil
}
