package control

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu"
)

// cancelling is the rig, stepped tick by tick, that cancels the replay
// at its cancelAt-th tick (a Ctrl-C landing mid-replay) and counts the
// ticks it was stepped with a cancelled context, whose writes the drivers
// refuse ("context canceled").
type cancelling struct {
	*safety.Envelope
	cancel           context.CancelFunc
	n, cancelAt, cut int
}

func (c *cancelling) Step(ctx context.Context, now time.Time) {
	if c.n++; c.n == c.cancelAt {
		c.cancel()
	}
	if ctx.Err() != nil {
		c.cut++
	}
	c.Envelope.Step(ctx, now)
}

// TestReplayCancelledEndsOnWholeTicks: a replay cancelled mid-way steps
// its rig with writes that can be made (the clock stops at the next
// virtual minute, every tick whole, as a live run's last tick is), and
// decides no event after the cancel.
func TestReplayCancelledEndsOnWholeTicks(t *testing.T) {
	env := benchRig(t)
	decided := map[string]bool{}
	eng, err := New(rules200(t), env, Options{OnDecision: func(d Decision) { decided[d.EventID] = true }})
	if err != nil {
		t.Fatal(err)
	}
	viewer := danmu.User{ID: "1", Role: danmu.RoleViewer}
	var evs []danmu.Event
	for i := range 10 { // one a minute
		evs = append(evs, danmu.Event{Platform: "bilibili", Kind: danmu.KindChat, ID: string(rune('a' + i)),
			Time: t0.Add(time.Duration(i) * time.Minute), User: viewer, Text: "左"})
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rig := &cancelling{Envelope: env, cancel: cancel, cancelAt: 3*int(time.Minute/env.Tick()) + 7}
	_, err = ReplayUntil(ctx, &sliceEvents{evs: evs}, eng, rig, ReplayOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("replay ended with %v, want it cancelled", err)
	}
	if rig.cut > 0 {
		t.Errorf("%d ticks stepped with the cancelled context: their writes fail", rig.cut)
	}
	if len(decided) != 4 {
		t.Errorf("events %v decided, want the four before the cancel in the fourth minute", decided)
	}
}
