package control

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// A process started on a clock set back begins RestartLead after the
// latest time before it (a restart homes the rig and holds it still
// before it runs a command), not at that instant: its events are moved
// on by latest + RestartLead - start, their spacing kept. Before, its
// start was put on the run before's last event, a restart in no time,
// and its first commands fell inside that run's cooldowns.
func TestReplayRestartLeadAfterAClockSetBack(t *testing.T) {
	s := time.Second
	evs := &startEvents{
		sliceEvents: sliceEvents{evs: []danmu.Event{
			chatAt("1", t0.Add(1*s)), chatAt("2", t0.Add(100*s)), // the first process, from t0
			chatAt("3", t0.Add(10*s)), chatAt("4", t0.Add(13*s)), // the second, started at t0+10s on a clock set back
		}},
		starts: []time.Time{t0, t0, t0.Add(10 * s), t0.Add(10 * s)},
		counts: []int{1, 1, 2, 2},
	}
	var told []time.Time
	at := replayDecisions(t, evs, ReplayOptions{
		RestartLead: 1160 * time.Millisecond,
		OnClockBack: func(start, latest time.Time, _ int) { told = append(told, start, latest) },
	})
	lead := 1160 * time.Millisecond
	want := map[string]time.Time{"1": t0.Add(1 * s), "2": t0.Add(100 * s), "3": t0.Add(100*s + lead), "4": t0.Add(103*s + lead)}
	for id, w := range want {
		if !at[id].Equal(w) {
			t.Errorf("event %s decided at %v, want %v", id, at[id].Sub(t0), w.Sub(t0))
		}
	}
	if len(told) != 2 || !told[0].Equal(t0.Add(10*s)) || !told[1].Equal(t0.Add(100*s)) {
		t.Errorf("OnClockBack told %v", told)
	}
}

// A replay cut short tells OnRestart and OnClockBack of the processes
// whose events it decided, and of no other: a cancel landing before a
// restarted process's first event is decided leaves it untold, however
// far the EventReader has read. Before, OnClockBack was told as the
// event was read, before the clock got to it, and the cut replay said a
// restart was replayed on a clock set back that it never replayed.
func TestReplayCutShortTellsOnlyTheRestartsDecided(t *testing.T) {
	m := time.Minute
	events := func() *startEvents {
		return &startEvents{
			sliceEvents: sliceEvents{evs: []danmu.Event{
				chatAt("1", t0), chatAt("2", t0.Add(10*m)), // the first process, from t0
				chatAt("3", t0.Add(6*m)),  // the second, started at t0+1m on a clock set back: decided at t0+20m
				chatAt("4", t0.Add(30*m)), // the third, started at t0+20m
			}},
			starts: []time.Time{t0, t0, t0.Add(1 * m), t0.Add(20 * m)},
			counts: []int{1, 1, 2, 3},
		}
	}
	for _, tc := range []struct {
		name     string
		cancelAt time.Duration // from t0; 0: never
		restarts []int
		decided  int
	}{
		{"whole", 0, []int{2, 3}, 4},
		{"cut in the first process", 12 * m, nil, 2},
		{"cut in the second", 25 * m, []int{2}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := benchRig(t)
			decided := 0
			eng, err := New(rules200(t), env, Options{OnDecision: func(d Decision) {
				if d.Reason != "ran" {
					decided++
				}
			}})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rig := &cancelling{Envelope: env, cancel: cancel, cancelAt: -1}
			if tc.cancelAt > 0 {
				rig.cancelAt = int(tc.cancelAt / env.Tick())
			}
			var restarts []int
			clockBack := 0
			_, err = ReplayUntil(ctx, events(), eng, rig, ReplayOptions{
				RestartLead: 5 * m,
				Start:       t0,
				OnRestart:   func(starts int) { restarts = append(restarts, starts) },
				OnClockBack: func(time.Time, time.Time, int) { clockBack++ },
			})
			if tc.cancelAt > 0 != errors.Is(err, context.Canceled) {
				t.Fatalf("replay ended with %v", err)
			}
			wantBack := 0
			if len(tc.restarts) > 0 {
				wantBack = 1
			}
			if !slices.Equal(restarts, tc.restarts) || clockBack != wantBack || decided != tc.decided {
				t.Errorf("OnRestart told %v, OnClockBack %d times, %d events decided; want %v, %d, %d",
					restarts, clockBack, decided, tc.restarts, wantBack, tc.decided)
			}
		})
	}
}
