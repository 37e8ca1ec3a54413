package safety

import (
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// shippedSettle is the hold of the shipped rules' axes: pan 90° at 90°/s
// and 600°/s² takes 1.15 s from rest to rest, tilt 35° at 60°/s and
// 400°/s² 0.733 s.
const shippedSettle = 1150 * time.Millisecond

// holdRig is aimRig (the shipped rules' pan/tilt laser) keeping its
// emergency stop in path ("" keeps none), with its pan servo on a bus
// that can fail; broken fails it from the first Step on. The rig is not
// stepped yet.
func holdRig(t *testing.T, path string, broken bool, mod func(*Config)) (*rig, *flaky) {
	t.Helper()
	pan := &flaky{Actuator: mock.New("pan", actuators.KindAxis, mock.Limits{}, nil), broken: broken}
	r := &rig{t: t, now: t0, pan: pan.Actuator, lz: mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}
	ceil := 42.0
	cfg := Config{
		Axes: []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600, DetachAfter: 2 * time.Second},
			{Name: "tilt", Min: 5, Max: 40, Home: 20, Speed: 60, Accel: 400, DetachAfter: 2 * time.Second}},
		Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: 20 * time.Second, Cooldown: 10 * time.Second}},
		PanAxis:  "pan", TiltAxis: "tilt", Ceiling: &ceil, StopFile: path,
		OnOutput: func(o Output) { r.outs = append(r.outs, o) },
	}
	if mod != nil {
		mod(&cfg)
	}
	env, err := NewAt(cfg, map[string]actuators.Actuator{"pan": pan, "laser": r.lz,
		"tilt": mock.New("tilt", actuators.KindAxis, mock.Limits{}, nil)}, t0)
	if err != nil {
		t.Fatal(err)
	}
	r.env = env
	return r, pan
}

// setBroken breaks or mends the flaky servo's bus.
func (f *flaky) setBroken(b bool) {
	f.mu.Lock()
	f.broken = b
	f.mu.Unlock()
}

// checkHold checks one process's outputs against the hold, written from
// the spec rather than the envelope: an axis's position is unknown from
// the start, and again after a detach before the hold ended; every
// delivered angle of an unknown axis is its home (its homing); until every
// axis is known and settle has passed since the latest homing H, every
// delivered angle is home and no laser is switched on. An output with an
// error was not delivered. It returns H + settle (zero if never homed).
func checkHold(t *testing.T, outs []Output, homes map[string]float64, settle time.Duration) time.Time {
	t.Helper()
	known := map[string]bool{}
	var end time.Time // H + settle, once every axis is known
	holding := func(at time.Time) bool {
		for name := range homes {
			if !known[name] {
				return true
			}
		}
		return at.Before(end)
	}
	for _, o := range outs {
		if o.Err != nil {
			continue
		}
		switch o.Action {
		case actuators.ActionAngle:
			if !known[o.Target] {
				if o.Value != homes[o.Target] {
					t.Fatalf("%v: %s's position is unknown and it was sent %v°, not home %v°", o.Time, o.Target, o.Value, homes[o.Target])
				}
				known[o.Target] = true
				if !holding(o.Time.Add(time.Hour * 24 * 365)) { // every axis known: the hold runs from this homing
					end = o.Time.Add(settle)
				}
				continue
			}
			if holding(o.Time) && o.Value != homes[o.Target] {
				t.Fatalf("%v: %s was sent %v° during the hold (until %v), not home", o.Time, o.Target, o.Value, end)
			}
		case actuators.ActionDetach:
			if holding(o.Time) {
				known[o.Target] = false
				end = time.Time{}
			}
		case actuators.ActionSwitch:
			if o.Value == 1 && holding(o.Time) {
				t.Fatalf("%v: %s switched on during the hold (until %v; known %v)", o.Time, o.Target, end, known)
			}
		}
	}
	return end
}

var shippedHomes = map[string]float64{"pan": 0, "tilt": 20}

// litAt is the first delivered "on" of the laser at or after from; zero
// if none.
func litAt(outs []Output, from time.Time) time.Time {
	for _, o := range outs {
		if o.Target == "laser" && o.Action == actuators.ActionSwitch && o.Value == 1 && o.Err == nil && !o.Time.Before(from) {
			return o.Time
		}
	}
	return time.Time{}
}

// homedAxes is what the Snapshot says of each axis's homing.
func homedAxes(env *Envelope) map[string]bool {
	h := map[string]bool{}
	for _, a := range env.Snapshot().Axes {
		h[a.Name] = a.Homed
	}
	return h
}

// TestACrashedAimIsHeldAtHomeBeforeTheLaser: a process aims dark to pan
// 40°, is stopped and crashes with the stop kept; the next one, resumed
// and asked for the laser, homes the servos (an SG90 needs ~67 ms for
// those 40°) and holds them at home, dark, until every servo has surely
// arrived: settle after the homing. A move asked meanwhile waits, then
// starts from home at rest.
func TestACrashedAimIsHeldAtHomeBeforeTheLaser(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cattease-estop")
		a, _ := holdRig(t, path, false, nil)
		a.step(1)
		a.env.Aim(a.now, 40, 20)
		a.step(100)
		a.env.Stop(a.now)
		a.step(10)
		synctest.Wait() // the stop is on disk; then the crash

		b, _ := holdRig(t, path, false, nil)
		b.step(5)
		if h := homedAxes(b.env); h["pan"] || h["tilt"] {
			t.Fatalf("started under a kept stop, the snapshot says homed: %v", h)
		}
		b.env.Resume(b.now)
		b.env.Switch(b.now, "laser", true, 0)
		b.step(1)
		if h := homedAxes(b.env); !h["pan"] || !h["tilt"] {
			t.Fatalf("homed, the snapshot says %v", h)
		}
		b.step(20)
		b.env.Aim(b.now, -10, 30) // during the hold: waits
		b.step(200)
		end := checkHold(t, b.outs, shippedHomes, shippedSettle)
		if end.IsZero() {
			t.Fatal("never homed")
		}
		if lit := litAt(b.outs, end); lit.IsZero() || lit.After(end.Add(DefaultTick)) {
			t.Fatalf("the hold ends at %v; the laser lit at %v", end, lit)
		}
		checkMotion(t, b.outs, "pan", 90, 600)
		checkMotion(t, b.outs, "tilt", 60, 400)
		if p, tl := b.pan.State().Angle, b.env.Snapshot().Axes[1].Pos; p != -10 || tl != 30 {
			t.Fatalf("after the hold the aim was not carried out: pan %v, tilt %v", p, tl)
		}
	})
}

// TestAFailedHomingLeavesTheLaserDark: the homing write of the pan servo
// fails (at a resume from a kept stop, or at an ordinary start), so the
// servo never got home and stays where the old process left it. The laser
// asked after the fault's backoff must wait until a homing is delivered
// and settle has passed, not light on a servo that took no angle.
func TestAFailedHomingLeavesTheLaserDark(t *testing.T) {
	for _, tc := range []struct {
		name    string
		stopped bool
	}{{"resumed", true}, {"started", false}} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "cattease-estop")
				if tc.stopped {
					a, _ := holdRig(t, path, false, nil)
					a.step(1)
					a.env.Aim(a.now, 40, 20)
					a.step(100)
					a.env.Stop(a.now)
					a.step(10)
					synctest.Wait()
				}
				b, pan := holdRig(t, path, !tc.stopped, nil)
				if tc.stopped {
					b.step(1)
					b.env.Resume(b.now)
					pan.setBroken(true)
				}
				b.env.Switch(b.now, "laser", true, 0)
				b.step(1) // the homing: pan's write fails
				pan.setBroken(false)
				b.step(20) // past the fault's backoff
				if h := homedAxes(b.env); h["pan"] {
					t.Fatal("the pan homing failed, the snapshot says it is homed")
				}
				b.env.Switch(b.now, "laser", true, 0)
				b.step(1)
				if b.lz.State().On {
					t.Fatalf("the laser lit; pan got %v", b.pan.History())
				}
				b.step(100)
				end := checkHold(t, b.outs, shippedHomes, shippedSettle)
				if h := b.pan.History(); len(h) == 0 || end.IsZero() {
					t.Fatalf("no homing delivered to pan after the fault: %v", h)
				}
				if lit := litAt(b.outs, end); lit.IsZero() || lit.After(end.Add(DefaultTick)) {
					t.Fatalf("the hold ends at %v; the laser lit at %v", end, lit)
				}
			})
		})
	}
}

// TestHomeAfterAKeptStopHomesTheServos: resumed from a stop kept from
// before start, the servos are limp where they braked, though the
// envelope takes them for home: 回中 (Home) or a park must home them, and
// the snapshot says they are not homed until they are.
func TestHomeAfterAKeptStopHomesTheServos(t *testing.T) {
	for _, tc := range []struct {
		name string
		ask  func(*Envelope, time.Time)
	}{
		{"home", func(e *Envelope, now time.Time) { e.Home(now) }},
		{"park", func(e *Envelope, _ time.Time) { e.Park(nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "cattease-estop")
				a, _ := holdRig(t, path, false, nil)
				a.step(1)
				a.env.Aim(a.now, 40, 30)
				a.step(100)
				a.env.Stop(a.now)
				a.step(10)
				synctest.Wait()

				b, _ := holdRig(t, path, false, nil)
				b.step(1)
				b.env.Resume(b.now)
				b.step(50)
				if len(b.angles("pan")) > 0 {
					t.Fatalf("resumed with nothing asked, pan was sent %v", b.angles("pan"))
				}
				if h := homedAxes(b.env); h["pan"] || h["tilt"] {
					t.Fatalf("not homed yet, the snapshot says %v", h)
				}
				tc.ask(b.env, b.now)
				b.step(1)
				if p, tl := b.angles("pan"), b.angles("tilt"); len(p) != 1 || p[0] != 0 || len(tl) != 1 || tl[0] != 20 {
					t.Fatalf("asked home after the resume: pan was sent %v, tilt %v", p, tl)
				}
				if h := homedAxes(b.env); !h["pan"] || !h["tilt"] {
					t.Fatalf("homed, the snapshot says %v", h)
				}
				b.step(100)
				checkHold(t, b.outs, shippedHomes, shippedSettle)
			})
		})
	}
}

// holdTicks is how many ticks the hold lasts after a homing: a laser
// asked at the first Step lights that many ticks after it, and a move
// starts then.
func holdTicks(e *Envelope) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return int((e.settle + e.cfg.Tick - 1) / e.cfg.Tick)
}

// pastHold steps the rig until the hold after its homing at the first
// Step has ended: its servos are surely home, and a laser may light. A
// rig started under a kept stop has nothing to wait for.
func (r *rig) pastHold() {
	r.t.Helper()
	if r.env.Stopped() {
		return
	}
	for range holdTicks(r.env) {
		r.step(1)
	}
	r.env.mu.Lock()
	defer r.env.mu.Unlock()
	if r.env.holding(r.now) {
		r.t.Fatalf("%v: still holding (until %v, %d axes unknown)", r.now, r.env.holdEnd, r.env.unknown)
	}
}

// holdTime is how long the hold lasts after a homing (Run's tests sleep
// past it).
func holdTime(e *Envelope) time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.settle
}

// TestSettleTime: the whole range from rest to rest, with the
// acceleration limit reaching full speed, without reaching it, and with
// no acceleration limit.
func TestSettleTime(t *testing.T) {
	for _, tc := range []struct {
		l    AxisLimits
		want float64 // seconds
	}{
		{AxisLimits{Min: -45, Max: 45, Speed: 90, Accel: 600}, 1.15},                  // 90/90 + 90/600
		{AxisLimits{Min: 5, Max: 40, Speed: 60, Accel: 400}, 35.0/60 + 0.15},          // 0.733…
		{AxisLimits{Min: 0, Max: 10, Speed: 90, Accel: 100}, 2 * 0.31622776601683794}, // 10 < 90²/100: 2·√(10/100)
		{AxisLimits{Min: -45, Max: 45, Speed: 30}, 3},
	} {
		got := tc.l.settleTime()
		if d := got.Seconds() - tc.want; d < 0 || d > 1e-9 {
			t.Errorf("%+v: settle %v, want %gs rounded up to the ns", tc.l, got, tc.want)
		}
	}
	env, _ := holdRig(t, "", false, nil)
	if got := holdTime(env.env); got != shippedSettle {
		t.Errorf("the shipped rig holds %v, want %v (the slowest axis)", got, shippedSettle)
	}
	wand, _ := holdRig(t, "", false, func(c *Config) { c.Switches[0].Laser = false })
	if got := holdTime(wand.env); got != 0 {
		t.Errorf("a rig without a laser holds %v, want none", got)
	}
}

// TestAStartHoldsBeforeTheLaser: an ordinary start, with the laser and a
// move asked before the first Step (the play layer asks before it): the
// homing, then everything still and dark until settle after it, then the
// move from home at rest and the light.
func TestAStartHoldsBeforeTheLaser(t *testing.T) {
	r, _ := holdRig(t, "", false, nil)
	r.env.Switch(r.now, "laser", true, 0)
	r.env.Aim(r.now, 30, 10)
	r.step(1)
	if h := homedAxes(r.env); !h["pan"] || !h["tilt"] {
		t.Fatalf("homed at the first Step, the snapshot says %v", h)
	}
	r.step(200)
	end := checkHold(t, r.outs, shippedHomes, shippedSettle)
	if !end.Equal(t0.Add(shippedSettle)) {
		t.Fatalf("the hold ends at %v, want %v", end, t0.Add(shippedSettle))
	}
	if lit := litAt(r.outs, end); lit.IsZero() || lit.After(end.Add(DefaultTick)) {
		t.Fatalf("the hold ends at %v; the laser lit at %v", end, lit)
	}
	checkMotion(t, r.outs, "pan", 90, 600)
	checkMotion(t, r.outs, "tilt", 60, 400)
	if p := r.pan.State().Angle; p != 30 {
		t.Fatalf("pan at %v after the hold, want 30", p)
	}
}

// TestAStopDuringTheHoldHomesAgain: a stop during the hold makes the
// servos limp before they have surely arrived home: after the resume they
// are homed again at the first request, and the hold counts again from
// that homing.
func TestAStopDuringTheHoldHomesAgain(t *testing.T) {
	r, _ := holdRig(t, "", false, nil)
	r.step(10)
	r.env.Stop(r.now)
	r.step(5)
	if h := homedAxes(r.env); h["pan"] || h["tilt"] {
		t.Fatalf("limp during the hold, the snapshot says homed: %v", h)
	}
	r.env.Resume(r.now)
	r.step(5)
	if n := len(r.angles("pan")); n != 1 {
		t.Fatalf("resumed with nothing asked: pan was sent %d angles, want the first homing only", n)
	}
	r.env.Switch(r.now, "laser", true, 0)
	again := r.now
	r.step(100)
	if p := r.angles("pan"); len(p) != 2 || p[1] != 0 {
		t.Fatalf("pan was sent %v, want homed again after the resume", p)
	}
	end := checkHold(t, r.outs, shippedHomes, shippedSettle)
	if !end.Equal(again.Add(shippedSettle)) {
		t.Fatalf("the hold ends at %v, want settle after the second homing, %v", end, again.Add(shippedSettle))
	}
	if lit := litAt(r.outs, end); lit.IsZero() || lit.After(end.Add(DefaultTick)) {
		t.Fatalf("the hold ends at %v; the laser lit at %v", end, lit)
	}
}

// TestNoDetachDuringTheHold: a servo that rests for less than the hold
// (detach_after 0.3 s) keeps its pulses until the hold ends: limp, it
// could be anywhere the homing had not brought it yet. After the hold it
// detaches as usual and stays homed.
func TestNoDetachDuringTheHold(t *testing.T) {
	r, _ := holdRig(t, "", false, func(c *Config) {
		c.Axes[0].DetachAfter, c.Axes[1].DetachAfter = 300*time.Millisecond, 300*time.Millisecond
	})
	r.step(100)
	checkHold(t, r.outs, shippedHomes, shippedSettle)
	detached := false
	for _, o := range r.outs {
		if o.Action == actuators.ActionDetach {
			if o.Time.Before(t0.Add(shippedSettle)) {
				t.Fatalf("%s detached at %v, during the hold", o.Target, o.Time)
			}
			detached = true
		}
	}
	if !detached {
		t.Fatal("never detached after the hold")
	}
	if h := homedAxes(r.env); !h["pan"] || !h["tilt"] {
		t.Fatalf("detached after the hold, the snapshot says %v", h)
	}
}

// TestAWandIsNotHeld: a rig without a laser has nothing to hold for: a
// move asked at start starts at the tick after the homing, as before.
func TestAWandIsNotHeld(t *testing.T) {
	r, _ := holdRig(t, "", false, func(c *Config) { c.Switches[0].Laser = false })
	r.step(1)
	r.env.MoveTo(r.now, "pan", 30)
	r.step(1)
	if p := r.angles("pan"); len(p) != 2 || p[1] == 0 {
		t.Fatalf("pan was sent %v: the move waits", p)
	}
}

// TestTheClockFollowsNoStepDuringTheHold: the hold is real time the
// servos need: a step forward of the wall clock is not followed while it
// lasts (it would end the hold at once), even on a rig whose limits
// remember nothing else.
func TestTheClockFollowsNoStepDuringTheHold(t *testing.T) {
	r, _ := holdRig(t, "", false, func(c *Config) { c.Axes[0].DetachAfter, c.Axes[1].DetachAfter = 0, 0 })
	r.step(5) // the homing is 4 ticks old: the limits remember nothing of it
	quiet := func() bool {
		r.env.mu.Lock()
		defer r.env.mu.Unlock()
		return r.env.quiet()
	}
	if quiet() {
		t.Fatal("quiet during the hold")
	}
	r.step(holdTicks(r.env))
	if !quiet() {
		t.Fatal("not quiet after the hold, with nothing asked")
	}
}

// TestAClockGoneBackDoesNotHoldAgain: Step on a virtual clock (a replay)
// may be given a time from before the hold's end once it is over; the
// servos arrived long ago, and play goes on.
func TestAClockGoneBackDoesNotHoldAgain(t *testing.T) {
	r, _ := holdRig(t, "", false, nil)
	r.step(1)
	r.pastHold()
	r.env.Switch(r.now, "laser", true, 0)
	r.step(2)
	r.now = r.now.Add(-30 * time.Minute)
	r.env.MoveTo(r.now, "pan", 20)
	r.step(5)
	if !r.lz.State().On {
		t.Error("the laser went dark when the clock went back")
	}
	if p := r.pan.State().Angle; p == 0 {
		t.Error("the move waits when the clock went back")
	}
}
