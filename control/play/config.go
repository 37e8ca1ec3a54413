package play

import (
	"log/slog"
	"time"
)

// Config shapes play. The zero value means no sessions, no quiet hours and
// no autoplay: chat may play at any time, within the envelope's limits.
type Config struct {
	Tick time.Duration // the motion tick; default 20ms
	// MaxPlay is the longest play session; then the rig rests for Rest.
	MaxPlay, Rest time.Duration
	// QuietFrom and QuietTo are local wall-clock times of day (offsets
	// from midnight); between them chat control and the laser are off.
	// Equal values mean no quiet hours; QuietFrom > QuietTo spans midnight.
	QuietFrom, QuietTo time.Duration
	// Park is where a session ends (pan, tilt): a catchable spot or a toy,
	// so the chase ends in a catch. Nil means home.
	Park *[2]float64
	// Finish, if > 0, is the last stretch of every session: chat hands
	// over and the rig creeps low and slow to the park spot, twitching now
	// and then, so a wand ends where the cat can catch it (the catch that
	// ends play satisfied). It fits inside MaxPlay.
	Finish time.Duration
	// Treat names a switch pulsed for TreatFor at the end of a session, at
	// most TreatsPerDay times a day ("" = no treats).
	Treat        string
	TreatFor     time.Duration
	TreatsPerDay int
	Autoplay     Autoplay
	Location     *time.Location // nil = time.Local
	// ClockSynced reports whether the wall clock is known to be right.
	// With quiet hours set, the layer keeps quiet hours while it says no
	// and until the tick after it first says yes: a Pi without a
	// real-time clock boots with a guessed time (fake-hwclock's), which
	// may be the afternoon in the middle of the night. Asked once a second
	// until then. nil = the clock is always right (a replay, a test, a
	// laptop).
	ClockSynced func() bool
	// SessionFile keeps the session (its first and last activity, a
	// rest) across a restart, which is no rest: the next process goes on
	// with it, the time it was down counting as rest by the wall clock
	// only. A file that cannot be read makes the cat rest first. "" = in
	// memory only (a dry run, a replay).
	SessionFile string
	// Log says when the wall clock jumps and when quiet hours wait for
	// the clock; nil = no log.
	Log *slog.Logger
}

// Autoplay plays with the cat when chat is quiet. The zero value means
// no autoplay.
type Autoplay struct {
	// After is how long without a chat request before autoplay starts;
	// the first request takes over at once. 0 disables autoplay.
	After time.Duration
	// Patterns to choose from (see Patterns); empty means all.
	Patterns []string
	// Laser lights the laser during autoplay (within every laser limit).
	Laser bool
	// Seed makes the patterns repeatable (replays, tests); 0 = random.
	Seed uint64
}

// Patterns lists the laser's autoplay patterns, the default; a wand names
// the prey patterns (PreyPatterns) in its rules.
var Patterns = []string{"scurry", "circle", "zigzag", "peek"}

// Session phases.
const (
	PhaseOff   = "off"
	PhasePlay  = "play"
	PhaseRest  = "rest"
	PhaseQuiet = "quiet"
)

func (c Config) withDefaults() Config {
	if c.Tick <= 0 {
		c.Tick = 20 * time.Millisecond
	}
	if c.Location == nil {
		c.Location = time.Local
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return c
}

// quiet reports whether t falls in quiet hours and when they end. Both
// ends are wall-clock times in the configured zone, so a quiet period
// that spans a DST change is an hour shorter or longer in elapsed time.
// An end the clocks skip that night (02:30 when they spring from 02:00
// to 03:00) is the first instant after the gap (03:00).
func (c Config) quiet(t time.Time) (bool, time.Time) {
	if c.QuietFrom == c.QuietTo {
		return false, time.Time{}
	}
	lt := t.In(c.Location)
	fh, fm := hm(c.QuietFrom)
	th, tm := hm(c.QuietTo)
	for _, d := range [2]int{-1, 0} {
		start := wallTime(lt.Year(), lt.Month(), lt.Day()+d, fh, fm, c.Location)
		endDay := lt.Day() + d
		if c.QuietTo < c.QuietFrom {
			endDay++
		}
		end := wallTime(lt.Year(), lt.Month(), endDay, th, tm, c.Location)
		if !t.Before(start) && t.Before(end) {
			return true, end
		}
	}
	return false, time.Time{}
}

// wallTime is the instant the wall clock in loc reads h:m on the day y-m-d
// (normalised as time.Date does), or, when the clocks skip that time (a
// DST change springs over it), the first instant after the gap, where
// time.Date would pick an offset from either side of it and so land an
// hour early or late.
func wallTime(y int, mo time.Month, d, h, m int, loc *time.Location) time.Time {
	t := time.Date(y, mo, d, h, m, 0, 0, loc)
	want := time.Date(y, mo, d, h, m, 0, 0, time.UTC)
	got := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	switch {
	case got.Equal(want):
		return t
	case got.After(want): // read with the offset before the gap: past it
		start, _ := t.ZoneBounds()
		return start
	default: // read with the offset after the gap: before it
		_, end := t.ZoneBounds()
		return end
	}
}

func hm(d time.Duration) (h, m int) {
	return int(d / time.Hour), int(d % time.Hour / time.Minute)
}
