package control

import (
	"context"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu"
)

// hourly is a rig stepped once an hour of virtual time, so that a test can
// cross long silences quickly; it reports itself dark, so the clock may
// jump.
type hourly struct{ *safety.Envelope }

func (hourly) Tick() time.Duration { return time.Hour }
func (hourly) Idle() bool          { return true }

// TestReplayCrossesAnyGap: a recording whose next event is millennia
// later (a hand-edited or hostile file: times up to the year 9999 parse)
// replays at once. Past a day of silence the clock jumps as far as it
// must, in jumps a time.Duration can hold (292 years); one jump and then
// tick by tick stepping would take hours.
func TestReplayCrossesAnyGap(t *testing.T) {
	env := benchRig(t)
	eng, err := New(rules200(t), env, Options{})
	if err != nil {
		t.Fatal(err)
	}
	far := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	viewer := danmu.User{ID: "1", Role: danmu.RoleViewer}
	evs := []danmu.Event{
		{Platform: "bilibili", Kind: danmu.KindChat, ID: "1", Time: t0, User: viewer, Text: "左"},
		{Platform: "bilibili", Kind: danmu.KindChat, ID: "2", Time: far, User: viewer, Text: "右"},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	end, err := ReplayUntil(ctx, &sliceEvents{evs: evs}, eng, hourly{env}, ReplayOptions{Drain: time.Hour})
	if err != nil || end.Before(far) {
		t.Fatalf("replay ended at %v with %v; want past %v", end, err, far)
	}
}
