package safety

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

type rig struct {
	t    *testing.T
	env  *Envelope
	now  time.Time
	outs []Output
	pan  *mock.Actuator
	lz   *mock.Actuator
}

func newRig(t *testing.T, mod func(*Config)) *rig {
	t.Helper()
	r := &rig{t: t, now: t0,
		pan: mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
		lz:  mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}
	cfg := Config{
		Axes:     []AxisLimits{{Name: "pan", Min: -45, Max: 45, Home: 0, Speed: 90, Accel: 600, DetachAfter: time.Second}},
		Switches: []SwitchLimits{{Name: "laser", MaxOn: 5 * time.Second, Cooldown: 10 * time.Second}},
		OnOutput: func(o Output) { r.outs = append(r.outs, o) },
	}
	if mod != nil {
		mod(&cfg)
	}
	env, err := New(cfg, map[string]actuators.Actuator{"pan": r.pan, "laser": r.lz})
	if err != nil {
		t.Fatal(err)
	}
	r.env = env
	r.step(1)
	r.pastHold() // the servos surely home: a laser may light
	return r
}

// step runs n ticks.
func (r *rig) step(n int) {
	for range n {
		r.env.Step(context.Background(), r.now)
		r.now = r.now.Add(r.env.Tick())
	}
}

func (r *rig) angles(name string) []float64 {
	var v []float64
	for _, o := range r.outs {
		if o.Target == name && o.Action == actuators.ActionAngle {
			v = append(v, o.Value)
		}
	}
	return v
}

func TestStartSwitchesOffThenHomes(t *testing.T) {
	r := newRig(t, nil)
	if len(r.outs) < 2 || r.outs[0].Target != "laser" || r.outs[0].Value != 0 {
		t.Fatalf("first output must be laser off, got %+v", r.outs)
	}
	if r.outs[1].Target != "pan" || r.outs[1].Value != 0 {
		t.Fatalf("then pan home, got %+v", r.outs[1])
	}
}

func TestClampAndReach(t *testing.T) {
	r := newRig(t, nil)
	if rep := r.env.MoveTo(r.now, "pan", 100); !rep.Clamped || rep.Reason != "clamped" {
		t.Fatalf("report %+v", rep)
	}
	r.step(200)
	if p := r.pan.State().Angle; p != 45 {
		t.Fatalf("pan at %v, want 45", p)
	}
	if rep := r.env.MoveBy(r.now, "pan", 5); !rep.Clamped {
		t.Fatalf("moving past max must clamp: %+v", rep)
	}
}

// TestMotionLimitsRandom drives random targets and checks every output
// sample against the limits, speed and acceleration.
func TestMotionLimitsRandom(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		speed, accel := 30+rng.Float64()*300, rng.Float64()*2000
		r := newRig(t, func(c *Config) { c.Axes[0].Speed, c.Axes[0].Accel = speed, accel })
		var pos []float64
		for range 300 {
			if rng.IntN(2) == 0 {
				r.env.MoveTo(r.now, "pan", rng.Float64()*200-100)
			} else {
				r.env.MoveBy(r.now, "pan", rng.Float64()*40-20)
			}
			for range rng.IntN(30) {
				r.step(1)
				pos = append(pos, r.env.Snapshot().Axes[0].Pos)
			}
		}
		checkProfile(t, pos, -45, 45, speed, accel, r.env.Tick())
		if sent := r.angles("pan"); sent[len(sent)-1] != pos[len(pos)-1] {
			t.Fatalf("driver got %v, envelope at %v", sent[len(sent)-1], pos[len(pos)-1])
		}
	}
}

func checkProfile(t *testing.T, a []float64, lo, hi, speed, accel float64, tick time.Duration) {
	t.Helper()
	dt := tick.Seconds()
	const eps = 1e-6
	for i, v := range a {
		if v < lo-eps || v > hi+eps {
			t.Fatalf("sample %d: %v outside [%v, %v]", i, v, lo, hi)
		}
		if i == 0 {
			continue
		}
		if s := math.Abs(v-a[i-1]) / dt; s > speed*(1+eps)+eps {
			t.Fatalf("sample %d: speed %v > %v", i, s, speed)
		}
		if accel > 0 && i >= 2 {
			acc := math.Abs(v-2*a[i-1]+a[i-2]) / (dt * dt)
			if acc > accel*(1+1e-6)+1e-3 {
				t.Fatalf("sample %d: accel %v > %v", i, acc, accel)
			}
		}
	}
}

func TestSwitchCapAndCooldown(t *testing.T) {
	r := newRig(t, nil)
	if rep := r.env.Switch(r.now, "laser", true, time.Minute); !rep.Clamped || rep.Reason != "max_on" {
		t.Fatalf("asking past max_on must report the cap: %+v", rep)
	}
	r.step(1)
	if !r.lz.State().On {
		t.Fatal("laser should be on")
	}
	r.step(int(5*time.Second/r.env.Tick()) + 1)
	if r.lz.State().On {
		t.Fatal("laser still on past max_on")
	}
	rep := r.env.Switch(r.now, "laser", true, 0)
	if !rep.Refused || rep.Reason != "resting" || !rep.Until.After(r.now) {
		t.Fatalf("during cooldown: %+v", rep)
	}
	r.now = rep.Until
	if rep := r.env.Switch(r.now, "laser", true, time.Second); rep.Refused {
		t.Fatalf("after cooldown: %+v", rep)
	}
	r.step(1)
	r.step(int(time.Second/r.env.Tick()) + 1)
	if r.lz.State().On {
		t.Fatal("a 1 s request must end after 1 s")
	}
	if rep := r.env.Switch(r.now, "laser", true, 0); rep.Refused {
		t.Fatalf("a request that ended by itself must not start a cooldown: %+v", rep)
	}
}

func TestDeadManAndDetach(t *testing.T) {
	r := newRig(t, func(c *Config) { c.DeadMan = 10 * time.Second })
	r.env.MoveTo(r.now, "pan", 30)
	r.env.Switch(r.now, "laser", true, 0)
	r.step(40)
	if !r.pan.State().Attached || r.pan.State().Angle != 30 {
		t.Fatalf("pan %+v", r.pan.State())
	}
	r.step(100) // 2 s at rest > DetachAfter
	if r.pan.State().Attached {
		t.Fatal("pan should detach after resting")
	}
	r.step(int(10 * time.Second / r.env.Tick()))
	if r.lz.State().On {
		t.Fatal("dead man must switch the laser off")
	}
	r.step(200)
	if st := r.env.Snapshot(); !st.Parked || st.Axes[0].Pos != 0 {
		t.Fatalf("dead man must park at home: %+v", st)
	}
}

func TestEmergencyStop(t *testing.T) {
	r := newRig(t, nil)
	r.env.Switch(r.now, "laser", true, 0)
	r.env.MoveTo(r.now, "pan", 30)
	r.step(5)
	r.env.Stop(r.now)
	r.step(1)
	if st := r.lz.State(); st.On {
		t.Fatal("laser on after stop")
	}
	r.step(20) // brakes within its acceleration, then goes limp
	if r.pan.State().Attached {
		t.Fatal("pan attached after stop")
	}
	if a := r.angles("pan"); len(a) < 4 {
		t.Fatalf("pan should brake over several ticks, sent %v", a)
	}
	for _, rep := range []Report{r.env.MoveBy(r.now, "pan", 5), r.env.Switch(r.now, "laser", true, 0), r.env.Home(r.now)} {
		if !rep.Refused || rep.Reason != "stopped" {
			t.Fatalf("request during stop: %+v", rep)
		}
	}
	if rep := r.env.Switch(r.now, "laser", false, 0); rep.Refused {
		t.Fatal("switching off must never be refused")
	}
	r.env.Resume(r.now)
	if rep := r.env.MoveBy(r.now, "pan", 5); rep.Refused {
		t.Fatalf("after resume: %+v", rep)
	}
}

func TestRunHaltsOnCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pan := mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)
		lz := mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
		env, err := New(Config{
			Axes:     []AxisLimits{{Name: "pan", Min: -10, Max: 10, Speed: 90}},
			Switches: []SwitchLimits{{Name: "laser", MaxOn: time.Minute}},
		}, map[string]actuators.Actuator{"pan": pan, "laser": lz})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- env.Run(ctx, nil) }()
		env.Switch(time.Now(), "laser", true, 0)
		env.MoveTo(time.Now(), "pan", 10)
		time.Sleep(500 * time.Millisecond) // virtual time under synctest
		if !lz.State().On || pan.State().Angle != 10 {
			t.Fatal("laser should be on and pan at 10° while running")
		}
		cancel()
		<-done
		if lz.State().On || lz.State().Halts == 0 || pan.State().Halts == 0 {
			t.Fatalf("after Run: laser %+v pan %+v", lz.State(), pan.State())
		}
		if p := pan.State(); p.Angle != 0 || p.Attached {
			t.Fatalf("pan must be parked at home and detached on exit: %+v", p)
		}
		if rep := env.Switch(time.Now(), "laser", true, 0); !rep.Refused || rep.Reason != "shutting_down" {
			t.Fatalf("a request after Run returned must be refused: %+v", rep)
		}
		if rep := env.MoveTo(time.Now(), "pan", 5); !rep.Refused || rep.Reason != "shutting_down" {
			t.Fatalf("a move after Run returned must be refused: %+v", rep)
		}
		if ph := env.Snapshot().Session.Phase; ph != "off" {
			t.Fatalf("shutting down is not a rest: phase %q", ph)
		}
		h := lz.History()
		if last := h[len(h)-1]; last.Value != 0 {
			t.Fatalf("laser's last command %v", last)
		}
	})
}

func TestNewRejectsBadConfig(t *testing.T) {
	m := mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)
	outs := map[string]actuators.Actuator{"pan": m}
	bad := []Config{
		{Axes: []AxisLimits{{Name: "tilt", Min: -1, Max: 1, Speed: 1}}},
		{Axes: []AxisLimits{{Name: "pan", Min: 1, Max: -1, Speed: 1}}},
		{Axes: []AxisLimits{{Name: "pan", Min: -1, Max: 1, Speed: 0}}},
		{Switches: []SwitchLimits{{Name: "pan", MaxOn: 0}}},
	}
	for i, c := range bad {
		if _, err := New(c, outs); err == nil {
			t.Errorf("#%d: accepted %+v", i, c)
		}
	}
}

func TestEnableSwitch(t *testing.T) {
	r := newRig(t, nil)
	r.env.Switch(r.now, "laser", true, 0)
	r.step(1)
	r.env.Enable("laser", false)
	r.step(1)
	if r.lz.State().On {
		t.Fatal("disabling must switch off")
	}
	if rep := r.env.Switch(r.now, "laser", true, 0); rep.Reason != "disabled" {
		t.Fatalf("%+v", rep)
	}
	r.env.Enable("laser", true)
	if rep := r.env.Switch(r.now, "laser", true, 0); rep.Refused {
		t.Fatalf("%+v", rep)
	}
}
