package config

import (
	"fmt"
	"github.com/cattease/cattease/actuators/safety"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// MinLit is the least time limit a switch can work under: the envelope
// turns a switch on only when every time limit (max_on, the dwell cap,
// the daily budget) allows it lit until two and a half motion ticks
// ahead, so a limit under that keeps it dark for ever.
const MinLit = safety.DefaultTick * 5 / 2

// AutoplayPatterns are the patterns autoplay knows (see actuators/safety).
// The last five move a wand like prey (control/play's PreyPatterns).
var AutoplayPatterns = []string{"scurry", "circle", "zigzag", "peek", "dart", "freeze", "creep", "hide", "twitch"}

// Bounds on the safety section that no config may exceed.
const (
	// Horizon is the tilt of the horizon in the rig's frame (0° points
	// straight down): a ceiling must lie below it.
	Horizon = 90.0
	// MaxDwellRadius bounds dwell_radius, the angle the beam turns: a
	// wider circle would let a lit dot crawl around one spot without ever
	// counting as moved.
	MaxDwellRadius = 10.0
	// MaxKeepOutMargin bounds keep_out_margin, the angle the beam turns
	// (exclusive).
	MaxKeepOutMargin = 10.0
)

func (v *validator) safety(f File) {
	s := f.Safety
	if s.Timezone != "" {
		if _, err := time.LoadLocation(s.Timezone); err != nil {
			v.add("safety.timezone", "unknown time zone %q (use an IANA name such as Asia/Shanghai)", s.Timezone)
		}
	}
	laser := f.HasLaser()
	v.rig(f)
	v.roles(f, laser)
	v.ceiling(f, laser)
	for i, z := range s.KeepOut {
		v.zone(fmt.Sprintf("safety.keep_out[%d]", i), z, f)
	}
	if m := s.KeepOutMargin; m < 0 || m >= MaxKeepOutMargin {
		v.add("safety.keep_out_margin", "keep_out_margin %g° outside [0°, %g°) (the angle the beam turns)", m, MaxKeepOutMargin)
	}
	switch {
	case s.DwellCap.D() < 0:
		v.add("safety.dwell_cap", "must not be negative")
	case s.DwellCap.D() == 0 && laser:
		v.add("safety.dwell_cap", "a laser needs a dwell cap: with 0 a still dot could shine on one spot (an eye) for ever; leave the key out for the %v default", Duration(DefaultDwellCap))
	case s.DwellCap.D() > MaxDwellCap && laser:
		v.add("safety.dwell_cap", "dwell_cap %v above %v: a still dot would shine on one spot (an eye) that long", s.DwellCap, Duration(MaxDwellCap))
	case s.DwellCap.D() < MinLit && laser:
		v.add("safety.dwell_cap", "dwell_cap %v under %v: the laser would never light (it lights only when it may stay lit %v, two and a half motion ticks)", s.DwellCap, Duration(MinLit), Duration(MinLit))
	}
	if r := *s.DwellRadius; r <= 0 || r > MaxDwellRadius {
		v.add("safety.dwell_radius", "dwell_radius %g° outside (0°, %g°] (the angle the beam turns)", r, MaxDwellRadius)
	}
	switch d := s.DailyLaserBudget(); {
	case d == 0 && laser:
		v.add("safety.daily_laser", "a laser needs a daily budget: with 0 it could be lit all day; leave the key out for the %v default", Duration(DefaultDailyLaser))
	case d > 24*time.Hour:
		v.add("safety.daily_laser", "more than a day")
	case d < MinLit && laser:
		v.add("safety.daily_laser", "daily_laser %v under %v: the laser would never light (it lights only when it may stay lit %v, two and a half motion ticks)", Duration(d), Duration(MinLit), Duration(MinLit))
	case laser && d < time.Duration(laserCount(f))*MinLit:
		// Each laser lit at a tick leases its two and a half ticks from
		// the day's budget ahead: n of them together need n times that.
		n := laserCount(f)
		v.add("safety.daily_laser", "daily_laser %v under %v: %d lasers would never all light (each lit laser needs %v of the day's budget ahead, two and a half motion ticks)", Duration(d), Duration(time.Duration(n)*MinLit), n, Duration(MinLit))
	case laser && v.raw != nil && v.raw.Safety.DailyLaser != nil && lightDay(f) > 0 && d >= lightDay(f):
		// Only as written: the default may well exceed what a long
		// cooldown allows, and then the light budget is the stricter.
		v.add("safety.daily_laser", "daily_laser %v caps nothing: the lasers' max_on and cooldown already allow at most %v lit a day; write less, or leave the key out for the %v default",
			Duration(d), Duration(lightDay(f)), Duration(DefaultDailyLaser))
	}
	v.sessions(s.Sessions, f)
	if a := s.Autoplay.After; a > 0 && a >= s.DeadMan && v.intact("safety.dead_man") {
		v.add("safety.autoplay.after", "autoplay.after %v must be shorter than dead_man %v: the dead man parks first and autoplay would never start", a, s.DeadMan)
	}
	for i, p := range s.Autoplay.Patterns {
		if !slices.Contains(AutoplayPatterns, p) {
			v.add(fmt.Sprintf("safety.autoplay.patterns[%d]", i), "unknown pattern %q (use %v)", p, AutoplayPatterns)
		}
	}
}

// roles checks the axis roles and safety.aim against each other. A rig
// with a laser has exactly one pan and one tilt axis; aim, if written,
// names those two.
func (v *validator) roles(f File, laser bool) {
	byRole := map[string][]string{}
	badRole := false
	for _, name := range sortedNames(f.Hardware.Axes) {
		switch r := f.Hardware.Axes[name].Role; r {
		case RolePan, RoleTilt:
			byRole[r] = append(byRole[r], name)
		case "":
		default:
			badRole = true // reported at the axis
		}
	}
	for _, r := range []string{RolePan, RoleTilt} {
		if names := byRole[r]; len(names) > 1 {
			v.add("hardware.axes."+names[1]+".role", "role %s is given to both %q and %q: exactly one axis aims %s", r, names[0], names[1], roleWord[r])
		}
	}
	aim := v.raw.Safety.Aim
	written := aim != (Aim{})
	if badRole || v.rolesBroken() {
		v.noAim = true
		return
	}
	if laser && (len(byRole[RolePan]) == 0 || len(byRole[RoleTilt]) == 0) {
		v.noAim = true
		if written {
			v.add("safety.aim", "axis roles say which axes aim the laser: write role: pan / role: tilt on the axes")
		} else {
			v.add("hardware.axes", "a laser needs one axis with role: pan and one with role: tilt: write role: pan / role: tilt on the axes")
		}
		return
	}
	if !written {
		return
	}
	for _, c := range []struct{ role, named string }{{RolePan, aim.Pan}, {RoleTilt, aim.Tilt}} {
		names := byRole[c.role]
		if len(names) == 0 {
			if _, ok := f.Hardware.Axes[c.named]; !ok && c.named != "" {
				v.add("safety.aim."+c.role, "unknown axis %q", c.named)
			}
			continue
		}
		if c.named != names[0] {
			v.add("safety.aim."+c.role, "aim %s is %q but the axis with role: %s is %q: aim must name the role axes (or leave aim out)", c.role, c.named, c.role, names[0])
		}
	}
}

// rolesBroken reports whether a role, an axis as a whole or safety.aim did
// not decode: the role checks would then report its consequences.
func (v *validator) rolesBroken() bool {
	for _, b := range v.broken {
		switch {
		case b == "" || b == "hardware" || b == "hardware.axes" || b == "safety" || within(b, "safety.aim"):
			return true
		case within(b, "hardware.axes") && (depth(b) == 3 || strings.HasSuffix(b, ".role")):
			return true
		}
	}
	return false
}

var roleWord = map[string]string{RolePan: "left and right", RoleTilt: "near and far"}

// ceiling checks safety.ceiling: required with a laser, below the horizon,
// above the tilt minimum and above tilt home by CeilingMargin, the same
// rule the envelope applies (see UsableTiltMax).
func (v *validator) ceiling(f File, laser bool) {
	c := f.Safety.Ceiling
	if c == nil {
		if laser {
			v.add("safety.ceiling", "a laser needs a ceiling: the tilt the dot never reaches, below the horizon at %g°, e.g. ceiling: 42°", Horizon)
		}
		return
	}
	if *c >= Horizon {
		v.add("safety.ceiling", "ceiling %g° at or above the horizon (%g°, tilt 0° is straight down): the beam could leave the floor", *c, Horizon)
		return
	}
	_, tilt := f.AimAxes()
	ta, ok := f.Hardware.Axes[tilt]
	switch {
	case !v.intact("hardware.axes."+tilt) || (!ok && v.noAim):
	case !ok && tilt == "":
		v.add("safety.ceiling", "a ceiling needs an axis with role: tilt")
	case !ok:
		v.add("safety.ceiling", "a ceiling needs the tilt axis %q", tilt)
	case *c <= ta.Min:
		v.add("safety.ceiling", "ceiling %g° at or below the tilt minimum %g°", *c, ta.Min)
	case laser && ta.Min <= -*c: // a wand's feather has no beam to leave the floor
		v.add("safety.ceiling", "tilt minimum %g° at or below −ceiling (%g°): tilt 0° is straight down, so a negative tilt leans the other way, and %g° is as far from the floor as the ceiling", ta.Min, -*c, ta.Min)
	case ta.Home > f.TiltMax():
		v.add("safety.ceiling", "ceiling %g° leaves tilt home %g° above the usable tilt max %g° (the tilt stays %g° below the ceiling)", *c, ta.Home, deg(f.TiltMax()), CeilingMargin)
	}
}

func (v *validator) zone(p string, z Zone, f File) {
	pan, tilt := f.AimAxes()
	pa, okP := f.Hardware.Axes[pan]
	ta, okT := f.Hardware.Axes[tilt]
	m := f.Safety.KeepOutMargin
	switch {
	case !v.intact("hardware.axes."+pan) || !v.intact("hardware.axes."+tilt) || !v.intact("safety.keep_out_margin"):
	case (!okP || !okT) && v.noAim:
	case !okP || !okT:
		v.add(p, "keep-out zones need the pan and tilt axes (role: pan and role: tilt)")
	case len(z.Pan) != 2 || !(z.Pan[0] < z.Pan[1]):
		v.add(p+".pan", "write pan: [from, to] with from below to")
	case len(z.Tilt) != 2 || !(z.Tilt[0] < z.Tilt[1]):
		v.add(p+".tilt", "write tilt: [from, to] with from below to")
	default:
		g := safety.Zone{Name: z.Name, PanMin: float64(z.Pan[0]), PanMax: float64(z.Pan[1]),
			TiltMin: float64(z.Tilt[0]), TiltMax: float64(z.Tilt[1])}.Grow(float64(m))
		v.homeInAlias(p, z, g, f)
		switch {
		case !g.Contains(float64(pa.Home), float64(ta.Home)):
		case m > 0 && math.IsInf(g.PanMin, -1):
			v.add(p, "home (%g°, %g°) lies inside this zone grown by keep_out_margin %g° (the angle the beam turns): it comes within the margin of straight down, so it covers every pan from tilt %g° to %g°",
				pa.Home, ta.Home, m, deg(Angle(g.TiltMin)), deg(Angle(g.TiltMax)))
		case m > 0:
			v.add(p, "home (%g°, %g°) lies inside this zone grown by keep_out_margin %g° (the angle the beam turns) to pan [%g°, %g°], tilt [%g°, %g°]",
				pa.Home, ta.Home, m, deg(Angle(g.PanMin)), deg(Angle(g.PanMax)), deg(Angle(g.TiltMin)), deg(Angle(g.TiltMax)))
		default:
			v.add(p, "home (%g°, %g°) lies inside this zone (grown by keep_out_margin %g°)", pa.Home, ta.Home, m)
		}
	}
}

// homeInAlias refuses home inside one of the grown zone g's other names
// that the axes reach (the envelope's Zone.AliasHolding, so that a file
// that passes check starts): the envelope keeps the lit dot out of them
// as out of the zone, and will not start with home inside one.
func (v *validator) homeInAlias(p string, z Zone, g safety.Zone, f File) {
	pan, tilt := f.AimAxes()
	pa, ta := f.Hardware.Axes[pan], f.Hardware.Axes[tilt]
	m := f.Safety.KeepOutMargin
	box := safety.Zone{PanMin: float64(pa.Min), PanMax: float64(pa.Max), TiltMin: float64(ta.Min), TiltMax: float64(f.TiltMax())}
	how, zp, zt, in := g.AliasHolding(box, float64(pa.Home), float64(ta.Home))
	if !in {
		return
	}
	switch how {
	case safety.AliasPole:
		v.add(p, "home (%g°, %g°) points into zone %q: straight down (or up) is the beam of every pan, and it aims where (%g°, %g°) does, inside the zone (grown by keep_out_margin %g°)",
			pa.Home, ta.Home, z.Name, deg(Angle(zp)), deg(Angle(zt)), m)
	case safety.AliasMirror:
		v.add(p, "home (%g°, %g°) points into zone %q: leaning back past straight down, it aims where (%g°, %g°) does, inside the zone (grown by keep_out_margin %g°)",
			pa.Home, ta.Home, z.Name, deg(Angle(zp)), deg(Angle(zt)), m)
	default:
		v.add(p, "home (%g°, %g°) points into zone %q: a full turn away, it aims where (%g°, %g°) does, inside the zone (grown by keep_out_margin %g°)",
			pa.Home, ta.Home, z.Name, deg(Angle(zp)), deg(Angle(zt)), m)
	}
}

func (v *validator) sessions(s Sessions, f File) {
	if s.MaxPlay > 0 && s.Rest <= 0 {
		v.add("safety.sessions.rest", "a session length needs a rest after it")
	}
	if s.Treat != "" {
		sw, ok := f.Hardware.Switches[s.Treat]
		switch {
		case !v.intact("hardware.switches." + s.Treat):
		case !ok:
			v.add("safety.sessions.treat", "unknown switch %q", s.Treat)
		case sw.Laser == nil:
			// reported at the switch: it must say whether it is a laser
		case sw.IsLaser(s.Treat):
			v.add("safety.sessions.treat", "the treat switch %q is a laser", s.Treat)
		case s.TreatFor.D() > sw.MaxOn.D():
			v.add("safety.sessions.treat_for", "longer than the switch's max_on %v", sw.MaxOn)
		case s.TreatFor.D() > 0 && s.TreatFor.D() < MinLit:
			// The envelope would answer the treat ok and never pulse the
			// dispenser, and the day's count would take a treat never given.
			v.add("safety.sessions.treat_for", "treat_for %v under %v: %q would never turn on (a switch turns on only when it may stay on %v, two and a half motion ticks)", s.TreatFor, Duration(MinLit), s.Treat, Duration(MinLit))
		}
	}
	if s.TreatsPerDay < 0 {
		v.add("safety.sessions.treats_per_day", "must not be negative")
	}
	if s.Park != nil {
		v.park(*s.Park, f)
	}
}

// park checks that the end-of-session spot is reachable and below the
// ceiling, as home is.
func (v *validator) park(pt Point, f File) {
	pan, tilt := f.AimAxes()
	if !v.intact("hardware.axes."+pan) || !v.intact("hardware.axes."+tilt) || !v.intact("safety.ceiling") || v.noAim {
		return
	}
	if pa, ok := f.Hardware.Axes[pan]; !ok {
		v.add("safety.sessions.park", "a park spot needs the pan and tilt axes (role: pan and role: tilt)")
		return
	} else if pt.Pan < pa.Min || pt.Pan > pa.Max {
		v.add("safety.sessions.park.pan", "pan %g° outside the axis limits [%g°, %g°]", pt.Pan, pa.Min, pa.Max)
	}
	ta, ok := f.Hardware.Axes[tilt]
	switch {
	case !ok:
		v.add("safety.sessions.park", "a park spot needs the pan and tilt axes (role: pan and role: tilt)")
	case pt.Tilt < ta.Min || pt.Tilt > ta.Max:
		v.add("safety.sessions.park.tilt", "tilt %g° outside the axis limits [%g°, %g°]", pt.Tilt, ta.Min, ta.Max)
	case pt.Tilt > f.TiltMax():
		v.add("safety.sessions.park.tilt", "tilt %g° above the usable tilt max %g° (ceiling %g° − %g°)", pt.Tilt, deg(f.TiltMax()), *f.Safety.Ceiling, CeilingMargin)
	}
}

// deg rounds a computed angle for messages (37.995, not 37.995000000000005).
func deg(a Angle) float64 { return math.Round(float64(a)*1e9) / 1e9 }

func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// lightDay is the most the light budgets of f's lasers let them be lit in
// a day, together: each at most max_on in every max_on + cooldown. A daily
// budget at least that long never refuses anything. 0 if a laser's
// max_on or cooldown is out of range (reported on its own).
func lightDay(f File) time.Duration {
	const day = 24 * time.Hour
	var sum time.Duration
	for name, s := range f.Hardware.Switches {
		if !s.IsLaser(name) {
			continue
		}
		on, rest := s.MaxOn.D(), s.Cooldown.D()
		if on <= 0 || on > MaxSwitchOn || rest < 0 || rest > MaxCooldown {
			return 0
		}
		w := on + rest
		sum += day/w*on + min(day%w, on)
	}
	return min(sum, day)
}

// laserCount is how many switches are lasers.
func laserCount(f File) int {
	n := 0
	for name, s := range f.Hardware.Switches {
		if s.IsLaser(name) {
			n++
		}
	}
	return n
}
