package play

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/internal/statefile"
)

// A restart is no rest (the monitor's rule "session"): a crash loop, a
// watchdog kill or the streamer's restart must not give continuous play.
// The layer keeps the session (its first and last activity, and whether
// the cat is resting) in Config.SessionFile, on the wall clock, and the
// next process goes on with it: the time it was down counts as rest only
// by the wall clock between the last activity and the next.

// keepEvery is how often, at most, the session is written while the rig
// plays: a new session, its end and the end of a rest are written at once.
const keepEvery = time.Second

// keepSlack bounds how long the rig may have played on, unwritten, after
// the last write of a process that died: until its next write was due
// (keepEvery) and done. The next process takes the last activity as that
// much after the write, so a crash never turns play into rest.
const keepSlack = 2 * keepEvery

// sessionFile is the kept session's JSON form. Its times are on the wall
// clock, which the next process starts on.
type sessionFile struct {
	Start   time.Time `json:"start,omitzero"` // the session's first activity; zero: none (resting, or rested)
	Last    time.Time `json:"last,omitzero"`  // the last activity seen
	Resting bool      `json:"resting,omitempty"`
	Played  bool      `json:"played,omitempty"` // the rig played in the session (its end has the ritual)
	Written time.Time `json:"written"`          // the tick's wall clock when written
	Clean   bool      `json:"clean,omitempty"`  // written at a clean exit: nothing played after Last
}

// keeper writes the session file: off the motion loop when it runs (Pre:
// an fsync on a slow SD card must not hold a tick), at once on a virtual
// clock (Step: a replay, a test), so that what is on disk does not depend
// on a goroutine's timing. Only the newest write matters.
type keeper struct {
	path string

	// Under the layer's lock: what was handed over last.
	start, last     time.Time
	resting, played bool
	skew            time.Duration
	nextAt          time.Duration // the layer's elapsed time from which activity alone is written
	dirty           bool          // write at the next tick
	retry           bool          // a write failed: write again once due
	idle            bool          // the rig was still at the last hand-over: its next activity is written at once
	covers          time.Time     // the latest activity the next process takes from what was handed over
	started         bool          // the goroutine runs (live)

	failed atomic.Bool // a write failed (the goroutine's): the tick counts it and retries

	mu      sync.Mutex
	next    sessionFile
	pending bool
	closed  bool
	failing bool // the last write failed (logged once a streak)
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
}

func newKeeper(path string) *keeper {
	return &keeper{path: path, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// loadSession reads the session kept by the process before this one, at
// now (the wall clock's reading at the start, the layer's first instant).
// Caller holds l.mu, or l is not shared yet.
//
// A file that cannot be read or makes no sense is taken for a session
// that has just reached its limit: the cat rests first, for Rest. The rule
// is that no run of play lasts more than MaxPlay without a rest of Rest,
// and nothing is known of the play before this start but that it may have
// been just that long: a fresh session could give up to twice MaxPlay
// without a rest. Resting first costs one rest, once.
func (l *Layer) loadSession(now time.Time) {
	k := l.keep
	b, err := os.ReadFile(k.path)
	if errors.Is(err, fs.ErrNotExist) {
		return // the first start: no session yet
	}
	var f sessionFile
	if err == nil {
		err = f.check(b)
	}
	if err != nil {
		l.resting, l.lastAct, l.start, l.played = true, now, time.Time{}, false
		k.dirty = true
		l.count("session_unreadable")
		l.cfg.Log.Error("the play session kept from before this start is unreadable: the cat rests first, as after a whole session", "file", k.path, "err", err)
		return
	}
	last, start := f.Last, f.Start
	if !f.Clean && !f.Written.After(last.Add(keepEvery)) {
		// Written while the rig played, by a process that did not exit
		// cleanly: it may have played on until its next write was due.
		last = f.Written.Add(keepSlack)
	}
	if back := last.Sub(now); back > 0 {
		// The clock reads before the last activity (set back, or a start
		// within keepSlack): no time was down, and the session keeps
		// the length it had.
		last = now
		if !start.IsZero() {
			start = start.Add(-back)
		}
	}
	if l.cfg.Rest > 0 && now.Sub(last) >= l.cfg.Rest {
		return // rested while down: a new session starts with the next play
	}
	l.lastAct = last
	k.last, k.idle = last, true // the next activity is written at once
	switch {
	case f.Resting:
		l.resting = true
	case !start.IsZero() && now.Add(l.ahead()+safety.MaxParkTime).After(start.Add(l.cfg.MaxPlay)):
		// At its limit already: the process before ended it (its ritual
		// is done or lost) or died first. The rest follows, still: a
		// park or a treat now would be play in a session that is over.
		// So does one that has less left than a start's hold: the rig
		// is held at home for up to a park's time (safety.MaxParkTime
		// bounds it) before anything moves, the park at the session's
		// end or at quiet hours too, which would then end past the
		// session's limit.
		l.resting = true
		k.dirty = true
	case !start.IsZero():
		l.start, l.played = start, f.Played
	}
	k.start, k.resting, k.played = l.start, l.resting, l.played
	if l.resting {
		l.cfg.Log.Info("the cat was resting before this start: the rest goes on", "until", l.lastAct.Add(l.cfg.Rest).Round(time.Second))
	} else if !l.start.IsZero() {
		l.cfg.Log.Info("the play session from before this start goes on", "until", l.start.Add(l.cfg.MaxPlay).Round(time.Second))
	}
}

// check parses b into f and checks that it makes sense.
func (f *sessionFile) check(b []byte) error {
	if err := json.Unmarshal(b, f); err != nil {
		return fmt.Errorf("play: session: %w", err)
	}
	switch {
	case f.Written.IsZero():
		return errors.New("play: session: no time it was written")
	case f.Last.IsZero() && (!f.Start.IsZero() || f.Resting):
		return errors.New("play: session: a session or a rest with no last activity")
	case !f.Start.IsZero() && f.Start.After(f.Last):
		return errors.New("play: session: it starts after its last activity")
	case f.Last.After(f.Written):
		return errors.New("play: session: its last activity is after it was written")
	}
	return nil
}

// keepSession hands the session to the keeper when it changed: a session
// started or ended, a rest ended, the rig played, or it moves again after
// a pause; and at most every keepEvery while the rig is active, or the
// wall clock moved against the layer's. The layer's instants move by a
// few nanoseconds at every tick (follow), so they are compared to within
// keepDrift. Allocation-free. Caller holds l.mu.
func (l *Layer) keepSession(now time.Time) {
	k := l.keep
	if k == nil {
		return
	}
	if k.failed.Swap(false) {
		l.count("session_unsaved")
		k.retry = true
	}
	moved := !near(l.lastAct, k.last)
	changed := k.dirty || !near(l.start, k.start) || l.resting != k.resting || l.played != k.played || k.idle && moved
	due := l.clock.elapsed >= k.nextAt
	if skew := l.clock.skew - k.skew; skew >= keepDrift || skew <= -keepDrift {
		moved = true
	}
	if !changed && !(due && (moved || k.retry)) {
		return
	}
	k.start, k.last, k.resting, k.played, k.skew = l.start, l.lastAct, l.resting, l.played, l.clock.skew
	k.nextAt, k.dirty, k.retry, k.idle = l.clock.elapsed+keepEvery, false, false, now.Sub(l.lastAct) > keepEvery
	if k.covers = l.lastAct; !k.idle { // as loadSession reads it
		k.covers = now.Add(keepSlack)
	}
	k.submit(l.sessionNow(now, false))
}

// aheadOfPlay writes the session before the rig acts on what was just
// asked (a request let through, the layer's own park or autoplay) when
// what is kept would not cover that play: the envelope acts on it at its
// next Step, and the layer sees that only a tick later, which a kill may
// never bring. So the kept session's last activity is the last tick, and
// it starts there if none is under way: the next process knows of the
// play that may have followed. Not again while what is kept covers the
// next keepEvery; when the play comes, the session is written as it is.
// Not in a rest, which refuses play. Caller holds l.mu.
func (l *Layer) aheadOfPlay() {
	k := l.keep
	if k == nil || l.resting {
		return
	}
	at := l.clock.wall // the last tick: the play comes at the next Step or later
	if !k.covers.IsZero() && !k.covers.Before(at.Add(keepEvery)) {
		return
	}
	start := l.start
	if start.IsZero() {
		start = at
	}
	k.covers = at.Add(keepSlack)
	k.submit(sessionFile{Start: l.onWallClock(start), Last: l.onWallClock(at), Played: l.played, Written: l.onWallClock(at)})
}

// keepDrift is how far the layer's instants may move, and the wall clock
// against them, before the kept session is out of date.
const keepDrift = 100 * time.Millisecond

// near reports whether a and b are both zero, or both set and within
// keepDrift of each other.
func near(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero() == b.IsZero()
	}
	d := a.Sub(b)
	return d < keepDrift && d > -keepDrift
}

// sessionNow is the session as of the tick at now, on the wall clock.
// Caller holds l.mu.
func (l *Layer) sessionNow(now time.Time, clean bool) sessionFile {
	return sessionFile{Start: l.onWallClock(l.start), Last: l.onWallClock(l.lastAct), Resting: l.resting,
		Played: l.played, Written: l.onWallClock(now), Clean: clean}
}

// submit hands f to the keeper's goroutine, or writes it at once if none
// runs. Allocation-free when handed over.
func (k *keeper) submit(f sessionFile) {
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		return
	}
	if !k.started {
		k.mu.Unlock()
		k.write(f)
		return
	}
	k.next, k.pending = f, true
	k.mu.Unlock()
	select {
	case k.wake <- struct{}{}:
	default:
	}
}

// run writes what is handed over until stop is closed, then the last.
func (k *keeper) run(l *Layer) {
	defer close(k.done)
	for {
		select {
		case <-k.wake:
			k.writeNext(l)
		case <-k.stop:
			k.writeNext(l)
			return
		}
	}
}

func (k *keeper) writeNext(l *Layer) {
	k.mu.Lock()
	f, ok := k.next, k.pending
	k.pending = false
	k.mu.Unlock()
	if ok {
		k.report(l, k.write(f))
	}
}

// write puts f on disk atomically: the old session or the new survives a
// power cut, never half of one.
func (k *keeper) write(f sessionFile) error {
	b, err := json.Marshal(f)
	if err == nil {
		err = statefile.Write(k.path, b)
	}
	if err != nil {
		k.failed.Store(true)
		return fmt.Errorf("play: session: %w", err)
	}
	return nil
}

// report logs a failed write, once a streak, and the first good one after.
func (k *keeper) report(l *Layer, err error) {
	k.mu.Lock()
	was := k.failing
	k.failing = err != nil
	k.mu.Unlock()
	switch {
	case err != nil && !was:
		l.cfg.Log.Error("play session not saved: a restart would take it for a new one; trying again", "err", err)
	case err == nil && was:
		l.cfg.Log.Info("play session saved again")
	}
}

// startKeeper starts the keeper's goroutine, for the live motion loop.
// Caller holds l.mu.
func (l *Layer) startKeeper() {
	k := l.keep
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.started || k.closed {
		return
	}
	k.started = true
	go k.run(l)
}

// Close writes the session as at a clean exit and stops the keeper's
// goroutine: call it once the motion loop has ended. A write that fails
// is logged and returned. Safe to call more than once; without
// Config.SessionFile it does nothing.
func (l *Layer) Close() error {
	k := l.keep
	if k == nil {
		return nil
	}
	l.mu.Lock()
	f := l.sessionNow(l.clock.wall, true)
	l.mu.Unlock()
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		return nil
	}
	k.closed = true
	started := k.started
	k.mu.Unlock()
	if started {
		close(k.stop)
		<-k.done // its last write first: the clean one goes over it
	}
	err := k.write(f)
	if err != nil {
		l.cfg.Log.Error("play session not saved at exit", "err", err)
	}
	return err
}
