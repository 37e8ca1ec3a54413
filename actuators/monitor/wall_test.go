package monitor

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// wallOp is an output at an offset from a stream's start, sent when the
// wall clock read the stream's time plus wall.
type wallOp struct {
	op
	wall time.Duration
}

func withWall(wall time.Duration, ops ...op) []wallOp {
	w := make([]wallOp, len(ops))
	for i, o := range ops {
		w[i] = wallOp{o, wall}
	}
	return w
}

// A live run keeps its outputs' times to real time across a step of the
// wall clock and says what the wall clock read (Event.Wall): quiet hours
// are read on that.
func TestQuietHoursOnTheWallClock(t *testing.T) {
	l := baseLimits()
	l.Sessions.QuietFrom, l.Sessions.QuietTo = 23*time.Hour, 8*time.Hour
	for i := range l.Axes {
		l.Axes[i].Accel = 0 // the cases jump a degree from rest
	}
	park := l.park(DefaultTick)
	afternoon := time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC)
	night := 9 * time.Hour // the wall clock reads 00:00 at 15:00
	cat := func(parts ...[]wallOp) []wallOp { return slices.Concat(parts...) }
	for _, c := range []struct {
		name  string
		start time.Time
		ops   []wallOp
		want  []string
	}{
		{"lit at night, the afternoon on the stream", afternoon,
			cat(withWall(0, mv(0, "pan", 0)), withWall(night, on(time.Minute), off(2*time.Minute))), []string{"quiet_hours"}},
		{"moving at night", afternoon,
			cat(withWall(0, mv(0, "pan", 0)), withWall(night, mv(time.Minute, "pan", 1), mv(time.Minute+park, "pan", 2))), []string{"quiet_hours"}},
		{"the night on the stream, the afternoon on the wall clock", afternoon.Add(night),
			cat(withWall(0, mv(0, "pan", 0)), withWall(-night, on(time.Minute), mv(2*time.Minute, "pan", 1), off(3*time.Minute))), nil},
		{"parking after a step into quiet hours", afternoon,
			cat(withWall(0, mv(0, "pan", 0)), withWall(night, mv(time.Minute, "pan", 1), mv(time.Minute+park-time.Nanosecond, "pan", 2))), nil},
		{"lit over a step into quiet hours, dark at the next output", afternoon,
			cat(withWall(0, mv(0, "pan", 0), on(time.Second)), withWall(night, off(2*time.Second))), nil},
		{"lit on after it", afternoon,
			cat(withWall(0, mv(0, "pan", 0), on(time.Second)), withWall(night, mv(2*time.Second, "pan", 0.5)), withWall(night, off(3*time.Second))),
			[]string{"quiet_hours"}},
		{"a slewed clock is no step", afternoon.Add(night), []wallOp{
			{mv(0, "pan", 0), 0}, {mv(time.Second, "pan", 0.5), 500 * time.Microsecond}, {mv(2*time.Second, "pan", 1), time.Millisecond}},
			[]string{"quiet_hours"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := New(l)
			var last time.Time
			for _, o := range c.ops {
				at := c.start.Add(o.at)
				var wall time.Time
				if o.wall != 0 {
					wall = at.Add(o.wall)
				}
				m.Output(Event{Time: at, Wall: wall, Target: o.target, Action: o.action, Value: o.v})
				last = at
			}
			m.End(last)
			if got := rules(m); !slices.Equal(got, c.want) {
				t.Errorf("rules %v, want %v\n%s", got, c.want, list(m))
			}
		})
	}
}

// ReadTrace reads the wall clock's reading of an output line ("wall").
func TestReadTraceReadsTheWallClock(t *testing.T) {
	l := baseLimits()
	l.Sessions.QuietFrom, l.Sessions.QuietTo = 23*time.Hour, 8*time.Hour
	lines := []string{
		`{"kind":"restart","time":"2026-11-28T15:00:00Z","keep_state":true}`,
		`{"kind":"output","time":"2026-11-28T15:00:00Z","target":"pan","action":"move","value":0}`,
		`{"kind":"output","time":"2026-11-28T15:01:00Z","wall":"2026-11-29T00:01:00Z","target":"laser","action":"switch","value":1}`,
		`{"kind":"output","time":"2026-11-28T15:01:05Z","wall":"2026-11-29T00:01:05Z","target":"laser","action":"switch","value":0}`,
	}
	m := New(l)
	if err := ReadTrace(strings.NewReader(strings.Join(lines, "\n")), m); err != nil {
		t.Fatal(err)
	}
	if got := rules(m); !slices.Equal(got, []string{"quiet_hours"}) {
		t.Errorf("rules %v, want quiet_hours\n%s", got, list(m))
	}
	if v := m.Violations(); len(v) > 0 && !strings.Contains(v[0].Detail, "wall clock 2026-11-29 00:01:00") {
		t.Errorf("the violation does not say the wall clock's time: %v", v[0])
	}
}
