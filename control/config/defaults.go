package config

import "time"

// Defaults, applied to a copy of what was decoded.
const (
	DefaultDriver      = "pca9685"
	DefaultI2CBus      = "1"
	DefaultI2CAddress  = 0x40
	DefaultOscillator  = 25e6
	DefaultPWMRoot     = "/sys/class/pwm"
	DefaultSpeed       = 90   // °/s
	DefaultMaxOn       = 10e9 // 10s in ns
	DefaultDetachAfter = 2e9  // 2s
	DefaultDeadMan     = 60e9 // 60s
	DefaultPolicy      = "queue"
	DefaultQueueSize   = 16
	DefaultPace        = 150e6 // 150ms
	DefaultMaxUsers    = 10000
	DefaultMaxRepeat   = 5
	DefaultListen      = "127.0.0.1:8080"
	DefaultDwellCap    = 5e9       // 5s
	DefaultDailyLaser  = 20 * 60e9 // 20m, as the shipped rules
	DefaultDwellRadius = 1         // °
	DefaultStateFile   = "cattease-state.json"
	DefaultTreatFor    = 500e6 // 0.5s
)

func (f File) withDefaults() File {
	h := &f.Hardware
	h.Driver = or(h.Driver, DefaultDriver)
	h.PCA9685.I2CBus = or(h.PCA9685.I2CBus, DefaultI2CBus)
	h.PCA9685.Address = or(h.PCA9685.Address, DefaultI2CAddress)
	h.PCA9685.Oscillator = or(h.PCA9685.Oscillator, DefaultOscillator)
	h.SysfsPWM.Root = or(h.SysfsPWM.Root, DefaultPWMRoot)
	axes := make(map[string]Axis, len(h.Axes))
	for name, a := range h.Axes {
		a.Speed = or(a.Speed, DefaultSpeed)
		a.DetachAfter = or(a.DetachAfter, DefaultDetachAfter)
		s := &a.Servo
		s.PulseMin = or(s.PulseMin, Duration(1e6))
		s.PulseMax = or(s.PulseMax, Duration(2e6))
		s.AngleMin = orPtr(s.AngleMin, -90) // a pointer: angle_min: 0° is a measured angle, not a missing one
		s.AngleMax = orPtr(s.AngleMax, 90)
		axes[name] = a
	}
	h.Axes = axes
	switches := make(map[string]Switch, len(h.Switches))
	for name, s := range h.Switches {
		s.MaxOn = or(s.MaxOn, DefaultMaxOn)
		if s.IsLaser(name) {
			// Without a cooldown the light budget is max_on in every
			// max_on: no budget at all, and a laser asked for again and
			// again would never go dark. A laser rests as long as it may
			// shine unless told otherwise.
			s.Cooldown = or(s.Cooldown, s.MaxOn)
		}
		switches[name] = s
	}
	h.Switches = switches
	sf := &f.Safety
	sf.DeadMan = or(sf.DeadMan, DefaultDeadMan)
	// Aim defaults to the role axes, so that it always names the axes that
	// AimAxes returns for a valid file; then to pan and tilt.
	pan, tilt := f.AimAxes()
	sf.Aim.Pan = or(sf.Aim.Pan, or(pan, "pan"))
	sf.Aim.Tilt = or(sf.Aim.Tilt, or(tilt, "tilt"))
	if sf.DailyLaser == nil {
		d := Duration(DefaultDailyLaser)
		sf.DailyLaser = &d
	}
	if sf.DwellCap == nil {
		d := Duration(DefaultDwellCap)
		sf.DwellCap = &d
	}
	if sf.DwellRadius == nil {
		r := Angle(DefaultDwellRadius)
		sf.DwellRadius = &r
	}
	sf.StateFile = or(sf.StateFile, DefaultStateFile)
	sf.Sessions.TreatFor = or(sf.Sessions.TreatFor, Duration(DefaultTreatFor))
	f.Play.Policy = or(f.Play.Policy, DefaultPolicy)
	f.Play.QueueSize = or(f.Play.QueueSize, DefaultQueueSize)
	f.Play.Pace = or(f.Play.Pace, DefaultPace)
	f.Limits.MaxUsers = or(f.Limits.MaxUsers, DefaultMaxUsers)
	f.Limits.MaxRepeat = or(f.Limits.MaxRepeat, DefaultMaxRepeat)
	f.Limits.Bypass = canonicalRoles(f.Limits.Bypass) // 房管 → moderator, 主播 → owner
	if f.Limits.Bypass == nil {
		f.Limits.Bypass = []string{"moderator", "owner"}
	}
	f.Web.Listen = or(f.Web.Listen, DefaultListen)
	f.roomDefaults()
	return f
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// orPtr is v, or a new pointer to def when v is nil.
func orPtr[T any](v *T, def T) *T {
	if v == nil {
		return &def
	}
	return v
}

// deref is *v, or def when v is nil.
func deref[T any](v *T, def T) T {
	if v == nil {
		return def
	}
	return *v
}

// DailyLaserBudget is safety.daily_laser, or its default in a File that
// did not go through Load.
func (s Safety) DailyLaserBudget() time.Duration {
	if s.DailyLaser == nil {
		return DefaultDailyLaser
	}
	return s.DailyLaser.D()
}
