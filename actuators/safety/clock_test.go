package safety

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// TestRunClockSteps: the envelope's clock in Run is the wall clock while
// it moves with real time; stepped back, it goes on with real time and
// never follows; stepped forward, it follows only when allowed.
func TestRunClockSteps(t *testing.T) {
	wall, real := t0, time.Duration(0)
	c := &runClock{read: func() (time.Time, time.Duration) { return wall, real }}
	tick := func(d time.Duration) { wall, real = wall.Add(d), real+d }
	read := func(may bool) (time.Time, bool, bool) { t, _, st, re := c.now(may); return t, st, re }

	if got, _, _ := read(false); !got.Equal(t0) {
		t.Fatalf("first reading %v, want the wall clock", got)
	}
	tick(20 * time.Millisecond)
	wall = wall.Add(20 * time.Microsecond) // readings a moment apart: within the slack
	if got, st, _ := read(false); !got.Equal(wall) || st {
		t.Fatalf("jitter: %v stepped %v, want the wall clock %v", got, st, wall)
	}
	before, _, _ := read(false)

	wall = wall.Add(-30 * time.Minute) // set back
	tick(time.Second)
	got, st, _ := read(true)
	if !got.Equal(before.Add(time.Second)) || !st {
		t.Fatalf("set back: %v stepped %v, want real time %v", got, st, before.Add(time.Second))
	}
	for range 5 {
		tick(time.Second)
		if again, st, _ := read(true); !again.Equal(got.Add(time.Second)) || st {
			t.Fatalf("set back, later: %v stepped %v, want %v and no new step", again, st, got.Add(time.Second))
		} else {
			got = again
		}
	}

	wall = got.Add(time.Hour) // set forward past the envelope's time
	tick(time.Second)
	if fwd, st, _ := read(false); !fwd.Equal(got.Add(time.Second)) || st {
		t.Fatalf("set forward while busy: %v stepped %v, want real time", fwd, st)
	} else {
		got = fwd
	}
	tick(time.Second)
	if fwd, _, re := read(true); !fwd.Equal(wall) || !re {
		t.Fatalf("set forward, quiet: %v resynced %v, want the wall clock %v", fwd, re, wall)
	}
}

// clockRig runs an envelope with a laser under synctest, on a wall clock
// the test can step. lit returns how long the laser was lit in real time
// (synctest's) between from and to.
func clockRig(t *testing.T) (env *Envelope, lz *mock.Actuator, step *atomic.Int64, stop func(), lit func(from, to time.Time) time.Duration) {
	lz = mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
	var mu sync.Mutex
	var changes []Output // Time: real time
	env, err := New(Config{Switches: []SwitchLimits{{Name: "laser", MaxOn: 20 * time.Second, Cooldown: 20 * time.Second}},
		OnOutput: func(o Output) {
			mu.Lock()
			defer mu.Unlock()
			o.Time = time.Now()
			changes = append(changes, o)
		}},
		map[string]actuators.Actuator{"laser": lz})
	if err != nil {
		t.Fatal(err)
	}
	step = new(atomic.Int64)
	env.wall = func() time.Time { return time.Now().Round(0).Add(time.Duration(step.Load())) }
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- env.Run(ctx, nil) }()
	lit = func(from, to time.Time) time.Duration {
		mu.Lock()
		defer mu.Unlock()
		var sum time.Duration
		var on time.Time
		for _, o := range append(changes, Output{Time: to, Value: 0}) {
			switch {
			case o.Value == 1 && on.IsZero():
				on = o.Time
			case o.Value == 0 && !on.IsZero():
				a, b := on, o.Time
				if a.Before(from) {
					a = from
				}
				if b.After(to) {
					b = to
				}
				sum += max(0, b.Sub(a))
				on = time.Time{}
			}
		}
		return sum
	}
	return env, lz, step, func() { cancel(); <-done }, lit
}

// TestLaserKeepsRealTimeWhenTheWallClockIsSetBack: a laser asked on for
// 5 s goes dark after 5 s of real time although the wall clock is set
// back half an hour meanwhile (its MaxOn is 20 s); and a laser asked for
// after the step, on the stepped clock, still lights for its 5 s.
func TestLaserKeepsRealTimeWhenTheWallClockIsSetBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env, lz, step, stop, _ := clockRig(t)
		defer stop()
		wallNow := func() time.Time { return time.Now().Add(time.Duration(step.Load())) }
		time.Sleep(100 * time.Millisecond)
		env.Switch(wallNow(), "laser", true, 5*time.Second)
		time.Sleep(time.Second)
		if !lz.State().On {
			t.Fatal("the laser should be lit")
		}
		step.Store(int64(-30 * time.Minute))
		time.Sleep(4500 * time.Millisecond) // virtual time under synctest
		steppedRecently(t, env)
		if lz.State().On {
			t.Fatal("the laser is still lit 5.5 s after a 5 s request: the wall clock was set back")
		}
		time.Sleep(20 * time.Second) // past the cooldown
		env.Switch(wallNow(), "laser", true, 5*time.Second)
		time.Sleep(time.Second)
		if !lz.State().On {
			t.Fatal("a request on the stepped clock should light the laser")
		}
		time.Sleep(4500 * time.Millisecond)
		if lz.State().On {
			t.Fatal("a 5 s request on the stepped clock lit the laser for over 5 s")
		}
		if n := env.Snapshot().Counts["clock_step"]; n != 1 {
			t.Errorf("clock_step counted %d times, want 1", n)
		}
	})
}

// TestLightBudgetKeepsRealTimeWhenTheWallClockIsSetForward: the light
// budget (20 s in every 40 s) holds in real time across a step forward of
// the wall clock, which the envelope follows only once the laser has been
// dark for longer than the budget's window.
func TestLightBudgetKeepsRealTimeWhenTheWallClockIsSetForward(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env, _, step, stop, lit := clockRig(t)
		defer stop()
		wallNow := func() time.Time { return time.Now().Add(time.Duration(step.Load())) }
		start := time.Now()
		time.Sleep(100 * time.Millisecond)
		env.Switch(wallNow(), "laser", true, 0) // its MaxOn, 20 s
		time.Sleep(19 * time.Second)
		step.Store(int64(time.Hour))
		time.Sleep(2 * time.Second) // the budget is spent
		steppedRecently(t, env)
		env.Switch(wallNow(), "laser", true, 0) // and asked for again, on the clock set forward
		time.Sleep(18 * time.Second)
		if got, most := lit(start, start.Add(40*time.Second)), 20*time.Second+env.Tick(); got > most {
			t.Fatalf("lit %v in the first 40 s of real time (budget 20 s in every 40 s): the step forward was followed", got)
		}
		env.Switch(wallNow(), "laser", false, 0)
		time.Sleep(45 * time.Second) // dark for longer than the window: the step is followed
		if got := env.Snapshot(); got.Counts["clock_step"] != 1 {
			t.Errorf("clock_step counted %d times, want 1", got.Counts["clock_step"])
		}
		if rep := env.Switch(wallNow(), "laser", true, time.Second); rep.Refused {
			t.Fatalf("after a real window of darkness: %+v", rep)
		}
	})
}

// TestRunClockCreep: a wall clock that strays a little at every reading
// (running slow, or set back in small steps) is a step as soon as it
// strays by more than a thousandth: it cannot drag the envelope's time
// along, however small each step.
func TestRunClockCreep(t *testing.T) {
	wall, real := t0, time.Duration(0)
	c := &runClock{read: func() (time.Time, time.Duration) { return wall, real }}
	c.now(false)
	var got time.Time
	for range 500 { // 10 s of real time, the wall clock at half speed
		wall, real = wall.Add(10*time.Millisecond), real+20*time.Millisecond
		got, _, _, _ = c.now(true)
	}
	if want := t0.Add(10 * time.Second); !got.Equal(want) {
		t.Fatalf("after 10 s of real time on a half-speed wall clock: %v, want %v", got.Sub(t0), want.Sub(t0))
	}
}

// laserCfg is a laser with a 20 s budget in every 40 s and a 10 s dead
// man.
func laserCfg() Config {
	return Config{Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: 20 * time.Second, Cooldown: 20 * time.Second}},
		DeadMan: 10 * time.Second}
}

// runLaser runs an envelope of cfg under synctest on the wall clock wall.
func runLaser(t *testing.T, cfg Config, wall func() time.Time) (*Envelope, *mock.Actuator, func()) {
	lz := mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
	env, err := NewAt(cfg, map[string]actuators.Actuator{"laser": lz}, wall())
	if err != nil {
		t.Fatal(err)
	}
	env.wall = wall
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- env.Run(ctx, nil) }()
	return env, lz, func() { cancel(); <-done }
}

// TestRequestInTheTickOfAStepForward: a chat request that reads the wall
// clock just after a step forward, before Run has seen it, neither wipes
// the cooldown, nor stays lit past what it asked for, nor holds off the
// dead man.
func TestRequestInTheTickOfAStepForward(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var step atomic.Int64
		wall := func() time.Time { return time.Now().Round(0).Add(time.Duration(step.Load())) }
		env, lz, stop := runLaser(t, laserCfg(), wall)
		defer stop()
		time.Sleep(110 * time.Millisecond) // mid-tick from here on
		for range 4 {                      // asked for again and again: lit its whole budget
			env.Switch(wall(), "laser", true, 0)
			time.Sleep(6 * time.Second)
		}
		step.Store(int64(time.Hour)) // 4 s into the cooldown, and a request in the same tick
		env.Switch(wall(), "laser", true, 5*time.Second)
		time.Sleep(time.Second)
		if lz.State().On {
			t.Fatal("relit 5 s into a 20 s cooldown")
		}
		time.Sleep(20 * time.Second) // past the cooldown
		env.Switch(wall(), "laser", true, 5*time.Second)
		time.Sleep(6 * time.Second)
		if lz.State().On {
			t.Fatal("lit 6 s after a 5 s request")
		}
		time.Sleep(40 * time.Second)
		if lz.State().On {
			t.Fatal("lit 46 s after the last request (dead man 10 s)")
		}
	})
}

// TestRestartAfterAStepBackKeepsTheLight: after a step back the
// envelope's time runs ahead of the wall clock, and so does its daily
// account's. A restart, on the wall clock, still counts the light of the
// last window: the laser stays dark through its cooldown.
func TestRestartAfterAStepBackKeepsTheLight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := laserCfg()
		cfg.DeadMan = 0
		cfg.StateFile = filepath.Join(t.TempDir(), "laser.json")
		cfg.Location = time.FixedZone("noon", 12*3600) // the step does not cross a date: the account keeps its day
		var step atomic.Int64
		wall := func() time.Time { return time.Now().Round(0).Add(time.Duration(step.Load())) }
		env, lz, stop := runLaser(t, cfg, wall)
		time.Sleep(110 * time.Millisecond)
		env.Switch(wall(), "laser", true, 0) // its whole budget, 20 s
		time.Sleep(2 * time.Second)
		step.Store(int64(-30 * time.Minute))
		time.Sleep(19 * time.Second)
		if lz.State().On {
			t.Fatal("lit past its budget")
		}
		stop() // a clean restart, 1 s into the 20 s cooldown
		env2, lz2, stop2 := runLaser(t, cfg, wall)
		defer stop2()
		time.Sleep(110 * time.Millisecond)
		env2.Switch(wall(), "laser", true, 0)
		time.Sleep(time.Second)
		if lz2.State().On {
			t.Fatal("relit 2 s into a 20 s cooldown after a restart")
		}
	})
}

// steppedRecently fails unless Run stepped within the last tick or two of
// real time: the service watchdog is fed from LastStep, and a wall clock
// set while the rig plays must not starve it (systemd would kill the
// process).
func steppedRecently(t *testing.T, env *Envelope) {
	t.Helper()
	if d, ok := env.SinceStep(); !ok || d < 0 || d > 2*env.Tick() {
		t.Errorf("the last step was %v ago in real time (%v): the watchdog would starve", d, ok)
	}
}
