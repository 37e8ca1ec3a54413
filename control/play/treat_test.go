package play

import (
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
)

func treats(outs []safety.Output) int {
	n := 0
	for _, o := range outs {
		if o.Target == "treat" && o.Value == 1 {
			n++
		}
	}
	return n
}

// A treat the envelope refuses at the end of a session (an emergency stop,
// the streamer switched the dispenser off) is not given, so it stays in
// the day's count for the next session.
func TestARefusedTreatStaysInTheDay(t *testing.T) {
	cases := []struct {
		name          string
		block, unlock func(b *bench)
	}{
		{"stopped", func(b *bench) { b.play.Stop(b.now) }, func(b *bench) { b.play.Resume(b.now) }},
		{"disabled", func(b *bench) { b.play.Enable("treat", false) }, func(b *bench) { b.play.Enable("treat", true) }},
	}
	for _, k := range cases {
		t.Run(k.name, func(t *testing.T) {
			b := newBench(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
				Config{MaxPlay: 30 * time.Second, Rest: time.Minute, Treat: "treat",
					TreatFor: 500 * time.Millisecond, TreatsPerDay: 1, Location: time.UTC}, nil)
			for i := range 25 {
				b.play.MoveTo(b.now, "pan", float64(i%2*4))
				b.step(50)
			}
			k.block(b)
			b.step(10 * 50) // the session ends meanwhile
			if ph := b.play.Snapshot().Session.Phase; ph != PhaseRest {
				t.Fatalf("phase %q 35 s into a 30 s session", ph)
			}
			if n := treats(b.outs); n != 0 {
				t.Fatalf("%d treats given while %s", n, k.name)
			}
			if n := b.play.Counts()["treat_refused"]; n != 1 {
				t.Errorf("treat_refused counted %d times, want 1", n)
			}
			k.unlock(b)
			b.step(70 * 50) // rested
			for i := range 40 {
				b.play.MoveTo(b.now, "pan", float64(i%2*4))
				b.step(50)
			}
			if n := treats(b.outs); n != 1 {
				t.Fatalf("the next session gave %d treats, want the day's one", n)
			}
		})
	}
}

// Once the day's treats are given, a session's end leaves the dispenser
// alone: nothing is sent and nothing stays asked for.
func TestNoTreatLeftLeavesTheDispenserAlone(t *testing.T) {
	b := newBench(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
		Config{MaxPlay: 30 * time.Second, Rest: time.Minute, Treat: "treat",
			TreatFor: 500 * time.Millisecond, TreatsPerDay: 1, Location: time.UTC}, nil)
	for session := range 2 {
		for i := 0; b.play.Snapshot().Session.Phase != PhaseRest; i++ {
			if i%50 == 0 {
				b.play.MoveTo(b.now, "pan", float64(i/50%2*4))
			}
			b.step(1)
		}
		var treat safety.SwitchState
		for _, s := range b.play.Snapshot().Switches {
			if s.Name == "treat" {
				treat = s
			}
		}
		if want := session == 0; treat.Requested != want {
			t.Fatalf("session %d ended with the treat requested %v, want %v", session+1, treat.Requested, want)
		}
		b.step(70 * 50)
	}
	if n := treats(b.outs); n != 1 {
		t.Fatalf("treats_per_day 1, gave %d", n)
	}
}
