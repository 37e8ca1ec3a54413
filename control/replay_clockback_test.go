package control

import (
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// startEvents are events with the process that received each: the time
// of its start line and how many start lines came before it.
type startEvents struct {
	sliceEvents
	starts []time.Time
	counts []int
}

func (s *startEvents) Start() time.Time { return s.starts[s.i-1] }
func (s *startEvents) Starts() int      { return s.counts[s.i-1] }

// A process whose start is earlier than the latest time before it ran on
// a clock set back: its events are moved on by the difference, each keeps
// its spacing, and OnClockBack is told. A later process on a clock that is
// right again is not moved; nor is one without a start line.
func TestReplayRebasesAProcessOnAClockSetBack(t *testing.T) {
	s := time.Second
	evs := &startEvents{
		sliceEvents: sliceEvents{evs: []danmu.Event{
			chatAt("1", t0.Add(1*s)), chatAt("2", t0.Add(100*s)), // the first process, from t0
			chatAt("3", t0.Add(12*s)), chatAt("4", t0.Add(15*s)), // the second, started at t0+10s: moved on by 90s
			chatAt("5", t0.Add(200*s)), // the third, started at t0+190s, after the second's last (t0+105s)
		}},
		starts: []time.Time{t0, t0, t0.Add(10 * s), t0.Add(10 * s), t0.Add(190 * s)},
		counts: []int{1, 1, 2, 2, 3},
	}
	type told struct{ start, latest time.Time }
	var got []told
	var back int
	at := replayDecisions(t, evs, ReplayOptions{
		OnClockBack:  func(start, latest time.Time, _ int) { got = append(got, told{start, latest}) },
		OnBackInTime: func(time.Time, time.Time, int) { back++ },
	})
	want := map[string]time.Time{"1": t0.Add(1 * s), "2": t0.Add(100 * s), "3": t0.Add(102 * s), "4": t0.Add(105 * s), "5": t0.Add(200 * s)}
	for id, w := range want {
		if !at[id].Equal(w) {
			t.Errorf("event %s decided at %v, want %v", id, at[id], w)
		}
	}
	if len(got) != 1 || !got[0].start.Equal(t0.Add(10*s)) || !got[0].latest.Equal(t0.Add(100*s)) || back != 0 {
		t.Errorf("OnClockBack told %v, OnBackInTime %d times", got, back)
	}
}
