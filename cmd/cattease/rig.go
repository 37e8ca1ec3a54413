package main

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"sort"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/config"
)

// rig is the set of outputs and the envelope in front of them.
type rig struct {
	env   *safety.Envelope
	outs  map[string]actuators.Actuator
	close func() error // releases buses and pins, after Halt
}

// halt switches everything off and releases the hardware. Safe to call
// more than once.
func (r *rig) halt() error {
	err := r.env.Halt()
	if r.close != nil {
		if cerr := r.close(); cerr != nil && err == nil {
			err = cerr
		}
		r.close = nil
	}
	return err
}

// openOutputs builds one actuator per configured output through the
// driver registry: mocks for a dry run (or driver: mock), real drivers
// otherwise. Switches open first, so a laser is driven off before any
// servo moves.
func openOutputs(f *config.File, dryRun bool, log *slog.Logger) (map[string]actuators.Actuator, func() error, error) {
	reg, h, err := registry(f, log)
	if err != nil {
		return nil, nil, err
	}
	switchDriver, servoDriver := "gpio", f.Hardware.Driver
	if dryRun || servoDriver == "mock" {
		switchDriver, servoDriver = "mock", "mock"
	}
	for _, name := range sortedKeys(f.Hardware.Switches) {
		if err := h.open(reg, switchDriver, actuators.Output{Name: name, Kind: actuators.KindSwitch}); err != nil {
			return h.fail(err)
		}
	}
	for _, name := range sortedKeys(f.Hardware.Axes) {
		if err := h.open(reg, servoDriver, actuators.Output{Name: name, Kind: actuators.KindAxis}); err != nil {
			return h.fail(err)
		}
	}
	return h.outs, h.close, nil
}

// mockFactory builds mocks with the real drivers' calibrated ranges, so a
// dry run refuses exactly what the hardware would.
func mockFactory(f *config.File, log *slog.Logger) actuators.Factory {
	return func(o actuators.Output) (actuators.Actuator, error) {
		if o.Kind == actuators.KindSwitch {
			return mock.New(o.Name, o.Kind, mock.Limits{}, log), nil
		}
		lo, hi := f.Hardware.Axes[o.Name].Calibration().Range()
		return mock.New(o.Name, o.Kind, mock.Limits{Min: lo, Max: hi}, log), nil
	}
}

// rigMode says how a rig is built.
type rigMode struct {
	dryRun    bool   // mocks instead of drivers; the laser account kept in memory
	replay    bool   // virtual clock: no state file, repeatable autoplay
	rulesPath string // the state file is relative to it
}

// envelopeConfig turns the hardware and safety sections into limits.
func envelopeConfig(f *config.File, m rigMode, log *slog.Logger, onOutput func(safety.Output)) (safety.Config, error) {
	s := f.Safety
	c := safety.Config{DeadMan: s.DeadMan.D(), OnOutput: onOutput, Log: log,
		PanAxis: s.Aim.Pan, TiltAxis: s.Aim.Tilt, DwellCap: s.DwellCap.D(), DailyLaser: s.DailyLaser.D()}
	for _, name := range sortedKeys(f.Hardware.Axes) {
		a := f.Hardware.Axes[name]
		c.Axes = append(c.Axes, safety.AxisLimits{Name: name, Min: float64(a.Min), Max: float64(a.Max),
			Home: float64(a.Home), Speed: float64(a.Speed), Accel: float64(a.Accel), DetachAfter: a.DetachAfter.D()})
	}
	for _, name := range sortedKeys(f.Hardware.Switches) {
		sw := f.Hardware.Switches[name]
		c.Switches = append(c.Switches, safety.SwitchLimits{Name: name, MaxOn: sw.MaxOn.D(),
			Cooldown: sw.Cooldown.D(), Laser: sw.IsLaser(name)})
	}
	if s.Ceiling != nil {
		v := float64(*s.Ceiling)
		c.Ceiling = &v
	}
	for _, z := range s.KeepOut {
		c.Zones = append(c.Zones, safety.Zone{Name: z.Name, PanMin: float64(z.Pan[0]), PanMax: float64(z.Pan[1]),
			TiltMin: float64(z.Tilt[0]), TiltMax: float64(z.Tilt[1])})
	}
	loc, err := time.LoadLocation(s.Timezone) // "" is UTC: use Local instead
	if s.Timezone == "" {
		loc, err = time.Local, nil
	}
	if err != nil {
		return c, fmt.Errorf("cattease: timezone: %w", err)
	}
	c.Location = loc
	c.Session = sessionConfig(s.Sessions)
	c.Autoplay = safety.AutoplayConfig{After: s.Autoplay.After.D(), Patterns: s.Autoplay.Patterns, Laser: s.Autoplay.Laser}
	switch {
	case m.replay:
		c.Autoplay.Seed = 1
	case !m.dryRun:
		c.StateFile = s.StateFile
		if !filepath.IsAbs(c.StateFile) {
			c.StateFile = filepath.Join(filepath.Dir(m.rulesPath), c.StateFile)
		}
	}
	return c, nil
}

func sessionConfig(s config.Sessions) safety.SessionConfig {
	c := safety.SessionConfig{MaxPlay: s.MaxPlay.D(), Rest: s.Rest.D(), QuietFrom: s.QuietHours.From,
		QuietTo: s.QuietHours.To, Treat: s.Treat, TreatFor: s.TreatFor.D(), TreatsPerDay: s.TreatsPerDay}
	if s.Park != nil {
		c.Park = &[2]float64{float64(s.Park.Pan), float64(s.Park.Tilt)}
	}
	return c
}

func buildRig(f *config.File, m rigMode, start time.Time, log *slog.Logger, onOutput func(safety.Output)) (*rig, error) {
	cfg, err := envelopeConfig(f, m, log, onOutput)
	if err != nil {
		return nil, err
	}
	outs, closeHW, err := openOutputs(f, m.dryRun, log)
	if err != nil {
		return nil, err
	}
	env, err := safety.NewAt(cfg, outs, start)
	if err != nil {
		var acts []actuators.Actuator
		for _, a := range outs {
			acts = append(acts, a)
		}
		actuators.HaltAll(acts...)
		if closeHW != nil {
			closeHW()
		}
		return nil, fmt.Errorf("cattease: %w", err)
	}
	return &rig{env: env, outs: outs, close: closeHW}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
