package play

import (
	"context"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/safety"
)

type bench struct {
	t     *testing.T
	env   *safety.Envelope
	play  *Layer
	now   time.Time
	outs  []safety.Output
	laser *mock.Actuator
	treat *mock.Actuator
	scfg  safety.Config // the envelope's, as built
}

// cfg is the envelope's config, to tell the monitor (limitsFor).
func (b *bench) cfg() safety.Config { return b.scfg }

func newBench(t *testing.T, start time.Time, pc Config, mod func(*safety.Config)) *bench {
	t.Helper()
	b := &bench{t: t, now: start,
		laser: mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil),
		treat: mock.New("treat", actuators.KindSwitch, mock.Limits{}, nil)}
	ceil := 42.0
	cfg := safety.Config{
		Axes: []safety.AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90, Accel: 600, DetachAfter: 2 * time.Second},
			{Name: "tilt", Min: 5, Max: 40, Home: 20, Speed: 60, Accel: 400, DetachAfter: 2 * time.Second}},
		Switches: []safety.SwitchLimits{{Name: "laser", Laser: true, MaxOn: 20 * time.Second, Cooldown: 10 * time.Second},
			{Name: "treat", MaxOn: time.Second}},
		PanAxis: "pan", TiltAxis: "tilt", Ceiling: &ceil, DwellCap: 4 * time.Second,
		DeadMan: 20 * time.Second, Location: pc.Location,
		OnOutput: func(o safety.Output) { b.outs = append(b.outs, o) },
	}
	if mod != nil {
		mod(&cfg)
	}
	b.scfg = cfg
	env, err := safety.NewAt(cfg, map[string]actuators.Actuator{"laser": b.laser, "treat": b.treat,
		"pan":  mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
		"tilt": mock.New("tilt", actuators.KindAxis, mock.Limits{}, nil)}, start)
	if err != nil {
		t.Fatal(err)
	}
	pc.Autoplay.Seed = 1
	b.env, b.play = env, New(pc, env, start)
	return b
}

func (b *bench) step(n int) {
	for range n {
		b.play.Step(context.Background(), b.now)
		b.now = b.now.Add(b.env.Tick())
	}
}

// activity is every instant with an angle output or a lit laser, but the
// homings (each axis's first angle: the bench does not restart) and the
// laser's off at the start, which are no play (safety's invariant 7):
// with them the hold after the homing would count as play.
func activity(outs []safety.Output, tick time.Duration) []time.Time {
	var at []time.Time
	lit := false
	var last time.Time
	homed := map[string]bool{}
	for _, o := range outs {
		if o.Action == actuators.ActionAngle && !homed[o.Target] {
			homed[o.Target] = true
			continue
		}
		if lit && o.Time.After(last) { // lit through the ticks in between
			for t := last.Add(tick); t.Before(o.Time); t = t.Add(tick) {
				at = append(at, t)
			}
		}
		switch {
		case o.Action == actuators.ActionAngle:
			at = append(at, o.Time)
		case o.Target == "laser" && o.Action == actuators.ActionSwitch:
			if lit || o.Value == 1 { // not the off every process starts with
				at = append(at, o.Time)
			}
			lit = o.Value == 1
		}
		last = o.Time
	}
	return at
}

// sessions splits activity at gaps of at least rest and returns each span.
func sessions(at []time.Time, rest time.Duration) []time.Duration {
	var spans []time.Duration
	for i := 0; i < len(at); {
		j := i
		for j+1 < len(at) && at[j+1].Sub(at[j]) < rest {
			j++
		}
		spans = append(spans, at[j].Sub(at[i]))
		i = j + 1
	}
	return spans
}

func TestPausesShorterThanTheRestDoNotResetTheSession(t *testing.T) {
	// Play in 90 s bursts with 25 s pauses (max_play 2m, dead_man 20s):
	// 681 s of play without a rest before, because the dead man's park
	// cleared the session clock.
	b := newBench(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
		Config{MaxPlay: 2 * time.Minute, Rest: time.Minute, Location: time.UTC}, nil)
	refused := 0
	for burst := range 8 {
		for i := range 90 { // a command a second
			pan := float64((burst*90+i)%20 - 10)
			if r := b.play.MoveTo(b.now, "pan", pan); r.Reason == actuators.ReasonCatResting {
				refused++
			}
			b.play.Switch(b.now, "laser", true, 5*time.Second)
			b.step(50)
		}
		b.step(25 * 50)
	}
	park := time.Duration((90.0/90+90.0/600)*float64(time.Second)) + 3*20*time.Millisecond
	for _, span := range sessions(activity(b.outs, 20*time.Millisecond), time.Minute) {
		if span > 2*time.Minute+park {
			t.Fatalf("a session ran %v without a 1 min rest (max_play 2m)", span)
		}
	}
	if refused == 0 {
		t.Fatal("chat was never told the cat is resting")
	}
}

func TestQuietHoursFollowTheWallClockAcrossDST(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	c := Config{QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour, Location: berlin}.withDefaults()
	cases := []struct {
		at    time.Time
		quiet bool
	}{
		{time.Date(2026, 10, 25, 7, 30, 0, 0, berlin), true}, // fall back: 8.5 h since midnight
		{time.Date(2026, 10, 25, 8, 30, 0, 0, berlin), false},
		{time.Date(2026, 10, 25, 22, 30, 0, 0, berlin), false}, // 23.5 h since midnight
		{time.Date(2026, 10, 25, 23, 30, 0, 0, berlin), true},
		{time.Date(2026, 3, 29, 23, 30, 0, 0, berlin), true}, // spring forward: 22.5 h since midnight
		{time.Date(2026, 3, 29, 7, 30, 0, 0, berlin), true},
		{time.Date(2026, 3, 29, 8, 30, 0, 0, berlin), false}, // 7.5 h since midnight
		{time.Date(2026, 3, 29, 2, 30, 0, 0, berlin), true},  // a wall time that does not exist
	}
	for _, k := range cases {
		if q, _ := c.quiet(k.at); q != k.quiet {
			t.Errorf("%v: quiet %v, want %v", k.at, q, k.quiet)
		}
	}
	for _, day := range []time.Time{time.Date(2026, 10, 25, 7, 0, 0, 0, berlin), time.Date(2026, 3, 29, 22, 50, 0, 0, berlin)} {
		b := newBench(t, day, Config{QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour, Location: berlin}, nil)
		for range 60 * 20 { // 20 minutes of 激光 requests every second... then more
			b.play.Switch(b.now, "laser", true, 0)
			b.play.MoveTo(b.now, "pan", float64(b.now.Second()%2*6))
			b.step(50)
		}
		for _, o := range b.outs {
			if o.Target == "laser" && o.Value == 1 {
				if q, _ := c.quiet(o.Time); q {
					t.Fatalf("the laser lit at %v, inside quiet hours", o.Time.In(berlin))
				}
			}
		}
	}
}

func TestSessionEndParksAndGivesATreat(t *testing.T) {
	park := [2]float64{0, 8}
	b := newBench(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
		Config{MaxPlay: 30 * time.Second, Rest: time.Minute, Park: &park, Treat: "treat",
			TreatFor: 500 * time.Millisecond, TreatsPerDay: 1, Location: time.UTC}, driven)
	for i := range 40 {
		b.play.MoveTo(b.now, "pan", float64(i%2*4))
		b.step(50)
	}
	st := b.play.Snapshot()
	if st.Session.Phase != PhaseRest {
		t.Fatalf("phase %q after 40 s of play (max 30 s)", st.Session.Phase)
	}
	treats := 0
	for _, o := range b.outs {
		if o.Target == "treat" && o.Value == 1 {
			treats++
		}
	}
	if treats != 1 {
		t.Fatalf("%d treats at the end of a session", treats)
	}
	if tilt := st.Axes[1].Target; tilt != 8 {
		t.Fatalf("the session should end parked on the catchable spot, tilt target %v", tilt)
	}
	b.step(70 * 50) // rested
	for i := range 40 {
		b.play.MoveTo(b.now, "pan", float64(i%2*4))
		b.step(50)
	}
	n := 0
	for _, o := range b.outs {
		if o.Target == "treat" && o.Value == 1 {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("treats_per_day 1, gave %d", n)
	}
}

func TestAutoplayStartsBeforeTheDeadManAndHandsOver(t *testing.T) {
	b := newBench(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
		Config{Autoplay: Autoplay{After: 10 * time.Second, Laser: true}, Location: time.UTC}, nil)
	b.play.MoveTo(b.now, "pan", 10)
	b.step(15 * 50)
	if !b.play.Snapshot().Session.Autoplay {
		t.Fatal("autoplay should run after 10 s without chat")
	}
	b.step(60 * 50)
	if !b.laser.State().On && total(b.outs) == 0 {
		t.Fatal("autoplay never lit the laser")
	}
	b.play.MoveTo(b.now, "pan", 0)
	b.step(1)
	if b.play.Snapshot().Session.Autoplay {
		t.Fatal("the first command must take over")
	}
}

func total(outs []safety.Output) int {
	n := 0
	for _, o := range outs {
		if o.Target == "laser" && o.Value == 1 {
			n++
		}
	}
	return n
}

// TestFinishTellsWhenPlayResumes: a request refused during a session's
// finish is told when play resumes, after the rest that follows it, not
// when the finish ends: viewers and gift credits are told one time.
func TestFinishTellsWhenPlayResumes(t *testing.T) {
	b := newBench(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
		Config{MaxPlay: 30 * time.Second, Rest: time.Minute, Finish: 6 * time.Second, Location: time.UTC}, driven)
	for range 400 { // 30 s of play, then the finish begins
		if rep := b.play.MoveTo(b.now, "pan", 4); rep.Refused {
			break
		}
		b.step(5)
		b.play.MoveTo(b.now, "pan", 0)
		b.step(5)
	}
	rep := b.play.MoveTo(b.now, "pan", 4)
	if !rep.Refused || rep.Reason != actuators.ReasonCatResting {
		t.Fatalf("a request at the session's end: %+v, want cat_resting", rep)
	}
	b.step(int(10 * time.Second / b.env.Tick())) // past the finish, into the rest
	rest := b.play.MoveTo(b.now, "pan", 4)
	// The rest counts from the last move, which the finish's creep may
	// make a moment after its planned end.
	if d := rest.Until.Sub(rep.Until); !rest.Refused || d < 0 || d > time.Second {
		t.Fatalf("told %v during the finish, %v during the rest that follows: want the same time", rep.Until, rest.Until)
	}
}
