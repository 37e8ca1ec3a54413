package control

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu"
)

// steps records the times a replay steps its rig at.
type steps struct {
	*safety.Envelope
	at []time.Duration
	t0 time.Time
}

func (s *steps) Step(ctx context.Context, now time.Time) {
	s.at = append(s.at, now.Sub(s.t0))
	s.Envelope.Step(ctx, now)
}

// With ReplayOptions.Start the replay's ticks count from the rig's start,
// as the live motion loop's did, not from the first event 30 ms later.
func TestReplayTicksFromItsStart(t *testing.T) {
	for _, c := range []struct {
		start time.Time
		want  []time.Duration
	}{
		{t0, []time.Duration{20, 40, 60}},
		{time.Time{}, []time.Duration{50, 70}}, // no start: from the first event, at 30 ms
	} {
		rig := &steps{Envelope: benchRig(t), t0: t0}
		eng, err := New(rules200(t), rig, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ev := danmu.Event{Platform: "bilibili", Kind: danmu.KindChat, ID: "1", Time: t0.Add(30 * time.Millisecond),
			User: danmu.User{ID: "1", Role: danmu.RoleViewer}, Text: "左"}
		if _, err := ReplayUntil(context.Background(), &sliceEvents{evs: []danmu.Event{ev}}, eng, rig,
			ReplayOptions{Start: c.start, Drain: 45 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		want := make([]time.Duration, len(c.want))
		for i, ms := range c.want {
			want[i] = ms * time.Millisecond
		}
		if !slices.Equal(rig.at, want) {
			t.Errorf("start %v: stepped at %v, want %v", c.start, rig.at, want)
		}
	}
}
