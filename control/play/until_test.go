package play

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// After NTP set the clock back 8 h, the envelope keeps its time 8 h ahead
// of the wall clock. The times it tells through the play layer (a request
// clamped to the laser's max_on, the laser's rest when its light budget is
// spent, the same in the snapshot the overlay draws) are put on the wall
// clock, which chat and the overlay compare them with: a cooldown of
// seconds is seconds, not 8 h.
func TestTheEnvelopesTimesAreToldOnTheWallClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cr := runOnWallClock(t, 8*time.Hour, Config{Location: time.UTC},
			func(c *safety.Config) { c.DwellCap = time.Minute; driven(c) }) // the still dot stays lit its max_on
		cr.synced.Store(true)
		time.Sleep(5 * time.Second)
		cr.offset.Store(0) // NTP: set back 8 h
		time.Sleep(5 * time.Second)
		within := func(what string, at time.Time, most time.Duration) {
			t.Helper()
			if left := at.Sub(cr.wall()); left <= 0 || left > most {
				t.Errorf("%s at %v, %v from the wall clock's %v: want within %v", what, at, left, cr.wall(), most)
			}
		}
		laser := func() safety.SwitchState {
			for _, s := range cr.play.Snapshot().Switches {
				if s.Name == "laser" {
					return s
				}
			}
			t.Fatal("no laser in the snapshot")
			return safety.SwitchState{}
		}
		r := cr.play.Switch(cr.wall(), "laser", true, 30*time.Second) // max_on 20 s
		if r.Refused || r.Reason != actuators.ReasonMaxOn {
			t.Fatalf("asked for 30 s: %+v, want clamped to max_on", r)
		}
		within("clamped until", r.Until, 20*time.Second)
		time.Sleep(time.Second)
		within("the snapshot's off_at", laser().OffAt, 20*time.Second)
		time.Sleep(14 * time.Second)
		cr.play.Switch(cr.wall(), "laser", false, 0) // lit 15 s
		time.Sleep(time.Second)
		if r := cr.play.Switch(cr.wall(), "laser", true, 10*time.Second); r.Refused {
			t.Fatalf("5 s of the budget left: %+v", r)
		}
		time.Sleep(7 * time.Second) // lit its 5 s, then dark, still asked for: resting
		if s := laser(); s.Reason != actuators.ReasonResting {
			t.Fatalf("the budget spent: %+v, want resting", s)
		} else {
			within("the snapshot's until", s.Until, 30*time.Second)
			within("the snapshot's rest_until", s.RestUntil, 30*time.Second)
			within("the snapshot's off_at", s.OffAt, 10*time.Second)
		}
		time.Sleep(5 * time.Second)
		r = cr.play.Switch(cr.wall(), "laser", true, 0)
		if !r.Refused || r.Reason != actuators.ReasonResting {
			t.Fatalf("in the cooldown: %+v, want refused resting", r)
		}
		within("resting until", r.Until, 30*time.Second)
		cr.violations(t)
	})
}
