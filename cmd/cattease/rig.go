package main

import (
	"cmp"
	"fmt"
	"log/slog"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/play"
)

// rig is the set of outputs and the envelope in front of them.
type rig struct {
	env   *safety.Envelope
	play  *play.Layer // sessions, quiet hours, autoplay: what chat and the web talk to
	outs  map[string]actuators.Actuator
	close func() error // releases buses and pins, after Halt
}

// stopEngineIfLatched puts eng into the emergency stop the envelope
// started in (a stop kept from before this start: Config.StopFile), so
// that the engine's queue, the overlay and the panel say stopped too.
func (r *rig) stopEngineIfLatched(eng *control.Engine) {
	if r.env.Stopped() {
		eng.Stop(time.Now())
	}
}

// halt switches everything off and releases the hardware, then keeps the
// play session as at a clean exit. Safe to call more than once.
func (r *rig) halt() error {
	err := r.env.Halt()
	r.play.Close() // a session not kept is logged: the outputs are safe all the same
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
	replay    bool   // virtual clock: repeatable autoplay
	ledger    bool   // keep the daily laser account in the state file (live runs; replay --state)
	rulesPath string // where rules.yaml is, for messages
}

// envelopeConfig turns the hardware and safety sections into limits.
func envelopeConfig(f *config.File, m rigMode, log *slog.Logger, onOutput func(safety.Output)) (safety.Config, error) {
	s := f.Safety
	pan, tilt := f.AimAxes()
	c := safety.Config{DeadMan: s.DeadMan.D(), OnOutput: onOutput, Log: log,
		PanAxis: pan, TiltAxis: tilt, DwellCap: s.DwellCap.D(), DailyLaser: s.DailyLaserBudget(),
		ZoneMargin: float64(s.KeepOutMargin)}
	if s.DwellRadius != nil {
		c.DwellRadius = float64(*s.DwellRadius)
	}
	for _, name := range sortedKeys(f.Hardware.Axes) {
		a := f.Hardware.Axes[name]
		al := safety.AxisLimits{Name: name, Min: float64(a.Min), Max: float64(a.Max),
			Home: float64(a.Home), Speed: float64(a.Speed), Accel: float64(a.Accel), DetachAfter: a.DetachAfter.D()}
		if a.Duty != nil {
			al.DutyMax, al.DutyWindow = a.Duty.Max.D(), a.Duty.Window.D()
		}
		c.Axes = append(c.Axes, al)
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
	loc, err := location(s.Timezone)
	if err != nil {
		return c, err
	}
	c.Location = loc
	if m.ledger {
		if c.StateFile, err = f.LedgerPath(); err != nil {
			return c, fmt.Errorf("cattease: %w", err)
		}
		if !m.replay {
			c.ClockSynced = clockSynced
			// An emergency stop outlives a crash or a restart.
			if c.StopFile, err = statePath("", "cattease-estop"); err != nil {
				return c, err
			}
		}
	}
	return c, nil
}

// location is the streamer's time zone: "" means the system's.
func location(name string) (*time.Location, error) {
	if name == "" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("cattease: timezone: %w", err)
	}
	return loc, nil
}

// playConfig turns the sessions and autoplay sections into play policy.
func playConfig(f *config.File, m rigMode, loc *time.Location, log *slog.Logger) play.Config {
	s, a := f.Safety.Sessions, f.Safety.Autoplay
	c := play.Config{MaxPlay: s.MaxPlay.D(), Rest: s.Rest.D(), QuietFrom: s.QuietHours.From,
		QuietTo: s.QuietHours.To, Treat: s.Treat, TreatFor: s.TreatFor.D(), TreatsPerDay: s.TreatsPerDay,
		Location: loc, Autoplay: play.Autoplay{After: a.After.D(), Patterns: a.Patterns, Laser: a.Laser}}
	if s.Park != nil {
		c.Park = &[2]float64{float64(s.Park.Pan), float64(s.Park.Tilt)}
	}
	if f.Kind() == config.RigWand && c.MaxPlay > 0 {
		// A wand's session ends in a catch: its last seconds creep low and
		// slow to the park spot (play.Config.Finish).
		c.Finish = min(15*time.Second, c.MaxPlay/5)
	}
	if m.replay {
		c.Autoplay.Seed = 1
	}
	// Quiet hours wait for a synchronised clock where the envelope's daily
	// account does (live, on hardware); dry runs and replays play at once.
	if m.ledger && !m.replay {
		c.ClockSynced = clockSynced
	}
	c.Log = log
	return c
}

// testHookEnvelope, set only by tests, changes the envelope's limits
// behind the config's back: the monitor must notice.
var testHookEnvelope func(*safety.Config)

func buildRig(f *config.File, m rigMode, start time.Time, log *slog.Logger, onOutput func(safety.Output)) (*rig, error) {
	cfg, err := envelopeConfig(f, m, log, onOutput)
	if err != nil {
		return nil, err
	}
	if testHookEnvelope != nil {
		testHookEnvelope(&cfg)
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
	pc := playConfig(f, m, cfg.Location, log)
	if m.ledger && !m.replay { // a restart is no rest: the session is kept beside the day's laser account
		pc.SessionFile = sessionFile(cfg.StateFile)
	}
	pl := play.New(pc, env, start)
	return &rig{env: env, play: pl, outs: outs, close: closeHW}, nil
}

// sessionFile is where the play session is kept (play.Config.SessionFile):
// beside the daily laser account ledger, named after it, so that rigs
// that share an account (one cat) share their sessions, and only they.
func sessionFile(ledger string) string {
	ext := filepath.Ext(ledger)
	return strings.TrimSuffix(ledger, ext) + ".session" + cmp.Or(ext, ".json")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
