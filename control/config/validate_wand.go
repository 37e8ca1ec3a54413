package config

import (
	"math"
	"time"
)

// Rig kinds (Hardware.Rig, Kind).
const (
	RigLaser = "laser" // a laser pointer on pan/tilt: the eye protections apply
	RigWand  = "wand"  // a feather wand on a stick: lever-arm limits apply
	RigPlain = ""      // neither said nor a laser: servos (and, say, a treat switch)
)

// Limits for a wand rig. The stick is a lever arm: a 30 cm stick with a
// feather at its tip has about 7.5e-4 kg·m² of inertia about the horn
// (stick 10 g: mL²/3 = 3e-4; feather 5 g at 30 cm: mL² = 4.5e-4) and
// holds about 0.03 N·m against gravity when level. A 9 g servo (SG90)
// stalls at about 0.18 N·m. At MaxWandAccel (1500°/s² ≈ 26 rad/s²) the
// stick needs 0.02 N·m more, so gravity and acceleration together stay
// under a third of stall torque, leaving margin for the stick's whip, air
// drag on the feather and a tired servo. MaxWandSpeed is half an SG90's
// no-load speed (0.1 s/60°): faster, the gears take the overshoot.
const (
	MaxWandSpeed   = 300             // °/s
	MaxWandAccel   = 1500            // °/s²
	MaxWandRelease = 1 * time.Second // detach_after: a caught wand is let go this soon
	MaxDutyWindow  = time.Hour
)

// Kind is the rig kind: Hardware.Rig if written, else RigLaser when a
// switch is a laser, else RigPlain.
func (f *File) Kind() string {
	if f.Hardware.Rig != "" {
		return f.Hardware.Rig
	}
	if f.HasLaser() {
		return RigLaser
	}
	return RigPlain
}

// DutyFloor is the least duty max an axis may have: the envelope keeps
// the time of two parks in reserve (a park, and a brake or a second park
// after a stop), plus a second of play.
func DutyFloor(a Axis) time.Duration {
	return 2*ParkTime(a) + time.Second
}

// ParkTime is the longest one move across the axis's whole range can
// take at its speed and acceleration, braking from full speed first:
// range/speed + 2·speed/accel, plus 4 ticks of 20 ms.
func ParkTime(a Axis) time.Duration {
	if a.Speed <= 0 {
		return 0
	}
	s := math.Abs(float64(a.Max-a.Min)) / float64(a.Speed)
	if a.Accel > 0 {
		s += 2 * float64(a.Speed) / float64(a.Accel)
	}
	return time.Duration(s*1e9) + 80*time.Millisecond
}

// rig checks hardware.rig against the switches and the axes: a laser rig
// has a laser; a wand rig has none, and every wand axis has the lever-arm
// limits. Duty limits are checked on every axis that has one.
func (v *validator) rig(f File) {
	h := f.Hardware
	switch h.Rig {
	case RigPlain:
	case RigLaser:
		if !f.HasLaser() {
			v.add("hardware.rig", "rig: laser but no switch has laser: true (use rig: wand for a feather wand)")
		}
	case RigWand:
		for _, name := range sortedNames(h.Switches) {
			if h.Switches[name].Laser != nil && h.Switches[name].IsLaser(name) {
				v.add("hardware.switches."+name+".laser", "a wand rig has no laser: make %q laser: false (a treat dispenser) or use rig: laser", name)
			}
		}
		if len(h.Axes) == 0 {
			v.add("hardware.axes", "a wand rig needs an axis to swing the wand")
		}
	default:
		v.add("hardware.rig", "unknown rig %q (use laser or wand, or leave it out)", h.Rig)
	}
	for _, name := range sortedNames(h.Axes) {
		a := h.Axes[name]
		p := "hardware.axes." + name
		if h.Rig == RigWand {
			v.wandAxis(p, a)
		}
		if a.Duty != nil {
			v.duty(p+".duty", a)
		}
	}
}

func (v *validator) wandAxis(p string, a Axis) {
	if a.Speed > MaxWandSpeed {
		v.add(p+".speed", "speed %g°/s too fast for a wand (at most %d°/s: a stick on a 9 g servo overshoots and strips gears)", a.Speed, MaxWandSpeed)
	}
	switch {
	case a.Accel <= 0:
		v.add(p+".accel", "a wand needs an acceleration limit: the stick multiplies the load on the servo; e.g. accel: 900°/s² (at most %d°/s²)", MaxWandAccel)
	case a.Accel > MaxWandAccel:
		v.add(p+".accel", "accel %g°/s² too high for a wand (at most %d°/s²: see docs/hardware.md, the torque of a 30 cm stick)", a.Accel, MaxWandAccel)
	}
	if a.Duty == nil {
		v.add(p, "a wand axis needs a duty limit so back-and-forth play cannot overheat the servo: write duty: {max: 40s, window: 60s}")
	}
	if a.DetachAfter.D() > MaxWandRelease {
		v.add(p+".detach_after", "detach_after %v too long for a wand: a cat that catches the wand must not fight a holding servo (at most %v, e.g. 300ms)", a.DetachAfter, Duration(MaxWandRelease))
	}
}

func (v *validator) duty(p string, a Axis) {
	d := a.Duty
	switch {
	case d.Max.D() <= 0:
		v.add(p+".max", "duty max must be above 0s")
	case d.Window.D() <= d.Max.D():
		v.add(p+".window", "duty window %v must be longer than max %v: the servo needs time to rest in every window", d.Window, d.Max)
	case d.Window.D() > MaxDutyWindow:
		v.add(p+".window", "duty window %v longer than %v", d.Window, Duration(MaxDutyWindow))
	case a.Speed > 0 && d.Max.D() < DutyFloor(a):
		v.add(p+".max", "duty max %v too short for this axis: it must hold two whole-range moves in reserve (2×%v) and a second of play; at least %v",
			d.Max, ParkTime(a).Round(time.Millisecond), DutyFloor(a).Round(time.Millisecond))
	}
}
