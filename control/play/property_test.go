package play_test

import (
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/play"
)

var long = flag.Bool("long", false, "run millions of random scenarios")

// scenario is one random rig: the envelope's and the play layer's
// configuration, and the same limits told to the independent monitor,
// which is built from the parameters, not from the envelope's config.
type scenario struct {
	env    safety.Config
	play   play.Config
	lim    monitor.Limits
	start  time.Time
	ticks  int
	ledger string // state file, the session kept beside it; "" = in memory
	seed   uint64
}

var zones = []string{"UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Shanghai"}

// dstDays are days on which the zone's clocks change.
var dstDays = map[string][]time.Time{
	"Europe/Berlin":    {time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC)},
	"America/New_York": {time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
	"Australia/Sydney": {time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 4, 0, 0, 0, 0, time.UTC)},
}

func dur(r *rand.Rand, lo, hi time.Duration) time.Duration {
	return lo + time.Duration(r.Int64N(int64(hi-lo)+1))
}

func between(r *rand.Rand, lo, hi float64) float64 { return lo + r.Float64()*(hi-lo) }

// newScenario draws a random rig that `check` would accept: a laser with
// a ceiling, a dwell cap, autoplay shorter than the dead man.
func newScenario(seed uint64, dir string) scenario {
	r := rand.New(rand.NewPCG(seed, 0x5afe))
	sc := scenario{seed: seed, ticks: 50 + r.IntN(200)}
	pa := between(r, 20, 60)
	tmin, tmax := between(r, 2, 7), between(r, 20, 50)
	pan := safety.AxisLimits{Name: "pan", Min: -pa, Max: pa, Speed: between(r, 30, 400), DetachAfter: dur(r, 0, 2*time.Second)}
	tilt := safety.AxisLimits{Name: "tilt", Min: tmin, Max: tmax, Home: tmin + 3, Speed: between(r, 30, 400), DetachAfter: dur(r, 0, 2*time.Second)}
	if r.IntN(3) > 0 {
		pan.Accel = between(r, 100, 4000)
	}
	if r.IntN(3) > 0 {
		tilt.Accel = between(r, 100, 4000)
	}
	ceiling := between(r, tilt.Home+0.5, tmax+5)
	laser := safety.SwitchLimits{Name: "laser", Laser: true, MaxOn: dur(r, time.Second, 20*time.Second), Cooldown: dur(r, 0, 10*time.Second)}
	sc.env = safety.Config{Axes: []safety.AxisLimits{pan, tilt}, Switches: []safety.SwitchLimits{laser},
		PanAxis: "pan", TiltAxis: "tilt", Ceiling: &ceiling,
		DwellCap: dur(r, 500*time.Millisecond, 4500*time.Millisecond), DwellRadius: between(r, 0.5, 3),
		DeadMan: dur(r, 2*time.Second, 30*time.Second)}
	if r.IntN(2) == 0 {
		sc.env.ZoneMargin = between(r, 0, 2)
	}
	for range r.IntN(4) {
		z := safety.Zone{Name: "z", PanMin: between(r, -pa, pa/2), TiltMin: between(r, tmin, tmax-2)}
		z.PanMax, z.TiltMax = z.PanMin+between(r, 3, 18), z.TiltMin+between(r, 2, 12)
		if g := z.Grow(sc.env.ZoneMargin); g.Contains(0, tilt.Home) {
			continue // check refuses home inside a zone
		}
		sc.env.Zones = append(sc.env.Zones, z)
	}
	if r.IntN(3) == 0 {
		sc.env.Switches = append(sc.env.Switches, safety.SwitchLimits{Name: "treat", MaxOn: 500 * time.Millisecond, Cooldown: dur(r, 0, 5*time.Second)})
		sc.play.Treat, sc.play.TreatFor, sc.play.TreatsPerDay = "treat", dur(r, 100*time.Millisecond, 500*time.Millisecond), 1+r.IntN(3)
	}
	if r.IntN(2) == 0 {
		sc.env.DailyLaser = dur(r, 3*time.Second, 60*time.Second)
	}
	if r.IntN(2) == 0 {
		sc.play.Autoplay = play.Autoplay{After: dur(r, time.Second, sc.env.DeadMan-time.Second/2), Laser: r.IntN(3) > 0, Seed: seed | 1}
	}
	if r.IntN(2) == 0 {
		sc.play.MaxPlay, sc.play.Rest = dur(r, 3*time.Second, 20*time.Second), dur(r, 2*time.Second, 10*time.Second)
		sc.ticks += r.IntN(600)
		if r.IntN(2) == 0 {
			pt := [2]float64{between(r, -pa, pa), between(r, tmin, tilt.Home)}
			sc.play.Park = &pt
		}
	}
	loc, _ := time.LoadLocation(zones[r.IntN(len(zones))])
	sc.env.Location, sc.play.Location = loc, loc
	sc.start = time.Date(2026, 11, 22, 0, 0, 0, 0, loc).Add(dur(r, 0, 24*time.Hour))
	if days := dstDays[loc.String()]; len(days) > 0 && r.IntN(3) == 0 {
		d := days[r.IntN(len(days))]
		sc.start = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc).Add(dur(r, 0, 4*time.Hour))
	}
	if r.IntN(2) == 0 { // quiet hours beginning or ending a few seconds from the start
		lt := sc.start.In(loc)
		edge := time.Duration(lt.Hour())*time.Hour + time.Duration(lt.Minute()+1)*time.Minute
		other := (edge + dur(r, time.Minute, 5*time.Hour).Truncate(time.Minute)) % (24 * time.Hour)
		if r.IntN(2) == 0 {
			sc.play.QuietFrom, sc.play.QuietTo = edge, other
		} else {
			sc.play.QuietFrom, sc.play.QuietTo = other, edge
		}
	}
	if r.IntN(5) == 0 {
		sc.ledger = filepath.Join(dir, fmt.Sprintf("state-%d.json", seed))
		sc.env.StateFile = sc.ledger
		sc.play.SessionFile = filepath.Join(dir, fmt.Sprintf("state-%d.session.json", seed)) // a restart is no rest
	}
	sc.lim = limitsOf(sc)
	return sc
}

// limitsOf tells the monitor the same limits, in its own terms.
func limitsOf(sc scenario) monitor.Limits {
	l := monitor.Limits{Ceiling: sc.env.Ceiling, KeepOutMargin: sc.env.ZoneMargin, DwellCap: sc.env.DwellCap,
		DwellRadius: sc.env.DwellRadius, DailyLaser: sc.env.DailyLaser, Location: sc.env.Location,
		Sessions: monitor.SessionLimits{MaxPlay: sc.play.MaxPlay, Rest: sc.play.Rest, QuietFrom: sc.play.QuietFrom, QuietTo: sc.play.QuietTo}}
	for _, a := range sc.env.Axes {
		l.Axes = append(l.Axes, monitor.AxisLimits{Name: a.Name, Role: a.Name, Min: a.Min, Max: a.Max, Home: a.Home, Speed: a.Speed, Accel: a.Accel,
			DutyMax: a.DutyMax, DutyWindow: a.DutyWindow})
	}
	for _, s := range sc.env.Switches {
		l.Switches = append(l.Switches, monitor.SwitchLimits{Name: s.Name, Laser: s.Laser, MaxOn: s.MaxOn, Cooldown: s.Cooldown})
	}
	for _, z := range sc.env.Zones {
		l.Zones = append(l.Zones, monitor.Zone{Name: z.Name, PanMin: z.PanMin, PanMax: z.PanMax, TiltMin: z.TiltMin, TiltMax: z.TiltMax})
	}
	return l
}

// process is one run of cattease: an envelope and a play layer.
type process struct {
	env  *safety.Envelope
	play *play.Layer
}

// startProcess starts a process at at whose outputs go to mon; lit is
// kept to whether a laser is lit, as the outputs say.
func (sc scenario) startProcess(t *testing.T, at time.Time, mon *monitor.Monitor, lit *bool) (process, error) {
	cfg := sc.env
	lasers := map[string]bool{}
	for _, s := range cfg.Switches {
		lasers[s.Name] = s.Laser
	}
	*lit = false
	cfg.OnOutput = func(o safety.Output) {
		if o.Err != nil {
			t.Errorf("seed %d: a mock driver failed: %v", sc.seed, o.Err)
			return
		}
		if lasers[o.Target] {
			*lit = o.Value != 0
		}
		action := string(o.Action)
		if o.Action == actuators.ActionAngle {
			action = "move"
		}
		mon.Output(monitor.Event{Time: o.Time, Target: o.Target, Action: action, Value: o.Value, Failed: o.Err != nil})
	}
	outs := map[string]actuators.Actuator{}
	for _, a := range cfg.Axes {
		outs[a.Name] = mock.New(a.Name, actuators.KindAxis, mock.Limits{}, nil)
	}
	for _, s := range cfg.Switches {
		outs[s.Name] = mock.New(s.Name, actuators.KindSwitch, mock.Limits{}, nil)
	}
	env, err := safety.NewAt(cfg, outs, at)
	if err != nil {
		return process{}, err
	}
	return process{env: env, play: play.New(sc.play, env, at)}, nil
}

// request makes one random request, the tricks of the safety issue among
// them: off+on and stop+resume within one tick. The monitor is told of
// each emergency stop and resume as `cattease run` traces them, by the
// side that asks: the stop once the rig has taken it, the resume before
// the rig is told.
func request(r *rand.Rand, p process, mon *monitor.Monitor, now time.Time) (kind int) {
	l := p.play
	axis := []string{"pan", "tilt"}[r.IntN(2)]
	k := r.IntN(100)
	switch {
	case k < 22:
		l.MoveBy(now, axis, r.NormFloat64()*15)
	case k < 40:
		v := between(r, -100, 100)
		if k == 39 {
			v = math.NaN()
		}
		l.MoveTo(now, axis, v)
	case k < 60:
		l.Switch(now, "laser", true, time.Duration(r.IntN(30))*time.Second)
	case k < 68:
		l.Switch(now, "laser", false, 0)
	case k < 74:
		l.Switch(now, "laser", false, 0)
		l.Switch(now, "laser", true, 0)
	case k < 80:
		l.Home(now)
	case k < 84:
		l.Stop(now)
		mon.Stop(now)
	case k < 88:
		mon.Resume(now)
		l.Resume(now)
	case k < 92:
		l.Stop(now)
		mon.Stop(now)
		mon.Resume(now.Add(5 * time.Millisecond))
		l.Resume(now.Add(5 * time.Millisecond))
	default:
		l.Switch(now, "treat", true, 0)
	}
	return k
}

// outcome is what one scenario exercised and what the monitor found.
type outcome struct {
	violations []monitor.Violation
	count      int
	counts     map[string]uint64
}

func runScenario(t *testing.T, sc scenario) outcome { return runObserved(t, sc, nil) }

// runObserved runs a scenario, telling watch (if not nil) about every
// request and tick: for debugging a failing seed.
func runObserved(t *testing.T, sc scenario, watch func(p process, now time.Time, what string)) outcome {
	r := rand.New(rand.NewPCG(sc.seed, 0xc47))
	mon := monitor.New(sc.lim)
	now := sc.start
	var lit, stopped, held bool // a laser lit; a stop in force; and a tick since it
	p, err := sc.startProcess(t, now, mon, &lit)
	if err != nil {
		t.Fatalf("seed %d: %v", sc.seed, err)
	}
	seen := map[string]uint64{}
	collect := func() {
		st := p.play.Snapshot()
		for k, v := range st.Counts {
			seen[k] += v
		}
		if st.Session.Autoplay {
			seen["autoplay"]++
		}
	}
	tick := p.env.Tick()
	for i := 0; i < sc.ticks; i++ {
		if r.IntN(8) == 0 {
			wasLit := lit
			k := request(r, p, mon, now)
			switch {
			case k >= 80 && k < 84:
				if !stopped && wasLit {
					seen["stop_lit"]++ // the laser must go dark at the next tick
				}
				stopped, held = true, stopped && held
			case k >= 84 && k < 92:
				stopped = false
			}
			if watch != nil {
				watch(p, now, fmt.Sprint("request ", k))
			}
		}
		if stopped && !held {
			held = true
			seen["stop_held"]++ // the monitor checks a tick of the stop's outputs
		}
		p.play.Step(context.Background(), now)
		if watch != nil {
			watch(p, now, "step")
		}
		now = now.Add(tick)
		switch {
		case r.IntN(600) == 0: // a silence: dead man, autoplay, sessions, quiet hours
			for range 300 + r.IntN(1700) {
				p.play.Step(context.Background(), now)
				if watch != nil {
					watch(p, now, "step")
				}
				now = now.Add(tick)
			}
		case sc.ledger != "" && r.IntN(150) == 0: // killed at a random instant, restarted
			collect()
			seen["restart"]++
			crash := now.Add(-time.Duration(r.IntN(int(tick))))
			if stopped {
				// These rigs keep their ledger across the restart, not a
				// stop (no StopFile: the harness cannot wait for its
				// writer): the harness, which asked for the stop, ends it.
				// A live run keeps both in its state directory, and the
				// monitor carries its stop over such a restart.
				mon.Resume(crash)
				stopped = false
			}
			mon.Restart(crash, true)
			now = crash.Add(time.Duration(r.IntN(2000)) * time.Millisecond)
			if p, err = sc.startProcess(t, now, mon, &lit); err != nil {
				t.Fatalf("seed %d: restart: %v", sc.seed, err)
			}
		}
	}
	collect()
	mon.End(now)
	return outcome{violations: mon.Violations(), count: mon.Count(), counts: seen}
}

func TestRandomScenariosKeepEveryInvariant(t *testing.T) {
	n := uint64(100_000)
	switch {
	case *long:
		n = 2_000_000
	case raceEnabled || testing.Short():
		n = 1_000 // under the race detector or qemu: `make test` also runs the full 10^5 without -race
	}
	dir := t.TempDir()
	seen := map[string]uint64{}
	failed := 0
	forSeeds(n, func(seed uint64) outcome { return runScenario(t, newScenario(seed, dir)) }, func(seed uint64, o outcome) {
		for k, v := range o.counts {
			seen[k] += v
		}
		if o.count > 0 && failed < 10 {
			failed++
			t.Errorf("seed %d: %d violation(s), first: %v", seed, o.count, o.violations[0])
		}
	})
	// Every mechanism must have fired somewhere, or the test proves
	// nothing about it.
	for _, k := range []string{"clamped", "keep_out", "keep_out_blank", "dwell_blank", "resting", "daily_budget",
		"dead_man", "cat_resting", "quiet_hours", "stopped", "stop_lit", "stop_held", "autoplay", "restart"} {
		if seen[k] == 0 {
			t.Errorf("no scenario exercised %q: %v", k, seen)
		}
	}
	t.Logf("%d scenarios; %v", n, seen)
}

// forSeeds runs seeds 0..n-1 on every core and hands each outcome to
// collect, one at a time.
func forSeeds(n uint64, run func(seed uint64) outcome, collect func(seed uint64, o outcome)) {
	workers := uint64(runtime.GOMAXPROCS(0))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for seed := w; seed < n; seed += workers {
				o := run(seed)
				mu.Lock()
				collect(seed, o)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
