package control

import (
	"context"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// receivedEvents are events with the times they were received live.
type receivedEvents struct {
	sliceEvents
	received []time.Time
}

func (r *receivedEvents) Received() time.Time { return r.received[r.i-1] }

func replayDecisions(t *testing.T, events EventReader, opts ReplayOptions) map[string]time.Time {
	t.Helper()
	env := benchRig(t)
	at := map[string]time.Time{}
	eng, err := New(rules200(t), env, Options{OnDecision: func(d Decision) {
		if _, ok := at[d.EventID]; !ok {
			at[d.EventID] = d.Time
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := ReplayUntil(ctx, events, eng, env, opts); err != nil {
		t.Fatal(err)
	}
	return at
}

func chatAt(id string, at time.Time) danmu.Event {
	return danmu.Event{Platform: "bilibili", Kind: danmu.KindChat, ID: id, Time: at,
		User: danmu.User{ID: id, Role: danmu.RoleViewer}, Text: "左"}
}

// Events are decided at the time they were received where the reader
// knows it, to the nanosecond (not at the tick before), and at their own
// time where it does not (zero).
func TestReplayDecidesAtReceived(t *testing.T) {
	sender := t0.Truncate(time.Second) // whole seconds, as Bilibili stamps gifts
	evs := []danmu.Event{chatAt("1", sender), chatAt("2", sender), chatAt("3", sender.Add(2*time.Second)), chatAt("4", sender.Add(3*time.Second))}
	received := []time.Time{t0.Add(300 * time.Millisecond), t0.Add(1234567 * time.Nanosecond * 1000), time.Time{}, t0.Add(3*time.Second + 7)}
	at := replayDecisions(t, &receivedEvents{sliceEvents{evs: evs}, received}, ReplayOptions{})
	for i, want := range []time.Time{received[0], received[1], evs[2].Time, received[3]} {
		if id := evs[i].ID; !at[id].Equal(want) {
			t.Errorf("event %s decided at %v, want %v", id, at[id], want)
		}
	}
}

// An event earlier than one before it is decided at the latest time, and
// OnBackInTime is told.
func TestReplayBackInTime(t *testing.T) {
	evs := []danmu.Event{chatAt("1", t0.Add(time.Second)), chatAt("2", t0), chatAt("3", t0.Add(500*time.Millisecond)), chatAt("4", t0.Add(2*time.Second))}
	type back struct{ at, latest time.Time }
	var told []back
	at := replayDecisions(t, &sliceEvents{evs: evs}, ReplayOptions{OnBackInTime: func(at, latest time.Time, _ int) { told = append(told, back{at, latest}) }})
	want := []back{{t0, t0.Add(time.Second)}, {t0.Add(500 * time.Millisecond), t0.Add(time.Second)}}
	if len(told) != 2 || told[0] != want[0] || told[1] != want[1] {
		t.Fatalf("told %v, want %v", told, want)
	}
	for id, want := range map[string]time.Time{"1": t0.Add(time.Second), "2": t0.Add(time.Second), "3": t0.Add(time.Second), "4": t0.Add(2 * time.Second)} {
		if !at[id].Equal(want) {
			t.Errorf("event %s decided at %v, want %v", id, at[id], want)
		}
	}
}
