package play

import (
	"context"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/monitor"
)

// TestALateTickCarriesNoPlayIntoQuietHours: a real-time tick may come up
// to 2.5 ticks after the one before (a stall beyond that is its own
// rule), so the tick before quiet hours looks that far ahead. A tick 25 ms
// before they begin, followed by one 40 ms later, must already have put
// the laser out and parked: looking one tick ahead, it left the laser lit
// 15 ms into quiet hours, and the independent monitor flagged it.
func TestALateTickCarriesNoPlayIntoQuietHours(t *testing.T) {
	start := time.Date(2026, 11, 30, 22, 58, 0, 0, time.UTC)
	quiet := time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)
	pc := Config{MaxPlay: 10 * time.Minute, Rest: 15 * time.Minute, QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour,
		Location: time.UTC}
	b := newBench(t, start, pc, driven)
	ctx := context.Background()
	for b.now.Before(quiet.Add(-10 * time.Second)) { // the start and its hold, then nothing
		b.play.Step(ctx, b.now)
		b.now = b.now.Add(b.env.Tick())
	}
	if r := b.play.Switch(b.now, "laser", true, time.Minute); r.Refused {
		t.Fatalf("laser refused: %+v", r)
	}
	to := 10.0
	step := func() {
		b.play.Step(ctx, b.now)
		b.now = b.now.Add(b.env.Tick())
	}
	for n := 0; b.now.Before(quiet.Add(-100 * time.Millisecond)); n++ { // lit, the dot moving every 2 s
		if n%100 == 0 {
			to = -to
			b.play.MoveTo(b.now, "pan", to)
		}
		step()
	}
	step() // quiet hours 100 ms away: nothing to look ahead to yet
	if !b.laser.State().On {
		t.Fatal("the laser is not lit before quiet hours: the test tests nothing")
	}
	for b.now.Before(quiet.Add(-40 * time.Millisecond)) {
		step()
	}
	b.play.Step(ctx, b.now) // 40 ms before
	b.now = quiet.Add(-25 * time.Millisecond)
	b.play.Step(ctx, b.now)                  // 25 ms before, a little early
	b.now = b.now.Add(40 * time.Millisecond) // the next late: 15 ms into quiet hours
	for range 100 {
		step()
	}
	var lim = limitsFor(b.cfg(), pc)
	mon := monitor.New(lim)
	for _, o := range b.outs {
		action := string(o.Action)
		if o.Action == actuators.ActionAngle {
			action = "move"
		}
		mon.Output(monitor.Event{Time: o.Time, Wall: o.Wall, WallBefore: o.WallBefore, Exit: o.Exit,
			Failed: o.Err != nil, Target: o.Target, Action: action, Value: o.Value})
	}
	mon.End(b.now)
	for _, v := range mon.Violations() {
		t.Errorf("monitor: %v", v)
	}
}
