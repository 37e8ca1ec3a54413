package play

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
)

// clockRun runs a bench as cattease does: the envelope's Run, the play
// layer's Pre before each Step, inside a synctest bubble whose clock is
// real time. The wall clock Run reads is real time plus offset, which a
// test steps as NTP would; synced is what Config.ClockSynced says. Every
// output goes to the independent monitor, wall-clock readings included.
type clockRun struct {
	*bench
	offset atomic.Int64
	synced atomic.Bool
	born   time.Time

	mu   sync.Mutex
	mon  *monitor.Monitor
	outs []stamped // every output, at the real time it was sent
	last time.Time // the last output's time, to end the monitor's stream
	stop func()
}

type stamped struct {
	safety.Output
	real time.Duration // since the rig was built
}

// runOnWallClock starts a bench whose wall clock reads boot ahead of real
// time; it stops when the test ends.
func runOnWallClock(t *testing.T, boot time.Duration, pc Config, mod func(*safety.Config)) *clockRun {
	t.Helper()
	cr := &clockRun{born: time.Now()}
	cr.offset.Store(int64(boot))
	pc.ClockSynced = cr.synced.Load
	var lim monitor.Limits
	cr.bench = newBench(t, cr.wall(), pc, func(c *safety.Config) {
		if mod != nil {
			mod(c)
		}
		c.Wall, c.OnOutput = cr.wall, cr.output
		lim = limitsFor(*c, pc)
	})
	cr.mon = monitor.New(lim)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := cr.env.Run(ctx, cr.play.Pre); err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
	}()
	var once sync.Once
	cr.stop = func() {
		once.Do(func() {
			cancel()
			<-done
			cr.mu.Lock()
			cr.mon.End(cr.last)
			cr.mu.Unlock()
		})
	}
	t.Cleanup(cr.stop)
	return cr
}

func (cr *clockRun) wall() time.Time { return time.Now().Add(time.Duration(cr.offset.Load())).Round(0) }

func (cr *clockRun) real() time.Duration { return time.Since(cr.born) }

func (cr *clockRun) output(o safety.Output) {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	cr.outs = append(cr.outs, stamped{o, cr.real()})
	cr.last = o.Time
	action := string(o.Action)
	if o.Action == actuators.ActionAngle {
		action = "move"
	}
	cr.mon.Output(monitor.Event{Time: o.Time, Wall: o.Wall, WallBefore: o.WallBefore, Exit: o.Exit, Failed: o.Err != nil,
		Target: o.Target, Action: action, Value: o.Value})
}

// played lists the angles sent and the laser lit between real times from
// and to (since the rig was built).
func (cr *clockRun) played(from, to time.Duration) (angles, lit int) {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	for _, o := range cr.outs {
		if o.real < from || o.real >= to {
			continue
		}
		switch {
		case o.Action == actuators.ActionAngle:
			angles++
		case o.Target == "laser" && o.Value == 1:
			lit++
		}
	}
	return angles, lit
}

func (cr *clockRun) violations(t *testing.T) {
	t.Helper()
	cr.stop()
	cr.mu.Lock()
	defer cr.mu.Unlock()
	for _, v := range cr.mon.Violations() {
		t.Errorf("monitor: %v", v)
	}
}

// limitsFor tells the monitor the bench's limits, in its own terms.
func limitsFor(c safety.Config, pc Config) monitor.Limits {
	l := monitor.Limits{Ceiling: c.Ceiling, KeepOutMargin: c.ZoneMargin, DwellCap: c.DwellCap, DwellRadius: c.DwellRadius,
		DailyLaser: c.DailyLaser, Location: pc.Location,
		Sessions: monitor.SessionLimits{MaxPlay: pc.MaxPlay, Rest: pc.Rest, QuietFrom: pc.QuietFrom, QuietTo: pc.QuietTo}}
	for _, a := range c.Axes {
		l.Axes = append(l.Axes, monitor.AxisLimits{Name: a.Name, Role: a.Name, Min: a.Min, Max: a.Max, Home: a.Home,
			Speed: a.Speed, Accel: a.Accel, DutyMax: a.DutyMax, DutyWindow: a.DutyWindow})
	}
	for _, s := range c.Switches {
		l.Switches = append(l.Switches, monitor.SwitchLimits{Name: s.Name, Laser: s.Laser, MaxOn: s.MaxOn, Cooldown: s.Cooldown})
	}
	return l
}

// A wand boots at 00:00, in quiet hours (23:00-08:00), with fake-hwclock's
// 15:00; 20 s in, NTP sets the clock and says it is synchronised. The
// envelope's time follows the step only once the rig has been still for
// its duty window (60 s), and would never if autoplay kept it moving:
// quiet hours are read on the wall clock, so nothing moves all night.
func TestQuietHoursFollowTheWallClockNotTheEnvelopes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cr := runOnWallClock(t, -9*time.Hour, Config{MaxPlay: 8 * time.Minute, Rest: 15 * time.Minute,
			QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour, Location: time.UTC,
			Autoplay: Autoplay{After: 45 * time.Second, Patterns: PreyPatterns}},
			func(c *safety.Config) {
				for i := range c.Axes {
					c.Axes[i].DutyMax, c.Axes[i].DutyWindow = 40*time.Second, 60*time.Second
				}
				c.DeadMan = 60 * time.Second
			})
		time.Sleep(20 * time.Second)
		cr.offset.Store(0) // NTP: 00:00:20
		cr.synced.Store(true)
		time.Sleep(5 * time.Minute)
		if a, l := cr.played(time.Millisecond, time.Hour); a+l > 0 {
			t.Errorf("the rig moved %d times and lit %d times in quiet hours after the clock was set", a, l)
		}
		st := cr.play.Snapshot().Session
		if want := time.Date(2000, 1, 1, 8, 0, 0, 0, time.UTC); st.Phase != PhaseQuiet || !st.Until.Equal(want) {
			t.Errorf("session %+v at 00:05, want quiet until %v", st, want)
		}
		cr.violations(t)
		t.Logf("%d outputs, counts %v", len(cr.outs), cr.play.Counts())
	})
}

// A laser rig boots at 07:58 with its clock eight hours ahead (a real-time
// clock kept in local time); 20 s in, NTP sets it back and says it is
// synchronised. The envelope's time never follows a step back: it stays
// eight hours ahead, on the afternoon, all day. Quiet hours still end at
// 08:00 by the wall clock, not earlier, not never; and the times chat is
// told are on the wall clock.
func TestQuietHoursAfterTheClockIsSetBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		loc := time.FixedZone("UTC+07:58", (7*60+58)*60) // the bubble's 00:00 UTC is 07:58 there
		cr := runOnWallClock(t, 8*time.Hour, Config{MaxPlay: time.Minute, Rest: 2 * time.Minute,
			QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour, Location: loc,
			Autoplay: Autoplay{After: 45 * time.Second, Laser: true}}, nil)
		time.Sleep(20 * time.Second)
		cr.offset.Store(0)
		cr.synced.Store(true)
		time.Sleep(20 * time.Second)
		eight := time.Date(2000, 1, 1, 8, 0, 0, 0, loc)
		if r, until := cr.play.Refusal(cr.wall()); r != actuators.ReasonQuietHours || !until.Equal(eight) {
			t.Errorf("at 07:58:40: %q until %v, want quiet_hours until %v", r, until, eight)
		}
		time.Sleep(eight.Sub(cr.wall()) + 45*time.Second)
		if a, l := cr.played(time.Millisecond, 2*time.Minute); a+l > 0 {
			t.Errorf("the rig moved %d times and lit %d times before 08:00", a, l)
		}
		if a, l := cr.played(2*time.Minute, time.Hour); a == 0 || l == 0 {
			t.Errorf("after 08:00, autoplay moved %d times and lit %d times: want play", a, l)
		}
		// Autoplay plays its minute, then the cat rests two.
		time.Sleep(time.Minute)
		r, until := cr.play.Refusal(cr.wall())
		if left := until.Sub(cr.wall()); r != actuators.ReasonCatResting || left < time.Minute || left > 2*time.Minute {
			t.Errorf("after a minute of play: %q until %v (in %v), want cat_resting for up to 2m", r, until, left)
		}
		if st := cr.play.Snapshot().Session; !st.Until.Equal(until) {
			t.Errorf("the overlay's rest ends at %v, chat is told %v", st.Until, until)
		}
		cr.violations(t)
	})
}

// The tick at which the clock is first said to be synchronised read the
// wall clock before the answer, maybe before the step that came with it:
// it is held still, and the next tick's reading decides.
func TestTheTickOfTheFirstSyncIsHeld(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var stepped, synced bool
		boot := 15 * time.Hour // the bubble's 00:00 is fake-hwclock's 15:00
		lv := &live{bench: newBench(t, time.Now().Add(boot), Config{QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour,
			Location: time.UTC, Autoplay: Autoplay{After: time.Second, Laser: true},
			ClockSynced: func() bool {
				if synced {
					stepped = true // NTP set the clock, then said so: after this tick's reading
				}
				return synced
			}}, nil), born: time.Now(), offset: boot}
		tick := func() {
			if stepped {
				lv.offset = 0
			}
			now := lv.wall()
			lv.play.Pre(now, now)
			lv.env.Step(context.Background(), now)
			time.Sleep(lv.env.Tick())
		}
		for lv.real() < 5*time.Second {
			tick()
		}
		synced = true
		for lv.real() < 10*time.Second {
			tick()
		}
		if !stepped {
			t.Fatal("the clock was never asked")
		}
		for _, o := range lv.outs {
			if o.Time.Equal(lv.outs[0].Time) {
				continue // the homing
			}
			if o.Action == actuators.ActionAngle || o.Target == "laser" && o.Value == 1 {
				t.Fatalf("%s %v at %v, in quiet hours", o.Target, o.Value, o.Time.Format("15:04:05.000"))
			}
		}
		if ph := lv.phase(); ph != PhaseQuiet {
			t.Fatalf("phase %q at 00:00:10, want quiet", ph)
		}
	})
}
