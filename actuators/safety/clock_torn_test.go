package safety

import (
	"testing"
	"time"
)

// tornClock is a wall clock that moves with real time, read the way
// time.Now reads it: the wall clock, then real time. A read listed in
// tears took that long between the two (the thread was descheduled), so
// its real time is later than its wall clock says.
type tornClock struct {
	wall  time.Time
	real  time.Duration
	reads int
	tears map[int]time.Duration // read number (from 1) → how long it waited
}

func (c *tornClock) read() (time.Time, time.Duration) {
	c.reads++
	w := c.wall
	wait := c.tears[c.reads]
	c.wall, c.real = c.wall.Add(wait), c.real+wait // the wait passes for both
	return w, c.real
}

func (c *tornClock) pass(d time.Duration) { c.wall, c.real = c.wall.Add(d), c.real+d }

// TestRunClockIgnoresATornReading: a thread descheduled between reading
// the wall clock and real time (a loaded machine: about 1 run in 6) read
// a wall clock that seemed to lag by as long as it waited, and Run
// warned "the wall clock jumped; the limits keep to real time by=0s",
// then "the rig is quiet: its clock follows the wall clock again". A
// reading that shows a jump is taken again before it counts, and the
// first reading, which every later one is measured against, is the
// better of two. A real step of a few milliseconds still counts.
func TestRunClockIgnoresATornReading(t *testing.T) {
	for _, c := range []struct {
		name  string
		tears map[int]time.Duration
	}{
		{"the first reading", map[int]time.Duration{1: 3 * time.Millisecond}},
		{"the second reading of the first", map[int]time.Duration{2: 3 * time.Millisecond}},
		{"a later reading", map[int]time.Duration{40: 700 * time.Microsecond}},
		{"a later reading and its first re-read", map[int]time.Duration{40: 2 * time.Millisecond, 41: time.Millisecond}},
		{"many readings", map[int]time.Duration{7: time.Millisecond, 20: 5 * time.Millisecond, 33: 50 * time.Microsecond, 90: 12 * time.Millisecond}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tc := &tornClock{wall: t0, tears: c.tears}
			clk := &runClock{read: tc.read}
			for i := range 100 {
				_, _, stepped, resynced := clk.now(i%2 == 0)
				if stepped || resynced {
					t.Fatalf("reading %d: stepped %v, resynced %v: a torn reading taken for a step", i, stepped, resynced)
				}
				if clk.off {
					t.Fatalf("reading %d: the envelope's time left the wall clock", i)
				}
				tc.pass(20 * time.Millisecond)
			}
		})
	}

	tc := &tornClock{wall: t0}
	clk := &runClock{read: tc.read}
	clk.now(false)
	tc.pass(20 * time.Millisecond)
	tc.wall = tc.wall.Add(-3 * time.Millisecond) // stepped back 3 ms: every re-read shows it
	if _, _, stepped, _ := clk.now(false); !stepped {
		t.Fatal("a step of the wall clock of 3 ms was not noticed")
	}
}
