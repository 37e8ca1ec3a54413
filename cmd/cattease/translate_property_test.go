package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/play"
)

// The property test of control/play gives the envelope and the monitor
// the same hand-made limits. This one starts where a streamer does, from
// the text of rules.yaml: a random rig is written as YAML, loaded and
// checked as `check` and `replay` load it, turned into the envelope the
// binary runs (buildRig, envelopeConfig) and, separately, into the limits
// `cattease verify` checks with (monitor.FromConfig). A mistake in either
// translation (a margin not passed, the ceiling dropped, the tilt axis's
// limits taken from pan, a zone's corners swapped, a default applied on one
// side only) lets the envelope send what the monitor must refuse.

// ruleRig is one random rules.yaml and what the test needs to play with
// it, in the test's own terms: the values it wrote, never read back.
type ruleRig struct {
	seed   uint64
	yaml   string
	refuse string // what check must refuse in it; "" = it must accept the file

	pan, tilt, extra  string // axis names; extra is an axis without a role, "" = none
	laser, treat      string // switch names; treat "" = none
	panLo, panHi      float64
	tiltLo, tiltHi    float64
	extraLo, extraHi  float64
	ceiling           float64
	radius            float64 // the dwell radius that applies (written or the default)
	zones             [][4]float64
	deadMan, dwellCap time.Duration
	start             time.Time
	ticks             int
}

var rulesRigs = flag.Int("rules.rigs", 0, "how many random rules files TestRandomRulesFilesKeepEveryInvariant plays (0 = the default)")

// translateRigs is how many random rules files the test plays.
func translateRigs() int {
	switch {
	case *rulesRigs > 0:
		return *rulesRigs
	case testing.Short():
		return 150
	}
	return 1000
}

// rulesRound rounds to what the file says: two decimals.
func rulesRound(v float64) float64 { return math.Round(v*100) / 100 }

func randomOf[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func rulesBetween(r *rand.Rand, lo, hi float64) float64 { return rulesRound(lo + r.Float64()*(hi-lo)) }

func rulesSpan(r *rand.Rand, lo, hi time.Duration) time.Duration {
	return (lo + time.Duration(r.Int64N(int64(hi-lo)+1))).Round(time.Millisecond)
}

// The units a streamer may write; the test writes them all.
func angleText(r *rand.Rand, v float64) string {
	return fmt.Sprintf("%g%s", v, randomOf(r, "°", "°", "deg", "度"))
}

func speedText(r *rand.Rand, v float64) string {
	return fmt.Sprintf("%g%s", v, randomOf(r, "°/s", "deg/s", "度/秒"))
}

func accelText(r *rand.Rand, v float64) string {
	return fmt.Sprintf("%g%s", v, randomOf(r, "°/s²", "deg/s^2", "度/秒²"))
}

func durText(r *rand.Rand, d time.Duration) string {
	if d%time.Second == 0 && r.IntN(3) == 0 {
		return fmt.Sprintf("%d%s", d/time.Second, randomOf(r, "s", "秒", " s"))
	}
	return d.String()
}

// axisNames are pan's and tilt's names: the roles decide, so names that
// sort either way, and names that say the other role, must work alike.
var axisNames = [][2]string{{"pan", "tilt"}, {"pan", "tilt"}, {"yaw", "pitch"}, {"azimuth", "elevation"},
	{"base", "arm"}, {"左右", "远近"}, {"tilt", "pan"}}

var tzNames = []string{"", "UTC", "Asia/Shanghai", "Europe/Berlin", "America/New_York"}

// newRuleRig writes a random rig as rules.yaml text. It is one `check`
// accepts, except for the few written with a zone's corners swapped
// (refuse says so), which check must refuse.
func newRuleRig(seed uint64) ruleRig {
	r := rand.New(rand.NewPCG(seed, 0x7a11))
	g := ruleRig{seed: seed, ticks: 300 + r.IntN(500)}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	names := randomOf(r, axisNames...)
	g.pan, g.tilt = names[0], names[1]
	g.laser = randomOf(r, "laser", "laser", "beam", "激光")

	w("version: 1\nhardware:\n  driver: mock\n")
	if r.IntN(4) == 0 {
		w("  rig: laser\n")
	}
	w("  axes:\n")
	axis := func(name, role string, lo, hi, home float64) (speed, accel float64) {
		w("    %s:\n", name)
		if role != "" {
			w("      role: %s\n", role)
		}
		w("      min: %s\n      max: %s\n", angleText(r, lo), angleText(r, hi))
		if home != 0 || r.IntN(2) == 0 {
			w("      home: %s\n", angleText(r, home))
		}
		speed = 90 // the default
		if r.IntN(5) > 0 {
			speed = rulesBetween(r, 30, 400)
			w("      speed: %s\n", speedText(r, speed))
		}
		if r.IntN(3) > 0 {
			accel = rulesBetween(r, 100, 4000)
			w("      accel: %s\n", accelText(r, accel))
		}
		if r.IntN(2) == 0 {
			w("      detach_after: %s\n", durText(r, rulesSpan(r, 0, 2*time.Second)))
		}
		if r.IntN(5) == 0 { // a duty cap that binds within the run
			a := config.Axis{Min: config.Angle(lo), Max: config.Angle(hi), Speed: config.Speed(speed), Accel: config.Accel(accel)}
			floor := config.DutyFloor(a).Round(time.Millisecond) + time.Millisecond
			mx := floor + rulesSpan(r, 0, 2*time.Second)
			w("      duty: {max: %s, window: %s}\n", durText(r, mx), durText(r, mx+rulesSpan(r, time.Second, 10*time.Second)))
		}
		if r.IntN(4) == 0 { // calibration: irrelevant to the mock but for its range
			w("      servo: {channel: %d, angle_min: %s, angle_max: %s, invert: %v}\n",
				r.IntN(16), angleText(r, -rulesBetween(r, 90, 135)), angleText(r, rulesBetween(r, 90, 135)), r.IntN(2) == 0)
		}
		return speed, accel
	}
	g.panLo, g.panHi = -rulesBetween(r, 10, 85), rulesBetween(r, 10, 85)
	panHome := 0.0
	if r.IntN(3) == 0 {
		panHome = rulesBetween(r, g.panLo, g.panHi)
	}
	g.tiltLo, g.tiltHi = rulesBetween(r, 2, 10), rulesBetween(r, 20, 70)
	if r.IntN(4) == 0 {
		// Down to straight down and past it, where a keep-out margin
		// and a dwell radius (angles the beam turns) take the most pan.
		g.tiltLo = rulesBetween(r, -8, 2)
	}
	tiltHome := rulesBetween(r, g.tiltLo, g.tiltLo+10)
	// A ceiling that binds (below the axis max) or not, above home and
	// farther from straight down than the tilt minimum.
	g.ceiling = rulesBetween(r, math.Max(tiltHome, -g.tiltLo)+0.5, math.Min(g.tiltHi+10, 89))
	// The axes in an order of their own: the file's order must not matter.
	if r.IntN(2) == 0 {
		axis(g.pan, "pan", g.panLo, g.panHi, panHome)
		axis(g.tilt, "tilt", g.tiltLo, g.tiltHi, tiltHome)
	} else {
		axis(g.tilt, "tilt", g.tiltLo, g.tiltHi, tiltHome)
		axis(g.pan, "pan", g.panLo, g.panHi, panHome)
	}
	if r.IntN(4) == 0 {
		g.extra = randomOf(r, "tail", "aa_aux", "zz_aux")
		g.extraLo, g.extraHi = -rulesBetween(r, 5, 80), rulesBetween(r, 5, 80)
		axis(g.extra, "", g.extraLo, g.extraHi, 0)
	}

	w("  switches:\n    %s:\n      laser: true\n      pin: GPIO17\n", g.laser)
	maxOn := time.Duration(config.DefaultMaxOn)
	if r.IntN(4) > 0 {
		maxOn = rulesSpan(r, 500*time.Millisecond, 8*time.Second)
		w("      max_on: %s\n", durText(r, maxOn))
	}
	if r.IntN(2) == 0 { // else a laser's cooldown defaults to its max_on
		// At least half its max_on, or the light budget allows it lit
		// nearly all the time; shorter or longer than max_on, so that a
		// cooldown taken from max_on shows.
		half := (maxOn/2 + time.Millisecond).Round(time.Millisecond)
		w("      cooldown: %s\n", durText(r, rulesSpan(r, half, half+10*time.Second)))
	}
	treatMaxOn := time.Second
	if r.IntN(4) == 0 {
		g.treat = randomOf(r, "treat", "零食")
		treatMaxOn = rulesSpan(r, 200*time.Millisecond, 2*time.Second)
		w("    %s:\n      laser: false\n      pin: GPIO27\n      max_on: %s\n", g.treat, durText(r, treatMaxOn))
		if r.IntN(2) == 0 {
			w("      cooldown: %s\n", durText(r, rulesSpan(r, 0, 5*time.Second)))
		}
	}

	w("safety:\n")
	g.deadMan = 60 * time.Second
	if r.IntN(5) > 0 {
		g.deadMan = rulesSpan(r, 3*time.Second, 40*time.Second)
		w("  dead_man: %s\n", durText(r, g.deadMan))
	}
	if r.IntN(4) == 0 {
		w("  aim: {pan: %s, tilt: %s}\n", g.pan, g.tilt)
	}
	w("  ceiling: %s\n", angleText(r, g.ceiling))
	margin := 0.0
	if r.IntN(3) > 0 {
		margin = rulesBetween(r, 0, 4)
		w("  keep_out_margin: %s\n", angleText(r, margin))
	}
	if n := r.IntN(5); n > 0 {
		w("  keep_out:\n")
		for i := range n {
			pa := rulesBetween(r, g.panLo-5, g.panHi-3)
			ta := rulesBetween(r, g.tiltLo-2, g.tiltHi-2)
			z := [4]float64{pa, rulesRound(pa + rulesBetween(r, 3, 25)), ta, rulesRound(ta + rulesBetween(r, 2, 15))}
			grown := safety.Zone{PanMin: z[0], PanMax: z[1], TiltMin: z[2], TiltMax: z[3]}.Grow(margin)
			if grown.Contains(panHome, tiltHome) {
				continue // check refuses home inside a zone
			}
			p0, p1, t0, t1 := z[0], z[1], z[2], z[3]
			if g.refuse == "" && r.IntN(40) == 0 {
				// The corners the wrong way round: check must refuse it,
				// not take the zone for empty or for everything.
				if r.IntN(2) == 0 {
					p0, p1, g.refuse = p1, p0, "pan"
				} else {
					t0, t1, g.refuse = t1, t0, "tilt"
				}
			}
			g.zones = append(g.zones, z)
			if r.IntN(2) == 0 {
				w("    - {name: z%d, pan: [%s, %s], tilt: [%s, %s]}\n", i, angleText(r, p0), angleText(r, p1), angleText(r, t0), angleText(r, t1))
			} else {
				w("    - name: z%d\n      pan: [%s, %s]\n      tilt: [%s, %s]\n", i, angleText(r, p0), angleText(r, p1), angleText(r, t0), angleText(r, t1))
			}
		}
	}
	g.dwellCap = 5 * time.Second
	if r.IntN(5) > 0 {
		g.dwellCap = rulesSpan(r, 300*time.Millisecond, 4*time.Second)
		w("  dwell_cap: %s\n", durText(r, g.dwellCap))
	}
	g.radius = 1
	if r.IntN(4) > 0 {
		g.radius = rulesBetween(r, 0.2, 6)
		w("  dwell_radius: %s\n", angleText(r, g.radius))
	}
	if r.IntN(2) == 0 {
		w("  daily_laser: %s\n", durText(r, rulesSpan(r, 2*time.Second, 20*time.Second)))
	}
	tz := randomOf(r, tzNames...)
	if tz != "" || r.IntN(2) == 0 {
		w("  timezone: %q\n", tz)
	}
	loc := time.Local
	if tz != "" {
		loc, _ = time.LoadLocation(tz)
	}
	day := time.Date(2026, 11, 22, 0, 0, 0, 0, loc)
	g.start = day.Add(rulesSpan(r, 0, 24*time.Hour))
	if r.IntN(4) == 0 {
		// The day's laser account starts again during the run, midnight
		// anywhere within a tick (the envelope keeps the laser dark for
		// the tick that runs past it).
		g.start = day.Add(24*time.Hour - rulesSpan(r, 0, 10*time.Second))
	}
	if r.IntN(3) == 0 {
		w("  sessions:\n")
		if r.IntN(2) == 0 {
			w("    max_play: %s\n    rest: %s\n", durText(r, rulesSpan(r, 2*time.Second, 12*time.Second)), durText(r, rulesSpan(r, time.Second, 6*time.Second)))
		}
		if r.IntN(2) == 0 { // quiet hours that begin or end a few seconds in
			lt := g.start.In(loc)
			edge := time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), 0, 0, loc).Add(time.Minute)
			g.start = edge.Add(-rulesSpan(r, 0, 6*time.Second))
			other := edge.Add(rulesSpan(r, time.Minute, 5*time.Hour))
			from, to := edge.Format("15:04"), other.Format("15:04")
			if r.IntN(2) == 0 {
				from, to = to, from
			}
			w("    quiet_hours: %q\n", from+"-"+to)
		}
		if r.IntN(2) == 0 {
			w("    park: {pan: %s, tilt: %s}\n", angleText(r, rulesBetween(r, g.panLo, g.panHi)),
				angleText(r, rulesBetween(r, g.tiltLo, math.Min(g.tiltHi, g.ceiling-0.01))))
		}
		if g.treat != "" && r.IntN(2) == 0 {
			w("    treat: %s\n    treat_for: %s\n    treats_per_day: %d\n", g.treat,
				durText(r, rulesSpan(r, 100*time.Millisecond, treatMaxOn)), 1+r.IntN(3))
		}
	}
	if r.IntN(3) == 0 {
		after := rulesSpan(r, time.Second, g.deadMan-time.Second)
		w("  autoplay:\n    after: %s\n    patterns: [%s]\n    laser: %v\n", durText(r, after),
			strings.Join(randomOf(r, []string{"scurry", "circle"}, []string{"zigzag", "peek"}, []string{"scurry", "circle", "zigzag", "peek"}), ", "), r.IntN(3) > 0)
	}
	w("commands:\n  - name: left\n    aliases: [左]\n    do: {move: %s, by: -5°}\n", g.pan)
	w("  - name: up\n    aliases: [上]\n    do: {move: %s, by: 5°}\n", g.tilt)
	w("  - name: light\n    aliases: [激光]\n    do: {switch: %s, on: true}\n", g.laser)
	g.yaml = b.String()
	return g
}

// translateOutcome is what one rig came to.
type translateOutcome struct {
	refused    error // check refused the file
	violations []monitor.Violation
	count      int
	problem    string // the rig did not start, or a mock driver failed
	counts     map[string]uint64
}

// runRuleRig writes, loads and plays one rig, and checks every output the
// mock hardware received with the monitor `verify` builds from the file.
func runRuleRig(g ruleRig, dir string) translateOutcome {
	path := filepath.Join(dir, fmt.Sprintf("rules-%d.yaml", g.seed))
	if err := os.WriteFile(path, []byte(g.yaml), 0o600); err != nil {
		return translateOutcome{problem: err.Error()}
	}
	f, _, err := loadRules(path) // what check --dry-run and replay load
	if err == nil {
		err = checkFiles(f)
	}
	if err != nil {
		return translateOutcome{refused: err}
	}
	lim, err := monitor.FromConfig(f) // what verify and replay --verify check with
	if err != nil {
		return translateOutcome{problem: fmt.Sprintf("monitor.FromConfig: %v", err)}
	}
	mon := monitor.New(lim)
	var driverErr error
	onOutput := func(o safety.Output) {
		if o.Err != nil {
			if driverErr == nil {
				driverErr = fmt.Errorf("%s %s %g: %w", o.Target, o.Action, o.Value, o.Err)
			}
			return
		}
		mon.Output(monitorEvent(o))
	}
	rg, err := buildRig(f, rigMode{dryRun: true, replay: true, rulesPath: path}, g.start, slog.New(slog.DiscardHandler), onOutput)
	if err != nil {
		return translateOutcome{problem: fmt.Sprintf("check accepted the file but the rig did not start: %v", err)}
	}
	defer rg.halt()
	now := playRuleRig(g, rg, mon, g.start)
	mon.End(now)
	o := translateOutcome{violations: mon.Violations(), count: mon.Count(), counts: rg.play.Snapshot().Counts}
	if driverErr != nil {
		o.problem = fmt.Sprintf("a mock driver refused an output: %v", driverErr)
	}
	return o
}

// playRuleRig drives the rig tick by tick on a virtual clock with hostile
// requests, telling mon of its emergency stops, and returns the time of
// the last tick.
func playRuleRig(g ruleRig, rg *rig, mon *monitor.Monitor, now time.Time) time.Time {
	r := rand.New(rand.NewPCG(g.seed, 0xbad))
	ctx := context.Background()
	p := rg.play
	tick := p.Tick()
	aims := []string{g.pan, g.tilt}
	axisRange := func(name string) (lo, hi float64) {
		switch name {
		case g.pan:
			return g.panLo, g.panHi
		case g.tilt:
			return g.tiltLo, g.tiltHi
		}
		return g.extraLo, g.extraHi
	}
	laserOn := func() { p.Switch(now, g.laser, true, time.Duration(r.IntN(20))*time.Second) }
	// A mode holds for a number of ticks: back and forth across an axis,
	// a lit dot held almost still, or silence.
	type mode struct {
		kind  int
		left  int
		axis  string
		step  float64
		every int
	}
	var m mode
	for i := 0; i < g.ticks; i++ {
		switch {
		case m.left > 0:
			m.left--
			switch m.kind {
			case 1: // fast back and forth, past either end
				if i%m.every == 0 {
					lo, hi := axisRange(m.axis)
					if m.step *= -1; m.step > 0 {
						p.MoveTo(now, m.axis, hi+20)
					} else {
						p.MoveTo(now, m.axis, lo-20)
					}
				}
			case 2: // still but lit, the dot shuffling about within the dwell radius or just past it
				if i%m.every == 0 {
					p.MoveBy(now, m.axis, m.step)
					m.step = -m.step
					laserOn()
				}
			}
		case r.IntN(120) == 0:
			m = mode{kind: 1, left: 20 + r.IntN(120), axis: randomOf(r, aims...), step: 1, every: 1 + r.IntN(8)}
			if g.extra != "" && r.IntN(4) == 0 {
				m.axis = g.extra
			}
		case r.IntN(120) == 0:
			f := randomOf(r, 0.3, 0.6, 0.9, 1.2, 1.8)
			m = mode{kind: 2, left: 100 + r.IntN(int(4*g.dwellCap/tick)+1), axis: randomOf(r, aims...),
				step: g.radius * f, every: 5 + r.IntN(40)}
			laserOn()
		case r.IntN(300) == 0: // silence: the dead man, autoplay, sessions
			m = mode{kind: 3, left: 100 + r.IntN(int(g.deadMan/tick)+200)}
		case r.IntN(4) == 0:
			hostileRequest(r, g, p, mon, now, aims, axisRange)
		}
		p.Step(ctx, now)
		now = now.Add(tick)
	}
	return now
}

// hostileRequest makes one random request: targets far outside the range,
// inside a keep-out zone, at the ceiling, the laser on and off. The
// monitor is told of each emergency stop and resume as a trace's stop
// and resume lines tell it (control's Engine.TraceStops): the stop once
// the rig took it, the resume before the rig is told.
func hostileRequest(r *rand.Rand, g ruleRig, p *play.Layer, mon *monitor.Monitor, now time.Time, aims []string, axisRange func(string) (float64, float64)) {
	axis := randomOf(r, aims...)
	lo, hi := axisRange(axis)
	switch k := r.IntN(100); {
	case k < 12:
		p.MoveTo(now, axis, rulesBetween(r, lo-60, hi+60))
	case k < 22:
		p.MoveBy(now, axis, r.NormFloat64()*15)
	case k < 34 && len(g.zones) > 0: // into a zone, or onto its edge
		z := randomOf(r, g.zones...)
		p.MoveTo(now, g.pan, rulesBetween(r, z[0]-1, z[1]+1))
		p.MoveTo(now, g.tilt, rulesBetween(r, z[2]-1, z[3]+1))
	case k < 40: // at the ceiling and past it
		p.MoveTo(now, g.tilt, g.ceiling+r.NormFloat64()*3)
	case k < 44:
		p.MoveTo(now, g.pan, rulesBetween(r, g.panLo-30, g.panHi+30))
		p.MoveTo(now, g.tilt, rulesBetween(r, g.tiltLo-30, g.tiltHi+30))
	case k < 62:
		p.Switch(now, g.laser, true, time.Duration(r.IntN(30))*time.Second)
	case k < 70:
		p.Switch(now, g.laser, false, 0)
	case k < 74:
		p.Switch(now, g.laser, false, 0)
		p.Switch(now, g.laser, true, 0)
	case k < 78:
		p.Home(now)
	case k < 81:
		p.Stop(now)
		mon.Stop(now)
	case k < 85:
		mon.Resume(now)
		p.Resume(now)
	case k < 87:
		p.Stop(now)
		mon.Stop(now)
		mon.Resume(now)
		p.Resume(now)
	case k < 93 && g.extra != "":
		p.MoveTo(now, g.extra, rulesBetween(r, g.extraLo-30, g.extraHi+30))
	case k < 96 && g.treat != "":
		p.Switch(now, g.treat, true, 0)
	case k < 98:
		p.MoveTo(now, axis, math.NaN())
	default:
		p.MoveTo(now, axis, randomOf(r, lo, hi, lo-0.001, hi+0.001))
	}
}

// refusalNumbers makes refusals of one kind count as one in the report.
var refusalNumbers = regexp.MustCompile(`[0-9.]+`)

func TestRandomRulesFilesKeepEveryInvariant(t *testing.T) {
	n := translateRigs()
	dir := t.TempDir()
	var (
		mu                       sync.Mutex
		accepted, refused, meant int
		failed                   int
		reasons                  = map[string]int{}
		seen                     = map[string]uint64{}
		seeds                    = make(chan uint64)
		wg                       sync.WaitGroup
	)
	fail := func(g ruleRig, format string, args ...any) {
		failed++
		if failed <= 3 {
			t.Errorf("seed %d: %s\nrules.yaml:\n%s", g.seed, fmt.Sprintf(format, args...), g.yaml)
		} else {
			t.Errorf("seed %d: %s", g.seed, fmt.Sprintf(format, args...))
		}
	}
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for seed := range seeds {
				g := newRuleRig(seed)
				o := runRuleRig(g, dir)
				mu.Lock()
				switch {
				case g.refuse != "":
					meant++
					if o.refused == nil || !strings.Contains(o.refused.Error(), "from below to") {
						fail(g, "check must refuse a keep-out zone whose %s corners are swapped; it said %v", g.refuse, o.refused)
					}
				case o.refused != nil:
					refused++
					first, _, _ := strings.Cut(o.refused.Error(), "\n")
					if _, msg, ok := strings.Cut(first, ": "); ok {
						first = msg
					}
					reasons[refusalNumbers.ReplaceAllString(first, "N")]++
				default:
					accepted++
					for k, v := range o.counts {
						seen[k] += v
					}
					if o.problem != "" {
						fail(g, "%s", o.problem)
					}
					if o.count > 0 {
						var vs []string
						for _, v := range o.violations[:min(len(o.violations), 5)] {
							vs = append(vs, v.String())
						}
						fail(g, "%d safety violation(s) of the file's own limits:\n  %s", o.count, strings.Join(vs, "\n  "))
					}
				}
				mu.Unlock()
			}
		})
	}
	for seed := range uint64(n) {
		seeds <- seed
	}
	close(seeds)
	wg.Wait()
	if accepted < n*4/5 {
		var rs []string
		for k, v := range reasons {
			rs = append(rs, fmt.Sprintf("%d× %s", v, k))
		}
		sort.Strings(rs)
		t.Errorf("check refused %d of %d rigs meant to be valid, accepted only %d: the generator writes files check refuses:\n  %s",
			refused, n-meant, accepted, strings.Join(rs, "\n  "))
	}
	// Every mechanism must have fired somewhere, or the test proves
	// nothing about its translation.
	for _, k := range []string{"clamped", "keep_out", "keep_out_blank", "dwell_blank", "daily_budget", "dead_man", "stopped", "resting"} {
		if seen[k] == 0 {
			t.Errorf("no rig exercised %q: %v", k, seen)
		}
	}
	t.Logf("%d rigs: %d accepted, %d refused as meant (swapped corners), %d refused otherwise; %v", n, accepted, meant, refused, seen)
}
