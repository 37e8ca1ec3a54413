package play

import (
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
)

// ticks is how many motion ticks d is on the bench.
func (b *bench) ticks(d time.Duration) int { return int(d / b.env.Tick()) }

// treatsAt lists when the treat switch was pulsed.
func (b *bench) treatsAt() []time.Time {
	var at []time.Time
	for _, o := range b.outs {
		if o.Target == "treat" && o.Action == actuators.ActionSwitch && o.Value == 1 {
			at = append(at, o.Time)
		}
	}
	return at
}

// A session that runs into quiet hours ends there without its ritual: no
// treat at night. The rest still follows it.
func TestNoTreatInQuietHours(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 22, 55, 0, 0, time.UTC)
	b := newBench(t, t0, Config{MaxPlay: 10 * time.Minute, Rest: 20 * time.Minute, QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour,
		Treat: "treat", TreatFor: 500 * time.Millisecond, TreatsPerDay: 5, Location: time.UTC}, nil)
	for range 5 * 60 { // a command a second until quiet hours
		b.play.MoveTo(b.now, "pan", float64(b.now.Second()%2*4))
		b.step(50)
	}
	b.step(b.ticks(15 * time.Minute))
	if at := b.treatsAt(); len(at) > 0 {
		t.Errorf("treats at %v (quiet hours from 23:00)", at)
	}
	if n := b.play.Counts()[string(actuators.ReasonCatResting)]; n != 1 {
		t.Errorf("%d rests, want the one after the session", n)
	}
}
