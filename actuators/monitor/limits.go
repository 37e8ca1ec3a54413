package monitor

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/cattease/cattease/control/config"
)

// DefaultTick is the motion tick τ when Limits.Tick is zero.
const DefaultTick = 20 * time.Millisecond

// DefaultDwellRadius is the dwell radius in degrees of beam angle when
// Limits.DwellRadius is zero.
const DefaultDwellRadius = 1.0

// Limits is everything the monitor needs to know about the rig.
type Limits struct {
	Tick          time.Duration // motion tick τ; 0 = DefaultTick
	Axes          []AxisLimits
	Ceiling       *float64 // tilt-role angles stay strictly below; nil = none
	Zones         []Zone   // keep-out rectangles in pan/tilt degrees
	KeepOutMargin float64  // the least angle from a lit dot's beam to a zone, degrees
	Switches      []SwitchLimits
	DwellCap      time.Duration  // 0 = no dwell check
	DwellRadius   float64        // degrees of beam angle; 0 = DefaultDwellRadius
	DailyLaser    time.Duration  // 0 = no daily cap
	Location      *time.Location // for the daily budget and quiet hours; nil = time.Local
	Sessions      SessionLimits
	// Slack lets the time-based limits (dwell, light budget, daily) run
	// over by this much. The envelope decides them until 2.5 ticks
	// ahead, so a late tick stretches none of them unless the motion
	// loop stalled (safety/doc.go): verify and replay use 0, and a
	// limit run over is a violation. A checker that knows its trace's
	// ticks may be later than that (a trace from an older envelope, or
	// a host known to stall) may set it.
	Slack time.Duration

	// noHold leaves rules "hold" and "limp" out, as on a rig without a
	// laser: for the tests of the other rules, which light a laser at the
	// homing's instant or without one, or on a servo just detached.
	// Nothing outside the package can set it.
	noHold bool
}

// AxisLimits are one servo axis's limits. Role is "pan", "tilt" or "".
type AxisLimits struct {
	Name, Role string
	Min, Max   float64 // degrees
	Home       float64 // degrees; where the dot starts in every process
	Speed      float64 // °/s
	Accel      float64 // °/s²; 0 = unlimited
	// DutyMax is the most motion time (τ per instant with an angle
	// output) in any window of DutyWindow; 0 = no duty limit.
	DutyMax, DutyWindow time.Duration
}

// Zone is a keep-out rectangle: pan in [PanMin, PanMax], tilt in
// [TiltMin, TiltMax]; its region is the beams of those dots, which a lit
// dot's beam keeps KeepOutMargin of beam angle from.
type Zone struct {
	Name             string
	PanMin, PanMax   float64
	TiltMin, TiltMax float64
}

// SwitchLimits are one switch's limits; MaxOn 0 = no light budget.
type SwitchLimits struct {
	Name            string
	Laser           bool
	MaxOn, Cooldown time.Duration
}

// SessionLimits shape play. MaxPlay 0 = no session check. Quiet hours
// are From–To offsets into the local day by wall clock (hours, minutes
// and seconds are used); From == To means none; From > To spans midnight.
type SessionLimits struct {
	MaxPlay, Rest      time.Duration
	QuietFrom, QuietTo time.Duration
}

// FromConfig derives the limits from a loaded config (see config.Load).
func FromConfig(f *config.File) (Limits, error) {
	if f == nil {
		return Limits{}, errors.New("monitor: no config")
	}
	s := f.Safety
	l := Limits{
		Tick:          DefaultTick,
		KeepOutMargin: float64(s.KeepOutMargin),
		DwellRadius:   DefaultDwellRadius,
		DailyLaser:    s.DailyLaserBudget(),
		Location:      time.Local,
		Sessions: SessionLimits{
			MaxPlay: s.Sessions.MaxPlay.D(), Rest: s.Sessions.Rest.D(),
			QuietFrom: s.Sessions.QuietHours.From, QuietTo: s.Sessions.QuietHours.To,
		},
	}
	if s.Timezone != "" {
		loc, err := time.LoadLocation(s.Timezone)
		if err != nil {
			return Limits{}, fmt.Errorf("monitor: timezone: %w", err)
		}
		l.Location = loc
	}
	if s.Ceiling != nil {
		c := float64(*s.Ceiling)
		l.Ceiling = &c
	}
	if s.DwellCap != nil {
		l.DwellCap = s.DwellCap.D()
	}
	if s.DwellRadius != nil {
		l.DwellRadius = float64(*s.DwellRadius)
		if l.DwellRadius == 0 {
			l.DwellRadius = math.SmallestNonzeroFloat64 // explicit 0°, not the default
		}
	}
	var err error
	if l.Axes, err = axesFromConfig(f); err != nil {
		return Limits{}, err
	}
	l.Switches = switchesFromConfig(f)
	for _, z := range s.KeepOut {
		if len(z.Pan) != 2 || len(z.Tilt) != 2 {
			return Limits{}, fmt.Errorf("monitor: keep-out zone %q: %w", z.Name, errBadZone)
		}
		l.Zones = append(l.Zones, Zone{Name: z.Name,
			PanMin: float64(z.Pan[0]), PanMax: float64(z.Pan[1]),
			TiltMin: float64(z.Tilt[0]), TiltMax: float64(z.Tilt[1])})
	}
	return l, nil
}

var errBadZone = errors.New("want pan: [from, to] and tilt: [from, to]")

func axesFromConfig(f *config.File) ([]AxisLimits, error) {
	names := make([]string, 0, len(f.Hardware.Axes))
	for n := range f.Hardware.Axes {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []AxisLimits
	seen := map[string]string{}
	for _, n := range names {
		a := f.Hardware.Axes[n]
		role := a.Role
		if role == "" && n == f.Safety.Aim.Pan {
			role = "pan"
		} else if role == "" && n == f.Safety.Aim.Tilt {
			role = "tilt"
		}
		if role != "" {
			if other, dup := seen[role]; dup {
				return nil, fmt.Errorf("monitor: axes %q and %q: %w %q", other, n, errTwoRoles, role)
			}
			seen[role] = n
		}
		al := AxisLimits{Name: n, Role: role, Min: float64(a.Min), Max: float64(a.Max),
			Home: float64(a.Home), Speed: float64(a.Speed), Accel: float64(a.Accel)}
		if a.Duty != nil {
			al.DutyMax, al.DutyWindow = a.Duty.Max.D(), a.Duty.Window.D()
		}
		out = append(out, al)
	}
	return out, nil
}

var errTwoRoles = errors.New("both have the role")

func switchesFromConfig(f *config.File) []SwitchLimits {
	names := make([]string, 0, len(f.Hardware.Switches))
	for n := range f.Hardware.Switches {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]SwitchLimits, 0, len(names))
	for _, n := range names {
		s := f.Hardware.Switches[n]
		out = append(out, SwitchLimits{Name: n, Laser: s.IsLaser(n), MaxOn: s.MaxOn.D(), Cooldown: s.Cooldown.D()})
	}
	return out
}

// park is the longest a park can take: braking from full speed away from
// the park spot, then the whole range at the axis's speed and
// acceleration (range/speed + 2·speed/accel), plus 4τ of ticks.
func (l Limits) park(tick time.Duration) time.Duration {
	worst := 0.0
	for _, a := range l.Axes {
		if a.Speed <= 0 {
			continue
		}
		s := math.Abs(a.Max-a.Min) / a.Speed
		if a.Accel > 0 {
			s += 2 * a.Speed / a.Accel
		}
		worst = math.Max(worst, s)
	}
	return time.Duration(math.Round(worst*1e9)) + 4*tick
}
