package config

import (
	"fmt"
	"slices"
	"time"
)

// AutoplayPatterns are the patterns autoplay knows (see actuators/safety).
var AutoplayPatterns = []string{"scurry", "circle", "zigzag", "peek"}

func (v *validator) safety(f File) {
	s, h := f.Safety, f.Hardware
	if s.Timezone != "" {
		if _, err := time.LoadLocation(s.Timezone); err != nil {
			v.add("safety.timezone", "unknown time zone %q (use an IANA name such as Asia/Shanghai)", s.Timezone)
		}
	}
	tilt, hasTilt := h.Axes[s.Aim.Tilt]
	if s.Ceiling != nil {
		switch {
		case !hasTilt:
			v.add("safety.ceiling", "a ceiling needs the tilt axis %q", s.Aim.Tilt)
		case *s.Ceiling <= tilt.Min:
			v.add("safety.ceiling", "ceiling %g° at or below the tilt minimum %g°", *s.Ceiling, tilt.Min)
		case *s.Ceiling <= tilt.Home:
			v.add("safety.ceiling", "ceiling %g° at or below tilt home %g°", *s.Ceiling, tilt.Home)
		}
	}
	for i, z := range s.KeepOut {
		v.zone(fmt.Sprintf("safety.keep_out[%d]", i), z, f)
	}
	if s.DwellCap != nil && s.DwellCap.D() < 0 {
		v.add("safety.dwell_cap", "must not be negative")
	}
	if s.DailyLaser.D() > 24*time.Hour {
		v.add("safety.daily_laser", "more than a day")
	}
	v.sessions(s.Sessions, f)
	for i, p := range s.Autoplay.Patterns {
		if !slices.Contains(AutoplayPatterns, p) {
			v.add(fmt.Sprintf("safety.autoplay.patterns[%d]", i), "unknown pattern %q (use %v)", p, AutoplayPatterns)
		}
	}
}

func (v *validator) zone(p string, z Zone, f File) {
	pa, okP := f.Hardware.Axes[f.Safety.Aim.Pan]
	ta, okT := f.Hardware.Axes[f.Safety.Aim.Tilt]
	switch {
	case !okP || !okT:
		v.add(p, "keep-out zones need the pan and tilt axes %q and %q", f.Safety.Aim.Pan, f.Safety.Aim.Tilt)
	case len(z.Pan) != 2 || !(z.Pan[0] < z.Pan[1]):
		v.add(p+".pan", "write pan: [from, to] with from below to")
	case len(z.Tilt) != 2 || !(z.Tilt[0] < z.Tilt[1]):
		v.add(p+".tilt", "write tilt: [from, to] with from below to")
	case pa.Home > z.Pan[0] && pa.Home < z.Pan[1] && ta.Home > z.Tilt[0] && ta.Home < z.Tilt[1]:
		v.add(p, "home (%g°, %g°) lies inside this zone", pa.Home, ta.Home)
	}
}

func (v *validator) sessions(s Sessions, f File) {
	if s.MaxPlay > 0 && s.Rest <= 0 {
		v.add("safety.sessions.rest", "a session length needs a rest after it")
	}
	if s.Treat != "" {
		sw, ok := f.Hardware.Switches[s.Treat]
		switch {
		case !ok:
			v.add("safety.sessions.treat", "unknown switch %q", s.Treat)
		case sw.IsLaser(s.Treat):
			v.add("safety.sessions.treat", "the treat switch %q is a laser", s.Treat)
		case s.TreatFor.D() > sw.MaxOn.D():
			v.add("safety.sessions.treat_for", "longer than the switch's max_on %v", sw.MaxOn)
		}
	}
	if s.TreatsPerDay < 0 {
		v.add("safety.sessions.treats_per_day", "must not be negative")
	}
}
