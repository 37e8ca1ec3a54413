package play

import (
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
)

// The envelope sends every axis home as it starts: that is no play. With
// no chat, no session starts, no treat drops and chat is not turned away
// ten minutes later (each restart used up one of the day's treats).
func TestAStartIsNoSession(t *testing.T) {
	b := newBench(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
		Config{MaxPlay: 10 * time.Minute, Rest: 20 * time.Minute, Treat: "treat",
			TreatFor: 500 * time.Millisecond, TreatsPerDay: 5, Location: time.UTC}, nil)
	b.step(b.ticks(11 * time.Minute))
	if at := b.treatsAt(); len(at) > 0 {
		t.Errorf("treats at %v with nothing played", at)
	}
	if st := b.play.Snapshot().Session; st.Phase != PhasePlay || !st.Until.IsZero() {
		t.Errorf("11 minutes after the start, nothing played: %+v, want play with no session", st)
	}
	if r := b.play.MoveTo(b.now, "pan", 5); r.Refused {
		t.Errorf("chat 11 minutes after the start: %+v", r)
	}
}

// Chat that starts six minutes after cattease gets its whole session.
func TestASessionCountsFromThePlay(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	b := newBench(t, t0, Config{MaxPlay: 10 * time.Minute, Rest: 20 * time.Minute, Location: time.UTC}, nil)
	b.step(b.ticks(6 * time.Minute))
	first := b.now
	for b.now.Sub(first) < 11*time.Minute {
		if r := b.play.MoveTo(b.now, "pan", float64(b.now.Second()%2*4)); r.Refused {
			if played := b.now.Sub(first); r.Reason != actuators.ReasonCatResting || played < 10*time.Minute {
				t.Fatalf("refused %v after %v of play (max_play 10m)", r.Reason, played)
			}
			return
		}
		b.step(50)
	}
	t.Fatal("played 11 minutes without a rest (max_play 10m)")
}

// Parks are no play either. Quiet hours from 12:01 to 12:03 park the rig
// on its catchable spot; nothing plays. The park is activity, which the
// sessions' limit counts (invariant 7: chat at 12:15 would make one
// session of it), so the cat rests after max_play all the same, but
// without the ritual: no treat drops, and the rig is not parked again.
func TestAParkIsNoPlay(t *testing.T) {
	park := [2]float64{10, 8}
	b := newBench(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), Config{MaxPlay: 10 * time.Minute, Rest: 20 * time.Minute,
		QuietFrom: 12*time.Hour + time.Minute, QuietTo: 12*time.Hour + 3*time.Minute, Park: &park, Treat: "treat",
		TreatFor: 500 * time.Millisecond, TreatsPerDay: 5, Location: time.UTC}, driven)
	b.step(b.ticks(15 * time.Minute))
	var parked []time.Time
	for _, o := range b.outs {
		if o.Action == actuators.ActionAngle && o.Target == "pan" && o.Value == 10 {
			parked = append(parked, o.Time)
		}
	}
	if len(parked) == 0 {
		t.Fatal("the rig never parked on its spot: the test proves nothing")
	}
	if last := parked[len(parked)-1]; last.After(parked[0].Add(time.Minute)) {
		t.Errorf("parked at %v and again at %v, nothing played", parked[0].Format("15:04:05"), last.Format("15:04:05"))
	}
	if at := b.treatsAt(); len(at) > 0 {
		t.Errorf("treats at %v, nothing played", at)
	}
	if st := b.play.Snapshot().Session; st.Phase != PhaseRest {
		t.Errorf("at 12:15: %+v, want the rest that follows the park's session", st)
	}
}
