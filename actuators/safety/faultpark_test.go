package safety_test

import (
	"context"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
)

// A driver fault on a rig the play layer parked (quiet hours, the end of
// a session) leaves it at its park spot: the failed write (most likely
// the detach after detach_after, on the bus that glitched) must not send
// the servos home at night or during the cat's rest.

// newParkedFaultRig is a fault rig whose servos detach after 2 s at rest,
// with the session limits on its monitor.
func newParkedFaultRig(t *testing.T, sess monitor.SessionLimits) *faultRig {
	t.Helper()
	axes := []safety.AxisLimits{
		{Name: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600, DetachAfter: 2 * time.Second},
		{Name: "tilt", Min: 5, Max: 40, Home: 20, Speed: 60, Accel: 400, DetachAfter: 2 * time.Second},
	}
	return newFaultRigWatched(t, axes, true, faultT0, sess)
}

// A failed detach after the quiet-hours park at the park spot sends the
// servos home in quiet hours.
func TestFaultAfterTheQuietHoursParkStaysParked(t *testing.T) {
	// faultT0 is 10:00:00; quiet from 10:00:10 to 11:00.
	r := newParkedFaultRig(t, monitor.SessionLimits{QuietFrom: 10*time.Hour + 10*time.Second, QuietTo: 11 * time.Hour})
	now := faultT0
	step := func(n int) {
		for range n {
			r.env.Step(context.Background(), now)
			now = now.Add(r.env.Tick())
		}
	}
	step(100)
	r.env.MoveTo(now, "pan", 30)
	r.env.MoveTo(now, "tilt", 35)
	step(200) // 6 s
	for now.Before(faultT0.Add(10 * time.Second)) {
		step(1)
	}
	r.env.Park(&[2]float64{0, 8}) // the play layer's quiet-hours park at the shipped park spot
	step(100)                     // parked at (0, 8) within 2 s
	t.Logf("tilt at %v", r.servos["tilt"].State().Angle)
	// detach_after 2 s: the detach's write fails (an I²C glitch)
	r.bus.set("tilt", true)
	for range 200 {
		n := len(r.outs)
		step(1)
		if len(r.outs) > n && r.outs[len(r.outs)-1].Err != nil {
			break
		}
	}
	r.bus.set("tilt", false)
	step(500)
	r.mon.End(now)
	for _, v := range r.mon.Violations() {
		t.Errorf("monitor: %v", v)
	}
	t.Logf("tilt at %v after", r.servos["tilt"].State().Angle)
	for _, o := range r.outs {
		if o.Time.After(faultT0.Add(10*time.Second)) && o.Time.Before(faultT0.Add(30*time.Second)) && (o.Target == "tilt" || o.Err != nil) {
			t.Logf("%v %s %s %.3f %v", o.Time.Sub(faultT0), o.Target, o.Action, o.Value, o.Err)
		}
	}
}

// A failed detach after the session-end park at the park spot moves the
// servos during the rest: the session runs past max_play + park.
func TestFaultAfterTheSessionParkStaysParked(t *testing.T) {
	r := newParkedFaultRig(t, monitor.SessionLimits{MaxPlay: 10 * time.Second, Rest: 60 * time.Second})
	now := faultT0
	step := func(n int) {
		for range n {
			r.env.Step(context.Background(), now)
			now = now.Add(r.env.Tick())
		}
	}
	step(100)
	start := now
	for i := 0; now.Before(start.Add(10 * time.Second)); i++ {
		if i%50 == 0 {
			r.env.MoveTo(now, "pan", float64((i/50)%2)*40-20)
		}
		step(1)
	}
	r.env.Park(&[2]float64{0, 8}) // the play layer's session-end park
	for !r.env.Settled() {
		step(1)
	}
	step(95) // detach_after 2 s
	r.bus.set("tilt", true)
	for range 200 {
		n := len(r.outs)
		step(1)
		if len(r.outs) > n && r.outs[len(r.outs)-1].Err != nil {
			break
		}
	}
	r.bus.set("tilt", false)
	step(500)
	r.mon.End(now)
	for _, v := range r.mon.Violations() {
		t.Errorf("monitor: %v", v)
	}
	t.Logf("LastPlay %v after the session's end", r.env.LastPlay().Sub(start.Add(10*time.Second)))
}
