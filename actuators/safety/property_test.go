package safety

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// propRig is a random configuration with recording mocks.
type propRig struct {
	cfg      Config
	env      *Envelope
	pan, til *mock.Actuator
	laser    *mock.Actuator
	now      time.Time
	events   []Output
}

func randomConfig(r *rand.Rand) Config {
	pa := 20 + r.Float64()*40
	tmin, tmax := 2+r.Float64()*5, 20+r.Float64()*30
	c := Config{
		Axes: []AxisLimits{
			{Name: "pan", Min: -pa, Max: pa, Home: 0, Speed: 30 + r.Float64()*370, DetachAfter: time.Duration(r.IntN(3)) * time.Second},
			{Name: "tilt", Min: tmin, Max: tmax, Home: tmin + 3, Speed: 30 + r.Float64()*370},
		},
		Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Duration(1+r.IntN(20)) * time.Second,
			Cooldown: time.Duration(r.IntN(10)) * time.Second}},
		PanAxis: "pan", TiltAxis: "tilt",
		DeadMan:  time.Duration(5+r.IntN(60)) * time.Second,
		Location: time.UTC,
	}
	if r.IntN(3) > 0 {
		c.Axes[0].Accel, c.Axes[1].Accel = 100+r.Float64()*3000, 100+r.Float64()*3000
	}
	if r.IntN(2) == 0 {
		ceil := tmin + 5 + r.Float64()*(tmax-tmin)
		c.Ceiling = &ceil
	}
	for range r.IntN(4) {
		z := Zone{Name: "z", PanMin: -pa + r.Float64()*pa*1.5, TiltMin: tmin + 4 + r.Float64()*20}
		z.PanMax, z.TiltMax = z.PanMin+3+r.Float64()*15, z.TiltMin+2+r.Float64()*10
		c.Zones = append(c.Zones, z)
	}
	if r.IntN(2) == 0 {
		c.DwellCap = time.Duration(500+r.IntN(4000)) * time.Millisecond
	}
	if r.IntN(2) == 0 {
		c.DailyLaser = time.Duration(10+r.IntN(120)) * time.Second
	}
	if r.IntN(2) == 0 {
		c.Session = SessionConfig{MaxPlay: time.Duration(20+r.IntN(120)) * time.Second, Rest: time.Duration(5+r.IntN(60)) * time.Second}
	}
	if r.IntN(2) == 0 {
		from := time.Duration(r.IntN(24*60)) * time.Minute
		c.Session.QuietFrom, c.Session.QuietTo = from, (from+time.Duration(5+r.IntN(30))*time.Minute)%(24*time.Hour)
	}
	if r.IntN(2) == 0 {
		c.Autoplay = AutoplayConfig{After: time.Duration(1+r.IntN(8)) * time.Second, Laser: r.IntN(2) == 0, Seed: r.Uint64() | 1}
	}
	return c
}

func newPropRig(t *testing.T, seed uint64) *propRig {
	r := rand.New(rand.NewPCG(seed, 7))
	p := &propRig{cfg: randomConfig(r),
		pan:   mock.New("pan", actuators.KindAxis, mock.Limits{Min: -90, Max: 90}, nil),
		til:   mock.New("tilt", actuators.KindAxis, mock.Limits{Min: -90, Max: 90}, nil),
		laser: mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil),
		// Start at a random time of day, so quiet hours come round.
		now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(24*3600)) * time.Second),
	}
	p.cfg.OnOutput = func(o Output) { p.events = append(p.events, o) }
	env, err := NewAt(p.cfg, map[string]actuators.Actuator{"pan": p.pan, "tilt": p.til, "laser": p.laser}, p.now)
	if err != nil {
		t.Skipf("seed %d: config rejected: %v", seed, err) // e.g. home inside a zone
	}
	p.env = env
	return p
}

// request makes one random request.
func (p *propRig) request(r *rand.Rand) {
	e, now := p.env, p.now
	switch k := r.IntN(100); {
	case k < 30:
		e.MoveBy(now, []string{"pan", "tilt"}[r.IntN(2)], r.NormFloat64()*15)
	case k < 55:
		v := r.Float64()*200 - 100
		if k == 54 {
			v = math.NaN()
		}
		e.MoveTo(now, []string{"pan", "tilt"}[r.IntN(2)], v)
	case k < 75:
		e.Switch(now, "laser", true, time.Duration(r.IntN(30))*time.Second)
	case k < 85:
		e.Switch(now, "laser", false, 0)
	case k < 93:
		e.Home(now)
	case k < 96:
		e.Stop(now)
	default:
		e.Resume(now)
	}
}

// TestEnvelopeProperties drives at least 10^5 random requests, with
// sequences of rapid reversals and autoplay, through random configs, and
// checks every output against every limit.
func TestEnvelopeProperties(t *testing.T) {
	configs, perConfig, want := uint64(40), 2600, 100_000
	if testing.Short() { // the qemu-user run of the whole suite
		configs, want = 8, 8*perConfig
	}
	total := 0
	seen := map[string]uint64{}
	for seed := range configs {
		p := newPropRig(t, seed)
		if p.env == nil {
			continue
		}
		r := rand.New(rand.NewPCG(seed, 99))
		c := newChecker(t, p)
		for range perConfig {
			p.request(r)
			total++
			for range r.IntN(40) { // up to 0.8 s between requests
				p.env.Step(context.Background(), p.now)
				c.tick()
				p.now = p.now.Add(p.env.Tick())
			}
			if r.IntN(200) == 0 { // a silence: the dead man, autoplay, sessions
				for range r.IntN(5000) {
					p.env.Step(context.Background(), p.now)
					c.tick()
					p.now = p.now.Add(p.env.Tick())
				}
			}
		}
		c.done()
		for k, v := range p.env.Snapshot().Counts {
			seen[k] += v
		}
		seen["lit_ticks"] += uint64(c.litTicks)
		seen["autoplay_ticks"] += uint64(c.autoTicks)
	}
	if total < want {
		t.Fatalf("only %d requests", total)
	}
	// Every mechanism must actually have been exercised, or the test
	// proves nothing about it.
	if testing.Short() {
		return
	}
	for _, k := range []string{"lit_ticks", "autoplay_ticks", "keep_out", "keep_out_blank", "dwell_blank",
		"daily_budget", "cat_resting", "quiet_hours", "dead_man", "clamped", "resting", "stopped"} {
		if seen[k] == 0 {
			t.Errorf("nothing exercised %q: %v", k, seen)
		}
	}
	t.Logf("%d requests; %v", total, seen)
}

// checker follows the outputs as a driver would see them.
type checker struct {
	t                 *testing.T
	p                 *propRig
	seen              int       // events already replayed
	pan, tilt         float64   // what the drivers were last told
	lit               bool      // laser as the driver has it
	litSince          time.Time // start of the current on-period
	stillLit          time.Duration
	lastOffCapped     time.Time // end of an on-period that ran to MaxOn
	day               string
	today             time.Duration
	hist              [2][3]float64 // last three per-tick angles per axis
	ticks             int
	litTicks          int
	autoTicks         int
	frozen            int // ticks since a stop or resume: no accel check
	tiltMax, panLimit [2]float64
}

func newChecker(t *testing.T, p *propRig) *checker {
	c := &checker{t: t, p: p, pan: 0, tilt: p.cfg.Axes[1].Home}
	c.panLimit = [2]float64{p.cfg.Axes[0].Min, p.cfg.Axes[0].Max}
	c.tiltMax = [2]float64{p.cfg.Axes[1].Min, p.cfg.Axes[1].Max}
	if p.cfg.Ceiling != nil && *p.cfg.Ceiling < c.tiltMax[1] {
		c.tiltMax[1] = *p.cfg.Ceiling
	}
	return c
}

func (c *checker) fail(format string, args ...any) {
	c.t.Helper()
	c.t.Fatalf("seed config %+v\nat %v: %s", c.p.cfg.Session, c.p.now, fmt.Sprintf(format, args...))
}

// tick replays this tick's outputs in order, then checks the tick.
func (c *checker) tick() {
	cfg := &c.p.cfg
	for _, o := range c.p.events[c.seen:] {
		c.output(o)
	}
	c.seen = len(c.p.events)
	c.ticks++
	// Speed and acceleration, per axis, per tick.
	dt := c.p.env.Tick().Seconds()
	stopped := c.p.env.stopped
	if stopped {
		c.frozen = 3
	}
	for i, ang := range []float64{c.pan, c.tilt} {
		h := &c.hist[i]
		h[0], h[1], h[2] = h[1], h[2], ang
		ax := cfg.Axes[i]
		if c.ticks >= 2 && math.Abs(h[2]-h[1])/dt > ax.Speed*(1+1e-9)+1e-6 {
			c.fail("%s speed %.3f > %.3f", ax.Name, math.Abs(h[2]-h[1])/dt, ax.Speed)
		}
		if ax.Accel > 0 && c.ticks >= 3 && c.frozen == 0 {
			if a := math.Abs(h[2]-2*h[1]+h[0]) / (dt * dt); a > ax.Accel*(1+1e-6)+1e-3 {
				c.fail("%s accel %.3f > %.3f (%v)", ax.Name, a, ax.Accel, *h)
			}
		}
	}
	if c.frozen > 0 && !stopped {
		c.frozen--
	}
	c.checkLaserTick()
}

// output applies one driver command, checking the zone rule at the exact
// moment of every angle change.
func (c *checker) output(o Output) {
	cfg := &c.p.cfg
	switch {
	case o.Action == actuators.ActionAngle && o.Target == "pan":
		c.move(o.Value, c.tilt)
	case o.Action == actuators.ActionAngle && o.Target == "tilt":
		c.move(c.pan, o.Value)
	case o.Action == actuators.ActionSwitch && o.Value == 1 && !c.lit:
		c.lit, c.litSince = true, o.Time
		if !c.lastOffCapped.IsZero() && o.Time.Sub(c.lastOffCapped) < cfg.Switches[0].Cooldown {
			c.fail("laser back on %v after a capped period; cooldown is %v", o.Time.Sub(c.lastOffCapped), cfg.Switches[0].Cooldown)
		}
		c.lastOffCapped = time.Time{}
		c.checkZones(c.pan, c.tilt, c.pan, c.tilt)
	case o.Action == actuators.ActionSwitch && o.Value == 0 && c.lit:
		c.lit = false
		on := o.Time.Sub(c.litSince)
		if on > cfg.Switches[0].MaxOn {
			c.fail("laser on for %v > max_on %v", on, cfg.Switches[0].MaxOn)
		}
		if on == cfg.Switches[0].MaxOn {
			c.lastOffCapped = o.Time
		}
	}
}

func (c *checker) move(pan, tilt float64) {
	if pan < c.panLimit[0]-1e-9 || pan > c.panLimit[1]+1e-9 {
		c.fail("pan %v outside %v", pan, c.panLimit)
	}
	if tilt < c.tiltMax[0]-1e-9 || tilt > c.tiltMax[1]+1e-9 {
		c.fail("tilt %v outside %v", tilt, c.tiltMax)
	}
	if c.p.cfg.Ceiling != nil && tilt >= *c.p.cfg.Ceiling {
		c.fail("tilt %v at or above the ceiling %v", tilt, *c.p.cfg.Ceiling)
	}
	if c.lit {
		c.checkZones(c.pan, c.tilt, pan, tilt)
	}
	c.pan, c.tilt = pan, tilt
}

func (c *checker) checkZones(p0, t0, p1, t1 float64) {
	for _, z := range c.p.cfg.Zones {
		if z.Crosses(p0, t0, p1, t1) {
			c.fail("lit dot crossed keep-out zone %+v from (%.3f,%.3f) to (%.3f,%.3f)", z, p0, t0, p1, t1)
		}
	}
}

// checkLaserTick checks the per-tick laser rules: dwell, the daily budget,
// sessions and quiet hours.
func (c *checker) checkLaserTick() {
	cfg := &c.p.cfg
	dt := c.p.env.Tick()
	now := c.p.now
	if day := now.In(cfg.Location).Format(time.DateOnly); day != c.day {
		c.day, c.today = day, 0
	}
	if c.p.env.auto.active {
		c.autoTicks++
	}
	if !c.lit {
		c.stillLit = 0
		return
	}
	c.litTicks++
	c.today += dt
	if cfg.DailyLaser > 0 && c.today > cfg.DailyLaser {
		c.fail("laser on %v today > budget %v", c.today, cfg.DailyLaser)
	}
	if h := c.hist; h[0][2] == h[0][1] && h[1][2] == h[1][1] {
		c.stillLit += dt
	} else {
		c.stillLit = 0
	}
	if cfg.DwellCap > 0 && c.stillLit > cfg.DwellCap {
		c.fail("lit dot still for %v > dwell cap %v", c.stillLit, cfg.DwellCap)
	}
	if q := cfg.Session; q.quiet() && inWindow(now.In(cfg.Location), q.QuietFrom, q.QuietTo) {
		c.fail("laser on during quiet hours")
	}
	if ph, _ := c.p.env.phase(now); ph == PhaseRest {
		c.fail("laser on during a rest")
	}
}

// inWindow is an independent quiet-hours check.
func inWindow(t time.Time, from, to time.Duration) bool {
	tod := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
		time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
	if from < to {
		return tod >= from && tod < to
	}
	return tod >= from || tod < to
}

func (c *checker) done() {
	if c.ticks == 0 {
		c.t.Fatal("no ticks")
	}
}
