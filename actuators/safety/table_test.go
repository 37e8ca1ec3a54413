package safety

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// The rows of the safety issue's table that live in the envelope: each ran
// a viewer's or a setup's trick that defeated a limit counted per request
// or per on-period. Each test fails on the old envelope.

// aimRig is a pan/tilt laser rig with the shipped rules' limits; the pan
// servo's mock reaches ±180°, or panLimits if given.
func aimRig(t *testing.T, mod func(*Config), panLimits ...mock.Limits) *rig {
	t.Helper()
	r := &rig{t: t, now: t0,
		pan: mock.New("pan", actuators.KindAxis, append(panLimits, mock.Limits{})[0], nil),
		lz:  mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}
	ceil := 42.0
	cfg := Config{
		Axes: []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600, DetachAfter: 2 * time.Second},
			{Name: "tilt", Min: 5, Max: 40, Home: 20, Speed: 60, Accel: 400, DetachAfter: 2 * time.Second}},
		Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: 20 * time.Second, Cooldown: 10 * time.Second}},
		PanAxis:  "pan", TiltAxis: "tilt", Ceiling: &ceil, DwellCap: 4 * time.Second,
		OnOutput: func(o Output) { r.outs = append(r.outs, o) },
	}
	if mod != nil {
		mod(&cfg)
	}
	env, err := NewAt(cfg, map[string]actuators.Actuator{"pan": r.pan, "laser": r.lz,
		"tilt": mock.New("tilt", actuators.KindAxis, mock.Limits{}, nil)}, t0)
	if err != nil {
		t.Fatal(err)
	}
	r.env = env
	r.step(1)
	r.pastHold() // the servos surely home: a laser may light
	return r
}

// litIntervals are the laser's lit intervals from the outputs, the last
// one closed at end.
func litIntervals(outs []Output, end time.Time) [][2]time.Time {
	var iv [][2]time.Time
	var since time.Time
	lit := false
	for _, o := range outs {
		if o.Target != "laser" || o.Action != actuators.ActionSwitch {
			continue
		}
		switch {
		case o.Value == 1 && !lit:
			lit, since = true, o.Time
		case o.Value == 0 && lit:
			lit = false
			iv = append(iv, [2]time.Time{since, o.Time})
		}
	}
	if lit {
		iv = append(iv, [2]time.Time{since, end})
	}
	return iv
}

// maxLitInWindow is the most lit time in any window of length w (brute
// force over window ends at interval ends).
func maxLitInWindow(iv [][2]time.Time, w time.Duration) time.Duration {
	var most time.Duration
	for _, e := range iv {
		end, start := e[1], e[1].Add(-w)
		var d time.Duration
		for _, v := range iv {
			d += overlap(v[0], v[1], start, end)
		}
		most = max(most, d)
	}
	return most
}

func total(iv [][2]time.Time) time.Duration {
	var d time.Duration
	for _, v := range iv {
		d += v[1].Sub(v[0])
	}
	return d
}

// runFor steps for d, calling every(i) at each whole period.
func (r *rig) runFor(d, period time.Duration, every func(i int)) {
	n := int(d / r.env.Tick())
	per := int(period / r.env.Tick())
	for i := range n {
		if per > 0 && i%per == 0 {
			every(i / per)
		}
		r.step(1)
	}
}

func TestToggleCannotKeepAStillDotLit(t *testing.T) {
	// 激光, then 关灯/激光 every 4 s, never moving: 88 s of 90 lit before.
	r := aimRig(t, nil)
	r.runFor(90*time.Second, 4*time.Second, func(int) {
		r.env.Switch(r.now, "laser", false, 0)
		r.env.Switch(r.now, "laser", true, 10*time.Second)
	})
	lit := total(litIntervals(r.outs, r.now))
	// The dwell cap holds across dark spells shorter than itself: at most
	// 4 s lit, then 4 s dark before a fresh count.
	if lit > 46*time.Second {
		t.Fatalf("a still dot was lit %v of 90 s by toggling", lit)
	}
	if r.env.Snapshot().Counts["dwell_blank"] == 0 {
		t.Fatal("the dwell cap never fired")
	}
}

func TestLightBudgetHoldsOverEveryWindow(t *testing.T) {
	cases := []struct {
		name   string
		period time.Duration
		act    func(r *rig)
	}{
		// 激光 / 关灯 every ~9.8 s: 98 % duty before.
		{"toggle", 9800 * time.Millisecond, func(r *rig) {
			on := r.lz.State().On
			r.env.Switch(r.now, "laser", !on, 10*time.Second)
		}},
		// A sequence [{off}, {on}] every 15 s: off+on between two ticks.
		{"off_on_in_one_tick", 15 * time.Second, func(r *rig) {
			r.env.Switch(r.now, "laser", false, 0)
			r.env.Switch(r.now, "laser", true, 0)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := aimRig(t, func(c *Config) { c.DwellCap = 0 })
			moving := 0.0
			r.runFor(5*time.Minute, c.period, func(i int) {
				moving = -moving + 10 // keep the dot moving so only the budget limits it
				r.env.MoveTo(r.now, "pan", moving)
				c.act(r)
			})
			iv := litIntervals(r.outs, r.now)
			if got := maxLitInWindow(iv, 30*time.Second); got > 20*time.Second {
				t.Fatalf("lit %v in a 30 s window (max_on 20 s, cooldown 10 s)", got)
			}
			if total(iv) < time.Minute {
				t.Fatalf("the laser barely lit (%v): the test exercises nothing", total(iv))
			}
		})
	}
}

// axisSpeeds are one axis's per-tick velocities from its angle outputs,
// with 0 for ticks without a move.
func axisSpeeds(outs []Output, name string, tick time.Duration) []float64 {
	var v []float64
	var last float64
	var lastT time.Time
	first := true
	for _, o := range outs {
		if o.Target != name || o.Action != actuators.ActionAngle {
			continue
		}
		if !first {
			for t := lastT.Add(tick); t.Before(o.Time); t = t.Add(tick) {
				v = append(v, 0)
			}
			v = append(v, (o.Value-last)/tick.Seconds())
		}
		first, last, lastT = false, o.Value, o.Time
	}
	return append(v, 0)
}

func checkMotion(t *testing.T, outs []Output, name string, speed, accel float64) {
	t.Helper()
	v := axisSpeeds(outs, name, DefaultTick)
	for i := range v {
		if math.Abs(v[i]) > speed+1e-6 {
			t.Fatalf("%s moved at %.2f°/s (limit %g) at tick %d", name, v[i], speed, i)
		}
		if i > 0 && math.Abs(v[i]-v[i-1])/DefaultTick.Seconds() > accel*(1+1e-6) {
			t.Fatalf("%s accelerated at %.0f°/s² (limit %g) at tick %d", name, math.Abs(v[i]-v[i-1])/DefaultTick.Seconds(), accel, i)
		}
	}
}

func TestLandingTickKeepsTheSpeedLimit(t *testing.T) {
	// tilt accel 4000°/s², speed 60°/s, then 上: the landing tick moved at 80°/s.
	r := aimRig(t, func(c *Config) { c.Axes[1].Accel = 4000 })
	for range 5 {
		r.env.MoveBy(r.now, "tilt", 4)
		r.step(30)
		r.env.MoveBy(r.now, "tilt", -1.3)
		r.step(30)
	}
	checkMotion(t, r.outs, "tilt", 60, 4000)
}

func TestStopAndResumeWhileMovingKeepTheAccelLimit(t *testing.T) {
	// 停 and 继续 5 ms apart while moving: a 3,850°/s² stop with the servo attached.
	r := aimRig(t, nil)
	r.env.MoveTo(r.now, "pan", 40)
	r.step(20)
	r.env.Stop(r.now.Add(-15 * time.Millisecond))
	r.env.Resume(r.now.Add(-10 * time.Millisecond))
	r.step(100)
	r.env.MoveTo(r.now, "pan", -40)
	r.step(20)
	r.env.Stop(r.now) // and a stop that lasts: brakes, then goes limp
	r.step(100)
	if r.env.MoveTo(r.now, "pan", 0).Refused != true {
		t.Fatal("a move during the stop must be refused")
	}
	r.env.Resume(r.now)
	r.env.MoveTo(r.now, "pan", 0) // resumes from where the servo went limp
	r.step(200)
	checkMotion(t, r.outs, "pan", 90, 600)
	if r.pan.State().Angle != 0 {
		t.Fatalf("pan should end at 0, is %v", r.pan.State().Angle)
	}
}

// TestKeepOutMarginGrowsTheZone: a target within the margin is moved to
// the grown zone's edge. The margin is the angle the beam turns, so the
// zone grows by 2° in tilt and in pan by asin(sin 2° / sin 8°), 14.5°: at
// its lowest tilt, 8°, a degree of pan turns the beam by sin 8°.
func TestKeepOutMarginGrowsTheZone(t *testing.T) {
	r := aimRig(t, func(c *Config) {
		c.Zones = []Zone{{Name: "tv", PanMin: 20, PanMax: 30, TiltMin: 10, TiltMax: 40}}
		c.ZoneMargin = 2
	})
	r.env.MoveTo(r.now, "tilt", 30)
	r.step(100)
	rep := r.env.MoveTo(r.now, "pan", 19) // outside the zone, inside its margin
	if rep.Reason != actuators.ReasonKeepOut {
		t.Fatalf("a target within the margin must be moved out: %+v", rep)
	}
	r.step(100)
	edge := 20 - math.Asin(math.Sin(2*math.Pi/180)/math.Sin(8*math.Pi/180))*180/math.Pi
	if p := r.env.Snapshot().Axes[0].Pos; p > edge+1e-9 {
		t.Fatalf("pan %v is inside the zone's margin (edge %v)", p, edge)
	}
}

func TestSnapshotShowsTheEmittedLaserAndWhy(t *testing.T) {
	r := aimRig(t, nil)
	r.env.Switch(r.now, "laser", true, 10*time.Second)
	r.step(5)
	if s := r.env.Snapshot().Switches[0]; !s.On || !s.Requested {
		t.Fatalf("lit laser: %+v", s)
	}
	r.step(300) // 6 s without movement: the dwell cap darkens it
	s := r.env.Snapshot().Switches[0]
	if s.On || !s.Requested || s.Reason != actuators.ReasonDwell {
		t.Fatalf("after 6 s still the laser must be off with reason dwell: %+v", s)
	}
	if r.lz.State().On {
		t.Fatal("the driver still emits")
	}
}

var _ = context.Background

// TestRoundTripsCannotKeepASpotLit: 左 then 右 (a combo, each step
// waiting to arrive) every 4 s with the laser on: the dot leaves its spot
// for a moment and comes back. The spot's light is counted over a window
// of twice the cap, away or not, so it is lit at most the cap, then dark
// for the cap, as a still dot is; before, each return started afresh and
// the spot was lit 26 s of 30.
func TestRoundTripsCannotKeepASpotLit(t *testing.T) {
	r := aimRig(t, func(c *Config) {
		c.Switches[0].MaxOn, c.Switches[0].Cooldown = 30*time.Second, 30*time.Second
	})
	r.env.Switch(r.now, "laser", true, 0)
	var atSpot time.Duration // lit with the dot within 1° of pan 0
	for i := range int(30 * time.Second / r.env.Tick()) {
		switch i % 200 { // every 4 s: out to -5° and straight back
		case 0:
			r.env.MoveTo(r.now, "pan", -5)
		case 20:
			r.env.MoveTo(r.now, "pan", 0)
		}
		r.step(1)
		if r.lz.State().On && math.Abs(r.pan.State().Angle) <= 1 {
			atSpot += r.env.Tick()
		}
	}
	// Lit 4 s, dark 4 s, at most, over and over: 16 s in 30 s, with a
	// tick's slack per lighting.
	if atSpot > 16*time.Second+4*r.env.Tick() {
		t.Fatalf("the spot at pan 0 was lit %v of 30 s by round trips (dwell cap 4 s)", atSpot)
	}
	if r.env.Snapshot().Counts["dwell_blank"] == 0 {
		t.Fatal("the dwell cap never fired")
	}
}

// TestSweepsAreNotDwells: a dot swept back and forth across the same
// spots for three minutes (autoplay, or a viewer's 左 and 右) lights each
// of them for a moment at a time: never a dwell, so never blanked.
func TestSweepsAreNotDwells(t *testing.T) {
	r := aimRig(t, func(c *Config) {
		c.Switches[0].MaxOn, c.Switches[0].Cooldown = time.Hour, time.Minute
	})
	r.env.Switch(r.now, "laser", true, 0)
	for i := range int(3 * time.Minute / r.env.Tick()) {
		if i%50 == 0 {
			r.env.MoveTo(r.now, "pan", float64(20-40*(i/50%2)))
		}
		r.step(1)
	}
	if n := r.env.Snapshot().Counts["dwell_blank"]; n != 0 {
		t.Fatalf("a sweeping dot was blanked %d times for dwelling", n)
	}
	if !r.lz.State().On {
		t.Fatal("the laser went dark")
	}
}
