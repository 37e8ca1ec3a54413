package safety

import (
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// latchRetry is how long a failed write of the stop waits before the next.
const latchRetry = time.Second

// stopLatch keeps an emergency stop on disk (Config.StopFile) until
// Resume. A stop is a person's decision that the cat or the room needs a
// break: a process restarted after a crash, a watchdog kill or a reboot
// starts stopped, until someone resumes. The file holds when the stop
// began; no file, no stop. It is written off the caller's goroutine (Stop
// must not wait for an SD card), newest state last, and a failed write is
// tried again each second until it holds. A nil *stopLatch keeps nothing.
type stopLatch struct {
	path string
	log  *slog.Logger

	mu       sync.Mutex
	since    time.Time // the stop in force began then; zero = none
	seq      uint64    // changes asked for
	done     uint64    // the change last on disk
	busy     bool      // a writer goroutine runs
	failures uint64
	// onPanic is told of a panic in the writer (Run's: it halts and ends
	// the run); nil = the panic goes on.
	onPanic func(where string, p any)
}

type latchFile struct {
	Stopped time.Time `json:"stopped"`
}

// loadLatch reads the stop kept at path ("" keeps none). A file that is
// there but cannot be read counts as a stop: the safe side, which a
// Resume clears.
func loadLatch(path string, log *slog.Logger) (*stopLatch, bool) {
	if path == "" {
		return nil, false
	}
	l := &stopLatch{path: path, log: log}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return l, false
	}
	var f latchFile
	if err == nil {
		err = json.Unmarshal(b, &f)
	}
	l.since = f.Stopped
	if err != nil || f.Stopped.IsZero() {
		log.Error("the emergency stop file is unreadable: starting stopped; resume to clear it", "file", path, "err", err)
		l.since = time.Unix(0, 0)
		return l, true
	}
	log.Warn("the emergency stop from before this start still holds: resume from the panel, Home Assistant or a moderator's resume", "since", f.Stopped)
	return l, true
}

// set records a stop that began at now (an earlier one in force is kept).
func (l *stopLatch) set(now time.Time) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.since.IsZero() {
		l.since = now.Round(0)
		l.changed()
	}
}

// clear records that the stop ended.
func (l *stopLatch) clear() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.since.IsZero() {
		l.since = time.Time{}
		l.changed()
	}
}

// changed starts a writer unless one runs. Caller holds l.mu.
func (l *stopLatch) changed() {
	l.seq++
	if !l.busy {
		l.busy = true
		go l.write()
	}
}

// handPanics sets where a panic in the writer goes (nil: it goes on).
func (l *stopLatch) handPanics(f func(where string, p any)) {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.onPanic = f
	l.mu.Unlock()
}

// recoverWrite is deferred by the writer: a panic ends it (the next
// change starts another) and goes to onPanic, or on.
func (l *stopLatch) recoverWrite() {
	p := recover()
	if p == nil {
		return
	}
	l.mu.Lock()
	l.busy = false
	f := l.onPanic
	l.mu.Unlock()
	if f == nil {
		panic(p)
	}
	f("the emergency stop's writer", p)
}

// write puts the newest state on disk, until what is there is the newest.
func (l *stopLatch) write() {
	defer l.recoverWrite()
	for {
		l.mu.Lock()
		if l.done == l.seq {
			l.busy = false
			l.mu.Unlock()
			return
		}
		since, seq := l.since, l.seq
		l.mu.Unlock()

		err := l.put(since)
		l.mu.Lock()
		say := false
		if err == nil {
			l.done = seq
		} else {
			l.failures++
			say = l.failures == 1 || l.failures%60 == 0
		}
		l.mu.Unlock()
		if say { // not under l.mu: Stop takes it, and must not wait for the log
			l.log.Error("emergency stop not saved: a restart would forget it; trying again", "err", err)
		}
		if err != nil {
			time.Sleep(latchRetry)
		}
	}
}

// put makes the file say since (zero: no file).
func (l *stopLatch) put(since time.Time) error {
	if since.IsZero() {
		err := os.Remove(l.path)
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			if d, derr := os.Open(filepath.Dir(l.path)); derr == nil {
				d.Sync()
				d.Close()
			}
			return nil
		}
		return err
	}
	b, err := json.Marshal(latchFile{Stopped: since})
	if err != nil {
		return err
	}
	return writeFileAtomic(l.path, "emergency stop", b)
}

// settled reports whether what is on disk is the newest state (tests).
func (l *stopLatch) settled() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.done == l.seq && !l.busy
}
