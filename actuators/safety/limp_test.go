package safety

import (
	"math"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
)

// limpViolations checks rule limp on a stream of outputs, in the words of
// the invariant: while any axis is detached, every laser is dark; when a
// detached axis gets its next angle at A, it gets no other angle, and no
// laser lights, until A + settle. A detach or an "on" counts whether its
// driver took it or not, an "off" only if it did: the worst case.
func limpViolations(outs []Output, lasers map[string]bool, settle time.Duration) []string {
	var bad []string
	lit := map[string]bool{}
	limp := map[string]bool{}
	type hold struct {
		until time.Time
		at    float64
	}
	held := map[string]hold{}
	var dark time.Time
	anyLit := func() bool {
		for _, v := range lit {
			if v {
				return true
			}
		}
		return false
	}
	anyLimp := func() bool {
		for _, v := range limp {
			if v {
				return true
			}
		}
		return false
	}
	for _, o := range outs {
		at := o.Time.Sub(t0)
		switch {
		case lasers[o.Target] && o.Action == actuators.ActionSwitch:
			if o.Value == 0 {
				if o.Err == nil {
					lit[o.Target] = false
				}
				continue
			}
			lit[o.Target] = true
			if anyLimp() || o.Time.Before(dark) {
				bad = append(bad, "laser on at "+at.String()+" with a servo limp or held after its re-attach")
			}
		case o.Action == actuators.ActionDetach:
			limp[o.Target] = true
			if anyLit() {
				bad = append(bad, o.Target+" detached at "+at.String()+" under a lit laser")
			}
		case o.Action == actuators.ActionAngle:
			if limp[o.Target] {
				limp[o.Target] = false
				held[o.Target] = hold{o.Time.Add(settle), o.Value}
				if u := o.Time.Add(settle); u.After(dark) {
					dark = u
				}
				continue
			}
			if h, ok := held[o.Target]; ok && o.Time.Before(h.until) && o.Value != h.at {
				bad = append(bad, o.Target+" moved at "+at.String()+" during its hold after a re-attach")
			}
		}
	}
	return bad
}

// limpRig is the aim rig with the laser's budget wide enough to stay lit.
func limpRig(t *testing.T) *rig {
	return aimRig(t, func(c *Config) {
		c.Switches[0].MaxOn, c.Switches[0].Cooldown = 10*time.Second, 10*time.Second
		c.DwellCap = time.Minute
	})
}

func (r *rig) checkLimp() {
	r.t.Helper()
	for _, b := range limpViolations(r.outs, map[string]bool{"laser": true}, r.env.settle) {
		r.t.Error(b)
	}
}

// outsOf lists the outputs of one target and action.
func (r *rig) outsOf(target string, action actuators.Action) []Output {
	var v []Output
	for _, o := range r.outs {
		if o.Target == target && o.Action == action {
			v = append(v, o)
		}
	}
	return v
}

// The review's repro: a still dot lit while its servos come to rest. The
// servos stay driven while the laser is lit or asked for, and go limp
// only once it is off.
func TestLimpNoDetachUnderALitLaser(t *testing.T) {
	r := newRig(t, func(c *Config) {
		c.Switches[0].Laser = true
		c.Switches[0].MaxOn, c.Switches[0].Cooldown = 10*time.Second, 10*time.Second
	})
	r.outs = nil
	r.env.MoveTo(r.now, "pan", 10)
	r.step(20) // there, not yet limp (detach_after 1 s)
	r.env.Switch(r.now, "laser", true, 5*time.Second)
	off := r.now.Add(5 * time.Second)
	r.step(300)
	r.checkLimp()
	d := r.outsOf("pan", actuators.ActionDetach)
	if len(d) == 0 {
		t.Fatal("pan never went limp once the laser was off")
	}
	if d[0].Time.Before(off) {
		t.Fatalf("pan went limp at %v, under the laser asked until %v", d[0].Time.Sub(t0), off.Sub(t0))
	}
	if on := r.outsOf("laser", actuators.ActionSwitch); len(on) == 0 || on[0].Value != 1 {
		t.Fatalf("the laser never lit: %+v", on)
	}
}

// A laser asked for while a servo is limp: the servo is re-attached at its
// last angle, held there with the laser dark for settle, and the laser
// then lights for as long as it was asked.
func TestLimpLaserWaitsForTheReattach(t *testing.T) {
	r := limpRig(t)
	r.env.Aim(r.now, 10, 25)
	r.step(200) // there, then limp after detach_after 2 s
	st := r.env.Snapshot()
	for _, a := range st.Axes {
		if a.Attached {
			t.Fatalf("%s still attached after 4 s at rest", a.Name)
		}
	}
	r.outs = nil
	asked := r.now
	if rep := r.env.Switch(r.now, "laser", true, 2*time.Second); rep.Refused {
		t.Fatalf("refused: %+v", rep)
	}
	r.step(250)
	r.checkLimp()
	var pans []Output
	for _, o := range r.outs {
		if o.Target == "pan" {
			pans = append(pans, o)
		}
	}
	if len(pans) == 0 || pans[0].Action != actuators.ActionAngle || pans[0].Value != 10 {
		t.Fatalf("pan not re-attached at its last angle, 10°: %+v", pans)
	}
	sw := r.outsOf("laser", actuators.ActionSwitch)
	if len(sw) < 2 || sw[0].Value != 1 || sw[1].Value != 0 {
		t.Fatalf("the laser did not light and go off: %+v", sw)
	}
	if a := pans[0].Time; sw[0].Time.Before(a.Add(r.env.settle)) {
		t.Fatalf("lit at %v, before the re-attach at %v + settle %v", sw[0].Time.Sub(t0), a.Sub(t0), r.env.settle)
	}
	if sw[0].Time.Sub(asked) > r.env.settle+3*r.env.Tick() {
		t.Fatalf("asked at %v, lit only at %v", asked.Sub(t0), sw[0].Time.Sub(t0))
	}
	if lit := sw[1].Time.Sub(sw[0].Time); lit < 2*time.Second-3*r.env.Tick() {
		t.Fatalf("lit %v of the 2 s asked: the hold ate the request", lit)
	}
	if n := r.env.Snapshot().Counts["limp_hold"]; n == 0 {
		t.Fatal("the re-attach was not counted")
	}
}

// A move asked for a limp servo: re-attached at its last angle, held
// there for settle, then it moves.
func TestLimpMoveWaitsForTheReattach(t *testing.T) {
	r := limpRig(t)
	r.env.Aim(r.now, 10, 25)
	r.step(200)
	r.outs = nil
	r.env.MoveTo(r.now, "pan", -20)
	r.step(150)
	r.checkLimp()
	p := r.outsOf("pan", actuators.ActionAngle)
	if len(p) < 3 || p[0].Value != 10 {
		t.Fatalf("pan: %+v", p)
	}
	var moved Output
	for _, o := range p[1:] {
		if o.Value != 10 {
			moved = o
			break
		}
	}
	if moved.Time.Before(p[0].Time.Add(r.env.settle)) {
		t.Fatalf("pan moved at %v, before its re-attach at %v + settle", moved.Time.Sub(t0), p[0].Time.Sub(t0))
	}
	if last := p[len(p)-1].Value; math.Abs(last+20) > 1e-9 {
		t.Fatalf("pan ended at %v, not at -20", last)
	}
	if tilts := r.outsOf("tilt", actuators.ActionAngle); len(tilts) != 0 {
		t.Fatalf("tilt, limp and asked nothing, was re-attached: %+v", tilts)
	}
}

// A park leaves a limp servo where it is: woken, it would be held for
// settle before the park's move, longer than a park may take.
func TestLimpParkLeavesALimpServo(t *testing.T) {
	r := limpRig(t)
	r.env.Aim(r.now, 10, 25)
	r.step(200)
	r.outs = nil
	r.env.Park(nil)
	r.step(100)
	if len(r.outs) != 0 {
		t.Fatalf("a park of a limp rig sent %+v", r.outs)
	}
	if !r.env.Settled() {
		t.Fatal("the park left targets a limp rig never reaches")
	}
	// Asked again, it plays again.
	r.env.MoveTo(r.now, "pan", 0)
	r.step(150)
	r.checkLimp()
	if p := r.angles("pan"); len(p) == 0 || p[len(p)-1] != 0 {
		t.Fatalf("pan after the park: %v", p)
	}
}

// A park while a re-attached servo is held: it stays there, and gets no
// angle once the hold ends.
func TestLimpParkDuringTheHold(t *testing.T) {
	r := limpRig(t)
	r.env.Aim(r.now, 10, 25)
	r.step(200)
	r.outs = nil
	r.env.MoveTo(r.now, "pan", -20)
	r.step(5)
	r.env.Park(nil)
	r.step(150)
	r.checkLimp()
	for _, v := range r.angles("pan") {
		if v != 10 {
			t.Fatalf("pan moved for the park after its hold: %v", r.angles("pan"))
		}
	}
}

// An emergency stop's limp servos: after the resume, a laser asked for
// waits for the re-attach's hold.
func TestLimpAfterAStop(t *testing.T) {
	r := limpRig(t)
	r.env.Aim(r.now, 10, 25)
	r.env.Switch(r.now, "laser", true, 0)
	r.step(60)
	r.env.Stop(r.now)
	r.step(50)
	if d := r.outsOf("pan", actuators.ActionDetach); len(d) == 0 {
		t.Fatal("the stop did not make pan limp")
	}
	r.env.Resume(r.now)
	r.env.Switch(r.now, "laser", true, 0)
	r.step(150)
	r.checkLimp()
	sw := r.outsOf("laser", actuators.ActionSwitch)
	if len(sw) == 0 || sw[len(sw)-1].Value != 1 {
		t.Fatalf("the laser never lit after the resume: %+v", sw)
	}
}

// A rig without a laser keeps its old way: a limp servo asked to move
// moves at once.
func TestLimpWandMovesAtOnce(t *testing.T) {
	r := newRig(t, nil) // its switch is no laser
	r.step(100)
	if d := r.outsOf("pan", actuators.ActionDetach); len(d) == 0 {
		t.Fatal("pan never went limp")
	}
	r.outs = nil
	r.env.MoveTo(r.now, "pan", 20)
	r.step(3)
	if p := r.angles("pan"); len(p) < 2 || p[0] == 0 || p[1] == p[0] {
		t.Fatalf("a wand's limp servo did not move at once: %v", p)
	}
	if n := r.env.Snapshot().Counts["limp_hold"]; n != 0 {
		t.Fatalf("a rig without a laser held a limp servo (%d)", n)
	}
}
