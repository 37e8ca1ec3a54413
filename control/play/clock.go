package play

import (
	"math"
	"time"
)

// clock keeps the play layer's instants honest when the wall clock is
// stepped. Sessions, rests, autoplay's idle time and the finale's pauses
// must follow real elapsed time: a Pi without a real-time clock boots with
// a guessed time and NTP later steps it by minutes or hours, and someone
// may set the clock by hand. Quiet hours, on the other hand, are a time of
// day and follow the wall clock. So the layer stores its instants on the
// wall clock (the envelope's, the status page's and the trace's) and, at
// every tick, moves them by however far the wall clock jumped beyond the
// real time that passed: the intervals between them stay real.
type clock struct {
	wall    time.Time            // the last wall-clock reading, without a monotonic reading
	mono    func() time.Duration // real time since New, on the monotonic clock
	monoAt  time.Duration        // mono() at the last Pre
	elapsed time.Duration        // real time since New, as the ticks saw it
	last    time.Time            // the reading before wall
	d       time.Duration        // the real time between last and wall

	seenAct  time.Time // the envelope's LastActivity as last seen (on the envelope's clock)
	seenPlay time.Time // the envelope's LastPlay as last seen
	seenChat time.Time // lastChat as last placed on the wall clock

	// skew is how far the wall clock's reading is ahead of the layer's
	// (the envelope's time) at the last tick: quiet hours are read on the
	// wall clock, and the times the layer tells are put on it.
	skew time.Duration

	stepLogAt time.Duration // elapsed time after which a clock step is logged again

	// The clock is checked (Config.ClockSynced) before quiet hours are
	// trusted; once it has been synchronised it is trusted for good.
	synced   bool
	unsynced bool          // quiet hours are held because the clock is not synchronised
	syncAt   time.Duration // elapsed time at which to ask again
}

// syncPoll is how often an unsynchronised clock is asked again.
const syncPoll = time.Second

// stepLogEvery bounds the log lines about clock steps (each is counted).
const stepLogEvery = time.Minute

func newClock(start time.Time) clock {
	born := time.Now()
	start = start.Round(0)
	return clock{wall: start, seenChat: start, mono: func() time.Duration { return time.Since(born) }}
}

// follow moves the layer onto the wall-clock reading now (monotonic
// reading stripped), d real time after the last one. Caller holds l.mu.
func (l *Layer) follow(now time.Time, d time.Duration) {
	c := &l.clock
	if d < 0 { // a reading from the past: a wall clock set back, with no real time to go by
		d = l.cfg.Tick
	}
	// Saturating: a replay's clock may jump by centuries (Sub saturates at
	// 292 years), and nothing here may wrap round.
	step := minus(now.Sub(c.wall), d)
	c.last, c.wall, c.d, c.elapsed = c.wall, now, d, minus(c.elapsed, -d)
	prev := c.onWall(c.last)               // the last reading, on this reading's clock
	fresh := !l.lastChat.Equal(c.seenChat) // a request since the last tick
	if step != 0 {
		for _, t := range []*time.Time{&l.lastAct, &l.start, &l.auto.nextAt, &l.finale.until, &l.finale.nextAt} {
			if !t.IsZero() {
				*t = c.onWall(*t)
			}
		}
		if !fresh && !l.lastChat.IsZero() {
			l.lastChat = c.onWall(l.lastChat)
		}
		if step >= time.Second || step <= -time.Second {
			l.count("clock_step")
			if c.elapsed >= c.stepLogAt {
				c.stepLogAt = c.elapsed + stepLogEvery
				l.cfg.Log.Warn("the wall clock jumped; sessions, rests and autoplay keep to real time", "by", step.Round(time.Millisecond))
			}
		}
	}
	if fresh {
		// A request came between the last reading and this one; it said the
		// wall clock of its own moment, which may be on either side of a
		// jump, so it is kept between the two readings.
		l.lastChat = clamp(l.lastChat.Round(0), prev, now)
	}
	c.seenChat = l.lastChat
}

// onWall moves t, an instant on the last reading's clock, onto the
// current reading's: as far before or after it as t was from the last
// reading, less the real time between them. (Not t plus the jump: a jump
// of centuries does not fit in a time.Duration, but the layer's instants
// are close to its readings.)
func (c *clock) onWall(t time.Time) time.Time {
	return c.wall.Add(minus(t.Sub(c.last), c.d))
}

// activity returns the envelope's last activity on the wall clock of the
// current tick, and whether it is new since the last tick. The envelope
// recorded it on the previous tick's reading, before this tick's jump.
// Caller holds l.mu.
func (l *Layer) activity(now time.Time) (time.Time, bool) {
	act := l.env.LastActivity()
	if act.Equal(l.clock.seenAct) {
		return time.Time{}, false
	}
	l.clock.seenAct = act
	at := l.clock.onWall(act.Round(0))
	if at.Before(l.lastAct) {
		at = l.lastAct
	}
	if at.After(now) {
		at = now
	}
	return at, true
}

// playedNow reports whether the rig played (the envelope's LastPlay)
// since the last tick. Caller holds l.mu.
func (l *Layer) playedNow() bool {
	p := l.env.LastPlay()
	if p.Equal(l.clock.seenPlay) {
		return false
	}
	l.clock.seenPlay = p
	return true
}

// clockUnsynced reports whether quiet hours must be held because the wall
// clock is not known to be right: quiet hours are set, Config.ClockSynced
// says no, and it has never said yes. The tick at which it first says yes
// after a hold is held still: its wall-clock reading was taken before the
// answer, maybe before the step that came with it (NTP sets the clock,
// then says so). Caller holds l.mu.
func (l *Layer) clockUnsynced() bool {
	c := &l.clock
	if c.synced || l.cfg.ClockSynced == nil || l.cfg.QuietFrom == l.cfg.QuietTo {
		return false
	}
	if c.elapsed >= c.syncAt {
		c.syncAt = c.elapsed + syncPoll
		if l.cfg.ClockSynced() {
			c.synced = true
			held := c.unsynced // held this tick still; the next one reads the clock after the answer
			if held {
				c.unsynced = false
				l.cfg.Log.Info("the clock is synchronised: quiet hours follow it again")
			}
			return held
		}
	}
	if !c.unsynced {
		c.unsynced = true
		l.count("clock_unsynced")
		l.cfg.Log.Warn("the clock is not synchronised yet: quiet hours hold until it is")
	}
	return true
}

// minus is a - b, held at the ends of time.Duration's range.
func minus(a, b time.Duration) time.Duration {
	switch {
	case b > 0 && a < math.MinInt64+b:
		return math.MinInt64
	case b < 0 && a > math.MaxInt64+b:
		return math.MaxInt64
	}
	return a - b
}

func clamp(t, lo, hi time.Time) time.Time {
	if t.Before(lo) {
		return lo
	}
	if t.After(hi) {
		return hi
	}
	return t
}
