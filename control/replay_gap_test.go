package control

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay"
)

// hourly is a rig stepped once an hour of virtual time, so that a test can
// cross long silences quickly; it reports itself dark, so the clock may
// jump.
type hourly struct{ *safety.Envelope }

func (hourly) Tick() time.Duration { return time.Hour }
func (hourly) Idle() bool          { return true }

// TestReplayCrossesAnyGap: a recording whose next event is centuries
// later (a hand-edited or hostile file) replays at once. Past a day of
// silence the clock jumps as far as it must; one jump and then tick by
// tick stepping would take hours.
func TestReplayCrossesAnyGap(t *testing.T) {
	env := benchRig(t)
	eng, err := New(rules200(t), env, Options{})
	if err != nil {
		t.Fatal(err)
	}
	far := MaxDrainTime.Add(-2 * time.Hour) // an hour of drain after it still fits
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

// An event at a time the rig cannot count in UnixNano (times up to the
// year 9999 parse) is a bad event, whichever EventReader hands it over:
// told to OnBadEvent and skipped, or the replay's error. A drain however
// long stops at MaxDrainTime.
func TestReplayRefusesTimesOutOfRange(t *testing.T) {
	viewer := danmu.User{ID: "1", Role: danmu.RoleViewer}
	chat := func(id string, at time.Time) danmu.Event {
		return danmu.Event{Platform: "bilibili", Kind: danmu.KindChat, ID: id, Time: at, User: viewer, Text: "左"}
	}
	replayed := func(events EventReader, opts ReplayOptions) (time.Time, []string, error) {
		env := benchRig(t)
		var ids []string
		eng, err := New(rules200(t), env, Options{OnDecision: func(d Decision) { ids = append(ids, d.EventID) }})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		end, err := ReplayUntil(ctx, events, eng, hourly{env}, opts)
		return end, slices.Compact(ids), err
	}

	var bad []string
	evs := []danmu.Event{chat("1", t0), chat("2", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)),
		chat("3", replay.MinTime.Add(-time.Nanosecond)), chat("4", t0.Add(time.Hour))}
	end, ids, err := replayed(&sliceEvents{evs: evs}, ReplayOptions{OnBadEvent: func(err error) { bad = append(bad, err.Error()) },
		Drain: math.MaxInt64})
	want := []string{
		"bad event: time 9999-12-31T00:00:00Z is outside the years 1970 to 2261",
		"bad event: time 1969-12-31T23:59:59.999999999Z is outside the years 1970 to 2261",
	}
	if err != nil || !slices.Equal(bad, want) || !slices.Equal(ids, []string{"1", "4"}) {
		t.Fatalf("err %v, bad events %q, decided %v", err, bad, ids)
	}
	if end.After(MaxDrainTime) || end.Before(MaxDrainTime.Add(-time.Hour)) {
		t.Errorf("a drain of 292 years ended at %v, want the hour before %v", end, MaxDrainTime)
	}

	received := &receivedEvents{sliceEvents{evs: []danmu.Event{chat("1", t0), chat("2", t0)}}, []time.Time{{}, replay.MaxTime}}
	if _, ids, err := replayed(received, ReplayOptions{}); !errors.Is(err, replay.ErrBadEvent) ||
		!strings.Contains(err.Error(), "time 2262-01-01T00:00:00Z is outside") || !slices.Equal(ids, []string{"1"}) {
		t.Fatalf("received in 2262: err %v, decided %v", err, ids)
	}
}
