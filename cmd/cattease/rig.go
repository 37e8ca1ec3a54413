package main

import (
	"fmt"
	"log/slog"
	"sort"

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

// openOutputs builds one actuator per configured output: mocks for a dry
// run (or driver: mock), real drivers otherwise.
func openOutputs(f *config.File, dryRun bool, log *slog.Logger) (map[string]actuators.Actuator, func() error, error) {
	if dryRun || f.Hardware.Driver == "mock" {
		return mockOutputs(f, log), nil, nil
	}
	return openHardware(f, log)
}

func mockOutputs(f *config.File, log *slog.Logger) map[string]actuators.Actuator {
	outs := map[string]actuators.Actuator{}
	for name, a := range f.Hardware.Axes {
		lo, hi := a.Calibration().Range() // the real drivers' range, so dry runs refuse what they would
		outs[name] = mock.New(name, actuators.KindAxis, mock.Limits{Min: lo, Max: hi}, log)
	}
	for name := range f.Hardware.Switches {
		outs[name] = mock.New(name, actuators.KindSwitch, mock.Limits{}, log)
	}
	return outs
}

// envelopeConfig turns the hardware and safety sections into limits.
func envelopeConfig(f *config.File, log *slog.Logger, onOutput func(safety.Output)) safety.Config {
	c := safety.Config{DeadMan: f.Safety.DeadMan.D(), OnOutput: onOutput, Log: log}
	for _, name := range sortedKeys(f.Hardware.Axes) {
		a := f.Hardware.Axes[name]
		c.Axes = append(c.Axes, safety.AxisLimits{Name: name, Min: float64(a.Min), Max: float64(a.Max),
			Home: float64(a.Home), Speed: float64(a.Speed), Accel: float64(a.Accel), DetachAfter: a.DetachAfter.D()})
	}
	for _, name := range sortedKeys(f.Hardware.Switches) {
		s := f.Hardware.Switches[name]
		c.Switches = append(c.Switches, safety.SwitchLimits{Name: name, MaxOn: s.MaxOn.D(), Cooldown: s.Cooldown.D()})
	}
	return c
}

func buildRig(f *config.File, dryRun bool, log *slog.Logger, onOutput func(safety.Output)) (*rig, error) {
	outs, closeHW, err := openOutputs(f, dryRun, log)
	if err != nil {
		return nil, err
	}
	env, err := safety.New(envelopeConfig(f, log, onOutput), outs)
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
