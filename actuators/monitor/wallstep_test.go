package monitor

import (
	"slices"
	"testing"
	"time"
)

// playing sends the pan axis back and forth by a degree every tick, from
// from to before to (offsets from the stream's start), sent when the wall
// clock read the stream's time plus wall.
func playing(from, to, wall time.Duration) []wallOp {
	var ops []wallOp
	x := 0.0
	for at := from; at < to; at += tick {
		x = 1 - x
		ops = append(ops, wallOp{mv(at, "pan", x), wall})
	}
	return ops
}

// runWall feeds ops from start and ends the stream at the last one.
func runWall(l Limits, start time.Time, ops []wallOp) *Monitor {
	m := New(l)
	var last time.Time
	for _, o := range ops {
		at := start.Add(o.at)
		var w time.Time
		if o.wall != 0 {
			w = at.Add(o.wall)
		}
		m.Output(Event{Time: at, Wall: w, Target: o.target, Action: o.action, Value: o.v})
		last = at
	}
	m.End(last)
	return m
}

// A step of the wall clock parks the rig only when it carries the clock
// into quiet hours from outside them, whatever its size: one inside them
// (NTP correcting the clock by 2 s at 02:00, or a live run's time
// rejoining the wall clock) allows no move, and one of a millisecond
// across their start allows the park that follows it.
func TestAStepAllowsAParkOnlyIntoQuietHours(t *testing.T) {
	l := baseLimits()
	l.Sessions.QuietFrom, l.Sessions.QuietTo = 23*time.Hour, 8*time.Hour
	for i := range l.Axes {
		l.Axes[i].Accel = 0 // the cases start a degree a tick from rest
	}
	park := l.park(DefaultTick)
	evening := time.Date(2026, 11, 28, 20, 0, 0, 0, time.UTC)
	twoAM := 6 * time.Hour // from evening
	home := wallOp{mv(0, "pan", 0), 0}
	// Quiet hours start a minute after start; the first output after the
	// step is before them on the stream's time, in them on the wall clock.
	lo := time.Minute
	before := time.Date(2026, 11, 28, 22, 59, 0, 0, time.UTC)
	intoQuiet := func(step time.Duration, last time.Duration) []wallOp {
		first := lo - step/2
		ops := append([]wallOp{home}, playing(first-ticks(2900), first, 0)...)
		ops = append(ops, playing(first, first+last, step)...)
		end := ops[len(ops)-1]
		end.at = first + last // the park's last angle, where the last one was
		return append(ops, end)
	}
	for _, c := range []struct {
		name  string
		start time.Time
		ops   []wallOp
		flag  bool
	}{
		{"set back 2 s at 02:00", evening, append([]wallOp{home}, playing(twoAM, twoAM+time.Second, -2*time.Second)...), true},
		{"set forward 2 s at 02:00", evening, append([]wallOp{home}, playing(twoAM, twoAM+time.Second, 2*time.Second)...), true},
		{"the stream rejoining the wall clock at 02:00", evening,
			append([]wallOp{home}, append(playing(twoAM-time.Second, twoAM, 2*time.Second), playing(twoAM, twoAM+time.Second, 0)...)...), true},
		{"800 ms forward across 23:00, parking", before, intoQuiet(800*time.Millisecond, park-time.Nanosecond), false},
		{"and moving after the park", before, intoQuiet(800*time.Millisecond, park), true},
		{"2 ms forward across 23:00, parking", before, intoQuiet(2*time.Millisecond, park-time.Nanosecond), false},
		{"set back 10 s into them at 08:00:05, parking", time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC),
			append(append([]wallOp{home}, playing(tick, 5*time.Second, 0)...), playing(5*time.Second, 5*time.Second+park, -10*time.Second)...), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := runWall(l, c.start, c.ops)
			if got := rules(m); c.flag != (len(got) > 0) {
				t.Errorf("rules %v, want quiet_hours %v\n%s", got, c.flag, list(m))
			}
			for _, r := range rules(m) {
				if r != "quiet_hours" {
					t.Errorf("broke %s: the case is wrong\n%s", r, list(m))
				}
			}
		})
	}
}

// A live run that follows a step of the wall clock at once moves its times
// with it: no offset changes, and the outputs of the tick of the step say
// what the wall clock read the tick before (Event.WallBefore). From
// outside quiet hours, the park after it passes; after the park, nothing
// does; and from inside them (the stream rejoining the wall clock, which
// did not move), nothing moves.
func TestAStepTheStreamFollowed(t *testing.T) {
	l := baseLimits()
	l.Sessions.QuietFrom, l.Sessions.QuietTo = 23*time.Hour, 8*time.Hour
	for i := range l.Axes {
		l.Axes[i].Accel = 0
	}
	park := l.park(DefaultTick)
	afternoon := time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC)
	night := afternoon.Add(9 * time.Hour)
	for _, c := range []struct {
		name   string
		before time.Time
		last   time.Duration
		flag   bool
	}{
		{"from 15:00, parking", afternoon.Add(-tick), park - time.Nanosecond, false},
		{"from 15:00, after the park", afternoon.Add(-tick), park, true},
		{"from inside them", night.Add(-tick), tick, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := New(l)
			m.Output(Event{Time: afternoon.Add(-time.Minute), Target: "pan", Action: "move"})
			m.Output(Event{Time: night, WallBefore: c.before, Target: "pan", Action: "move", Value: 1})
			m.Output(Event{Time: night.Add(c.last), Target: "pan", Action: "move", Value: 1})
			m.End(night.Add(c.last))
			if got := rules(m); c.flag != slices.Equal(got, []string{"quiet_hours"}) || !c.flag && len(got) > 0 {
				t.Errorf("rules %v, want quiet_hours %v\n%s", got, c.flag, list(m))
			}
		})
	}
}
