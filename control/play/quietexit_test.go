package play

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
)

// The rig rests at its park spot (away from home) in quiet hours when the
// service is stopped: Run's way out brings the axes home before it halts
// them. Those outputs are marked as the park on the way out, and the
// independent monitor passes them: without the mark it saw angles sent
// minutes into quiet hours.
func TestAStopInQuietHoursParksHomeUnflagged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		park := [2]float64{10, 10} // away from home: the way out moves
		pc := Config{MaxPlay: 8 * time.Minute, Rest: 15 * time.Minute,
			QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour, Location: time.UTC, Park: &park}
		var lim monitor.Limits
		cr := runOnWallClock(t, 15*time.Hour, pc, func(c *safety.Config) { driven(c); lim = limitsFor(*c, pc) })
		cr.synced.Store(true)
		time.Sleep(2 * time.Second)
		if r := cr.play.MoveTo(cr.wall(), "pan", 30); r.Refused {
			t.Fatalf("chat refused: %+v", r)
		}
		time.Sleep(2 * time.Minute)
		cr.offset.Store(int64(24 * time.Hour)) // 15:02 -> 00:02: the rig parks at its spot
		time.Sleep(10 * time.Second)
		stop := cr.real()
		cr.stop() // the run homes the axes, then halts them
		cr.mu.Lock()
		defer cr.mu.Unlock()
		// clockRun's monitor is not told the mark: this one is, as the
		// trace tells it (control.Trace, "exit").
		mon := monitor.New(lim)
		home := 0
		for _, o := range cr.outs {
			action := string(o.Action)
			if o.Action == actuators.ActionAngle {
				action = "move"
			}
			mon.Output(monitor.Event{Time: o.Time, Wall: o.Wall, WallBefore: o.WallBefore, Exit: o.Exit,
				Failed: o.Err != nil, Target: o.Target, Action: action, Value: o.Value})
			if o.real < stop {
				if o.Exit {
					t.Errorf("%s %s %v at %v marked as the way out before the stop", o.Target, o.Action, o.Value, o.Time)
				}
				continue
			}
			if !o.Exit {
				t.Errorf("%s %s %v at %v on the way out, unmarked", o.Target, o.Action, o.Value, o.Time)
			}
			if o.Action == actuators.ActionAngle {
				home++
			}
		}
		if home == 0 {
			t.Fatal("the way out moved nothing: the test parks nowhere but home")
		}
		mon.End(cr.last)
		for _, v := range mon.Violations() {
			t.Errorf("monitor: %v", v)
		}
	})
}
