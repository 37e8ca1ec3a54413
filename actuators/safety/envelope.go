package safety

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cattease/cattease/actuators"
)

// DefaultTick is the motion loop period: 50 Hz, the servo frame rate.
const DefaultTick = 20 * time.Millisecond

// Config describes every output the envelope guards.
type Config struct {
	Tick     time.Duration // default DefaultTick
	Axes     []AxisLimits
	Switches []SwitchLimits
	// DeadMan: with no request for this long, every switch goes off and
	// every axis goes home (and then detaches). 0 disables it.
	DeadMan time.Duration
	// PanAxis and TiltAxis name the axes that aim the laser; Ceiling,
	// Zones and DwellCap apply to the dot they aim.
	PanAxis, TiltAxis string
	// Ceiling, if set, is a tilt the dot never reaches: the tilt axis's
	// max is lowered to CeilingMargin below it.
	Ceiling *float64
	// Zones are keep-out rectangles the lit dot never enters or crosses,
	// each grown by ZoneMargin (the beam's size) as Zone.Grow does: the
	// margin is the angle the beam turns, not pan/tilt degrees. The dot
	// is kept out of each zone's aliases the axes reach too (Zone.Aliases:
	// a dot leaning back past straight down, or a full turn of pan away,
	// that aims into the zone).
	Zones      []Zone
	ZoneMargin float64
	// DwellCap: lit time on a spot, with the dot within DwellRadius
	// (default 1°, the angle the beam turns) of it, is capped at this in
	// any window of twice as long: toggling or going away and back does
	// not reset it. 0 = no cap.
	DwellCap    time.Duration
	DwellRadius float64
	// DailyLaser caps every laser's total on-time per local day (in
	// Location); StateFile keeps the day's account across restarts,
	// leased ahead of the light. 0 = no daily cap.
	DailyLaser time.Duration
	StateFile  string
	Location   *time.Location // the streamer's time zone; nil = time.Local
	// StopFile, if set, keeps an emergency stop until Resume, so that a
	// process restarted after a crash, a watchdog kill or a reboot starts
	// stopped, as the streamer left it (live runs; not replays).
	StopFile string
	// ClockSynced reports whether the wall clock is known to be right; a
	// new day's budget starts only then. nil = always.
	ClockSynced func() bool
	// Wall is the wall clock Run reads (without a monotonic reading);
	// nil = time.Now. Tests step it as NTP would.
	Wall func() time.Time
	// Watchdog: if the motion loop stalls this long, Run switches every
	// switch off from an independent timer. Default 200ms.
	Watchdog time.Duration
	// OnOutput, if set, is called (under the envelope's lock; keep it
	// short and never call back into the Envelope) for every output sent
	// to a driver.
	OnOutput func(Output)
	Log      *slog.Logger
}

// Output is one step that passed the envelope and went to a driver.
type Output struct {
	Time   time.Time
	Target string
	Action actuators.Action
	Value  float64
	Err    error // the driver's error, if it failed
	// Wall is the wall clock's reading at Time when it differs from Time:
	// Run keeps the envelope's time to real time across a step of the
	// wall clock (clock.go), and quiet hours are a time of day on the wall
	// clock. Zero when they agree, and on a virtual clock (Step).
	Wall time.Time
	// WallBefore is the wall clock's reading a tick before, on the outputs
	// of a tick at which the wall clock was stepped or Run's time followed
	// a step of it. A step forward that Run follows at once (the rig was
	// still) moves Time with the wall clock, which Wall cannot show; the
	// play layer parks at that tick if the step ends in quiet hours, and
	// the monitor lets that park through on it. Zero otherwise, and on a
	// virtual clock.
	WallBefore time.Time
	// Exit marks the outputs of the park Run makes on its way out (after
	// its context is done, before it halts every output): every switch
	// off, the axes home. Nothing else of the process follows them but
	// the halt, which goes straight to the drivers. The monitor lets them
	// through in quiet hours as what they must be (actuators/monitor).
	Exit bool
}

// Envelope guards a set of outputs. Build it with New; drive it with Run
// (real time) or Step (virtual time).
type Envelope struct {
	cfg   Config
	outs  map[string]actuators.Actuator
	log   *slog.Logger
	zones []Zone // cfg.Zones grown by the margin, and their aliases the axes reach

	mu         sync.Mutex
	axes       map[string]*axis
	pan        *axis          // axes[cfg.PanAxis], nil if none
	tilt       *axis          // axes[cfg.TiltAxis], nil if none
	lasers     []*switchState // the switches with Laser set, in order
	slots      []slot         // every output, in order
	switches   map[string]*switchState
	order      []string // axis and switch names, sorted: a stable output order
	started    bool
	stopped    bool        // emergency stop until Resume
	closing    bool        // Run is parking on the way out: every request is refused
	aborted    atomic.Bool // Abort was called: as closing, set without the lock
	lastReq    time.Time
	parked     bool // the dead man or the play layer parked the rig
	faults     uint64
	ledger     *ledger
	dwell      dwell
	fault      faultState
	stalled    atomic.Bool // set by the watchdog; Step resynchronises
	counts     map[string]uint64
	lastStep   time.Time        // the time of the last Step: the envelope's clock
	runClk     *runClock        // Run's clock, nil before Run
	steppedAt  time.Duration    // real time (runClk's) of Run's last step (SinceStep)
	steppedRun bool             // Run has stepped
	activity   time.Time        // the last tick with a move or a lit laser (not the homing at start)
	played     time.Time        // the last tick with play: a lit laser, or a move a request asked for
	moveFrom   [2]float64       // the dot before the last tick with an angle for it (pan, tilt)
	moveAt     time.Time        // that tick: its move is carried out until a nominal tick after
	homed      time.Time        // the last homing sent (at the first Step, or homeLate's), delivered or not
	unknown    int              // axes whose position is unknown (axis.known): homeLate homes them
	homeAsked  bool             // Home or Park was asked while an axis is unknown: homeLate homes it
	settle     time.Duration    // the longest whole-range move of any axis (settleTime); 0 on a rig without a laser
	holdEnd    time.Time        // the end of the hold, the latest homing + settle, once every axis is known; zero once over
	limpRule   bool             // the rig has a laser: rule limp (limp.go)
	limpEnd    time.Time        // lasers dark until then: the latest re-attach of a limp servo + settle; zero once over
	memory     time.Duration    // the longest window of the axes' limits (memoryOf)
	wall       func() time.Time // Run's wall clock; nil = time.Now (tests step it)
	wallAt     time.Time        // Run's last reading of it, for the outputs of the Step that follows
	wallBefore time.Time        // its reading the tick before, if a clock jumped at wallAt's (runClock.before)
	live       bool             // Run is stepping the envelope on its clock (clock.go)
	movedBuf   map[string]bool  // per-tick scratch, reused: no allocation per tick
	wantBuf    map[string]bool
	writer     ledgerWriter
	latch      *stopLatch // the emergency stop on disk (Config.StopFile)
}

// New checks cfg and pairs each configured output with its actuator. It
// starts nothing.
//
// now is the time the envelope starts at; it selects the day of the laser
// account loaded from cfg.StateFile.
func New(cfg Config, outs map[string]actuators.Actuator) (*Envelope, error) {
	return NewAt(cfg, outs, time.Now())
}

// NewAt is New with an explicit start time (replays, tests).
func NewAt(cfg Config, outs map[string]actuators.Actuator, now time.Time) (*Envelope, error) {
	cfg = cfg.withDefaults()
	e := &Envelope{cfg: cfg, outs: outs, log: cfg.Log, counts: map[string]uint64{},
		axes: map[string]*axis{}, switches: map[string]*switchState{},
		movedBuf: map[string]bool{}, wantBuf: map[string]bool{}, writer: newLedgerWriter(), memory: memoryOf(cfg),
		wall: cfg.Wall}
	e.dwell.part = 2 * int64(max(0, cfg.DwellCap)) / dwellBuckets
	e.dwell.reach = nearChord2(cfg.DwellRadius)
	var errs []error
	for _, a := range cfg.Axes {
		errs = append(errs, e.addAxis(a))
	}
	for _, s := range cfg.Switches {
		errs = append(errs, e.addSwitch(s))
	}
	e.pan, e.tilt = e.axes[e.cfg.PanAxis], e.axes[e.cfg.TiltAxis]
	e.unknown = len(e.axes)
	e.settle = cfg.SettleTime()
	e.limpRule = hasLaser(cfg.Switches)
	errs = append(errs, e.checkGeometry())
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sort.Strings(e.order)
	e.index()
	e.ledger = loadLedger(cfg.StateFile, cfg.Location, now, cfg.ClockSynced)
	if err := e.ledger.broken; err != nil {
		e.count(string(actuators.ReasonLedger))
		e.log.Error("laser refused: the daily ledger is unusable; servos still work", "err", err)
	}
	if e.latch, e.stopped = loadLatch(cfg.StopFile, e.log); e.stopped {
		e.count("stop_latched")
	}
	e.seedLight(now)
	return e, nil
}

func (c Config) withDefaults() Config {
	if c.Tick <= 0 {
		c.Tick = DefaultTick
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Location == nil {
		c.Location = time.Local
	}
	if c.Watchdog <= 0 {
		c.Watchdog = 200 * time.Millisecond
	}
	if c.DwellRadius <= 0 {
		c.DwellRadius = 1
	}
	return c
}

// checkGeometry lowers the tilt limit below the ceiling and checks that
// home and the park spot are usable. Runs after the axes are added.
func (e *Envelope) checkGeometry() error {
	var errs []error
	if e.cfg.Ceiling != nil {
		t := e.tilt
		switch {
		case t == nil:
			errs = append(errs, fmt.Errorf("safety: a ceiling needs the tilt axis (%q is not an axis)", e.cfg.TiltAxis))
		case *e.cfg.Ceiling <= t.Min:
			errs = append(errs, fmt.Errorf("safety: ceiling %g° is at or below the tilt minimum %g°", *e.cfg.Ceiling, t.Min))
		case t.Min <= -*e.cfg.Ceiling && hasLaser(e.cfg.Switches): // tilt 0° points down: a negative tilt leans the other way
			errs = append(errs, fmt.Errorf("safety: tilt minimum %g° is at or below −ceiling %g°", t.Min, -*e.cfg.Ceiling))
		case t.Max > *e.cfg.Ceiling-CeilingMargin:
			t.Max = *e.cfg.Ceiling - CeilingMargin
			if t.Home > t.Max {
				errs = append(errs, fmt.Errorf("safety: tilt home %g° is above the ceiling %g°", t.Home, *e.cfg.Ceiling))
			}
		}
	}
	if e.cfg.ZoneMargin < 0 || math.IsNaN(e.cfg.ZoneMargin) {
		errs = append(errs, errors.New("safety: keep-out margin must not be negative"))
	}
	if len(e.cfg.Zones) > 0 && (e.pan == nil || e.tilt == nil) {
		errs = append(errs, errors.New("safety: keep-out zones need both a pan and a tilt axis"))
		return errors.Join(errs...)
	}
	box, ok := e.reach()
	if len(e.cfg.Zones) > 0 && !ok {
		errs = append(errs, fmt.Errorf("safety: keep-out zones need pan and tilt limits at most %g° apart", maxTurnsWide))
		return errors.Join(errs...)
	}
	for _, z := range e.cfg.Zones {
		if !(z.PanMin < z.PanMax && z.TiltMin < z.TiltMax) {
			errs = append(errs, fmt.Errorf("safety: keep-out zone %q is empty", z.Name))
			continue
		}
		if math.IsInf(z.PanMin, 0) || math.IsInf(z.PanMax, 0) || math.IsInf(z.TiltMin, 0) || math.IsInf(z.TiltMax, 0) {
			errs = append(errs, fmt.Errorf("safety: keep-out zone %q needs finite bounds", z.Name))
			continue
		}
		g := z.Grow(e.cfg.ZoneMargin)
		hp, ht := e.homePoint()
		if g.Contains(hp, ht) {
			errs = append(errs, fmt.Errorf("safety: home lies inside keep-out zone %q (with its margin)", z.Name))
		}
		e.zones = append(e.zones, g)
		// The zone's other names that the rig reaches: a dot there aims
		// into the zone as surely as one inside it. Most rigs reach none.
		if how, zp, zt, in := g.AliasHolding(box, hp, ht); in {
			errs = append(errs, fmt.Errorf("safety: home (%g°, %g°) points into keep-out zone %q (with its margin): %s, it aims where (%g°, %g°) does",
				hp, ht, z.Name, how, zp, zt))
		}
		e.zones = append(e.zones, g.Aliases(box)...)
	}
	return errors.Join(errs...)
}

// maxTurnsWide bounds the pan and tilt ranges of a rig with keep-out
// zones: each whole turn the axes reach is another name for every zone
// (Zone.Aliases), and no real bracket turns ten times.
const maxTurnsWide = 3600.0

// reach is the box of dots the aim axes can reach: their limits, the
// tilt's lowered below the ceiling. It reports false if the box is not
// finite or wider than maxTurnsWide. Runs after checkGeometry lowers the
// tilt limit.
func (e *Envelope) reach() (Zone, bool) {
	if e.pan == nil || e.tilt == nil {
		return Zone{}, false
	}
	b := Zone{PanMin: e.pan.Min, PanMax: e.pan.Max, TiltMin: e.tilt.Min, TiltMax: e.tilt.Max}
	return b, b.PanMax-b.PanMin <= maxTurnsWide && b.TiltMax-b.TiltMin <= maxTurnsWide
}

// CeilingMargin keeps the tilt limit strictly below the ceiling: the
// tilt axis's usable max is min(max, ceiling − CeilingMargin).
const CeilingMargin = 0.01

func (e *Envelope) homePoint() (pan, tilt float64) {
	if e.pan != nil {
		pan = e.pan.Home
	}
	if e.tilt != nil {
		tilt = e.tilt.Home
	}
	return pan, tilt
}

func (e *Envelope) addAxis(a AxisLimits) error {
	switch {
	case e.outs[a.Name] == nil:
		return fmt.Errorf("safety: axis %q has no actuator", a.Name)
	case e.taken(a.Name):
		return fmt.Errorf("safety: output %q configured twice", a.Name)
	case !(a.Min < a.Max) || a.Home < a.Min || a.Home > a.Max:
		return fmt.Errorf("safety: axis %q: need min < max and home within them", a.Name)
	case !(a.Speed > 0) || a.Accel < 0:
		return fmt.Errorf("safety: axis %q: speed must be > 0 and accel ≥ 0", a.Name)
	case a.DutyMax < 0 || a.DutyWindow < 0 || (a.DutyMax > 0 && a.DutyWindow <= a.DutyMax):
		return fmt.Errorf("safety: axis %q: duty window must be longer than duty max", a.Name)
	}
	ax := &axis{AxisLimits: a, pos: a.Home, target: a.Home, sent: a.Home}
	ax.duty.init(a, e.cfg.Tick)
	if ax.duty.limit && ax.duty.cap < 2*ax.parkTicks(e.cfg.Tick)+2 {
		return fmt.Errorf("safety: axis %q: duty max %v cannot hold two whole-range moves in reserve", a.Name, a.DutyMax)
	}
	e.axes[a.Name] = ax
	e.order = append(e.order, a.Name)
	return nil
}

func (e *Envelope) addSwitch(s SwitchLimits) error {
	switch {
	case e.outs[s.Name] == nil:
		return fmt.Errorf("safety: switch %q has no actuator", s.Name)
	case e.taken(s.Name):
		return fmt.Errorf("safety: output %q configured twice", s.Name)
	case s.MaxOn <= 0 || s.Cooldown < 0:
		return fmt.Errorf("safety: switch %q: max on-time must be > 0", s.Name)
	}
	if s.Laser && s.Cooldown == 0 {
		// With no cooldown the budget is MaxOn in every MaxOn, which
		// refuses nothing: a laser asked for again and again would never
		// go dark. It rests as long as it may shine.
		s.Cooldown = s.MaxOn
	}
	e.switches[s.Name] = &switchState{SwitchLimits: s}
	e.order = append(e.order, s.Name)
	return nil
}

// index keeps what every tick asks for at hand: the outputs in order and
// the lasers (the dot's two axes are e.pan and e.tilt), instead of looking
// them up by name or ranging over a map several times a tick.
func (e *Envelope) index() {
	for _, name := range e.order {
		sw := e.switches[name]
		e.slots = append(e.slots, slot{name: name, ax: e.axes[name], sw: sw})
		if sw != nil && sw.Laser {
			e.lasers = append(e.lasers, sw)
		}
	}
}

// slot is one output in e.order: an axis or a switch.
type slot struct {
	name string
	ax   *axis        // nil for a switch
	sw   *switchState // nil for an axis
}

func (e *Envelope) taken(name string) bool {
	_, a := e.axes[name]
	_, s := e.switches[name]
	return a || s
}

// Tick returns the motion loop period.
func (e *Envelope) Tick() time.Duration { return e.cfg.Tick }

// Halt switches every switch off and stops every axis's pulses, straight at
// the drivers, without waiting for the motion loop: the lasers first, and
// a driver whose Halt panics does not keep the others on (its panic is
// returned as an error with the drivers' failures). Idempotent.
func (e *Envelope) Halt() error {
	isLaser := func(name string) bool { s, ok := e.cfg.switchNamed(name); return ok && s.Laser }
	var errs []error
	for _, lasers := range []bool{true, false} {
		for _, name := range e.order {
			if isLaser(name) == lasers {
				errs = append(errs, haltSafely(name, e.outs[name]))
			}
		}
	}
	return errors.Join(errs...)
}

// do sends one command to a driver and reports it. A failure starts a
// fault: lasers off, park, back off and retry. Caller holds e.mu.
func (e *Envelope) do(ctx context.Context, now time.Time, name string, c actuators.Command) error {
	err := e.outs[name].Do(ctx, c)
	if err != nil {
		e.faults++
		// A write cut short because the motion loop is stopping is still
		// handled as a fault (laser off, park), but it is no error to report.
		e.onFault(now, name, c, err, ctx.Err() != nil)
	}
	if e.cfg.OnOutput != nil {
		o := Output{Time: now, Target: name, Action: c.Action, Value: c.Value, Err: err}
		if e.live && !e.wallAt.IsZero() && !e.wallAt.Equal(now) {
			o.Wall = e.wallAt
		}
		if e.live {
			o.WallBefore = e.wallBefore
		}
		o.Exit = e.closing // Run's park on the way out (parkAndStop)
		e.cfg.OnOutput(o)
	}
	return err
}

func (c Config) switchNamed(name string) (SwitchLimits, bool) {
	for _, s := range c.Switches {
		if s.Name == name {
			return s, true
		}
	}
	return SwitchLimits{}, false
}

// seedLight carries the previous process's light over a restart. It was
// lit at most windowLit in the window before its last ledger write, and
// then at most until its lease ran out (litUntil) or until now, whichever
// came first. Placing that light as late as it can have been is the worst
// case for every window from now on.
func (e *Envelope) seedLight(now time.Time) {
	l := e.ledger
	end := l.litUntil
	if end.After(now) {
		end = now
	}
	written := l.written
	if written.After(now) {
		// Written on a clock ahead of this one (the last run went on in
		// real time past a wall clock set back): its light may have ended
		// a moment ago, which is the worst case.
		written = now
		if !end.IsZero() {
			end = now
		}
	}
	for _, s := range e.switches {
		switch {
		case !s.Laser || end.IsZero():
		case written.IsZero(): // an older ledger: assume the worst
			s.log.seed(end.Add(-s.MaxOn), end)
		default:
			s.log.seed(written.Add(-min(l.windowLit, s.MaxOn)), written)
			s.log.seed(written, end)
		}
	}
}

// windowLit is the most any laser was lit in its light budget's window
// before now, for the ledger. Caller holds e.mu.
func (e *Envelope) windowLit(now time.Time) time.Duration {
	var most time.Duration
	for _, s := range e.lasers {
		most = max(most, s.log.litIn(now.Add(-s.window()), now))
	}
	return most
}

// hasLaser reports whether any switch is a laser: the beam's limits apply.
func hasLaser(sw []SwitchLimits) bool {
	for _, s := range sw {
		if s.Laser {
			return true
		}
	}
	return false
}
