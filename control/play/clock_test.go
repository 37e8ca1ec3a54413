package play

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
)

// live drives a bench the way the envelope's Run does, inside a synctest
// bubble: the bubble's clock is the monotonic clock, and the wall clock is
// that plus offset, which a test changes to step it as NTP would.
type live struct {
	*bench
	offset time.Duration
	born   time.Time
}

func newLive(t *testing.T, pc Config) *live {
	t.Helper()
	return &live{bench: newBench(t, time.Now(), pc, nil), born: time.Now()}
}

func (lv *live) wall() time.Time { return time.Now().Add(lv.offset).Round(0) }

// real is the real time since the bench was built.
func (lv *live) real() time.Duration { return time.Since(lv.born) }

// tick is one turn of the motion loop, then a tick's wait.
func (lv *live) tick() {
	now := lv.wall()
	lv.play.Pre(now, now)
	lv.env.Step(context.Background(), now)
	time.Sleep(lv.env.Tick())
}

// until ticks until done says so or for at most d, and says whether done did.
func (lv *live) until(d time.Duration, done func() bool) bool {
	for end := lv.real() + d; lv.real() < end; lv.tick() {
		if done() {
			return true
		}
	}
	return done()
}

func (lv *live) phase() string { return lv.play.Snapshot().Session.Phase }

func TestSessionKeepsRealTimeWhenTheWallClockIsSetBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lv := newLive(t, Config{MaxPlay: 2 * time.Minute, Rest: time.Minute, Location: time.UTC,
			Autoplay: Autoplay{After: 5 * time.Second, Laser: true}})
		lv.until(time.Minute, func() bool { return false })
		if st := lv.play.Snapshot().Session; st.Phase != PhasePlay || !st.Autoplay {
			t.Fatalf("after a minute without chat: %+v, want autoplay", st)
		}
		lv.offset = -30 * time.Minute // NTP sets the clock back half an hour
		if !lv.until(20*time.Minute, func() bool { return lv.phase() == PhaseRest }) {
			t.Fatalf("autoplay played 20 minutes without a rest (max_play 2m) after the clock was set back")
		}
		// Autoplay began 5 s in, so the session ends 2 min 5 s in, real time.
		if got := lv.real(); got > 2*time.Minute+6*time.Second {
			t.Fatalf("the session ended %v in (max_play 2m, autoplay after 5s)", got)
		}
		if n := lv.play.Counts()["clock_step"]; n != 1 {
			t.Errorf("clock_step counted %d times, want 1", n)
		}
		rest := lv.real()
		lv.until(2*time.Minute, func() bool { return lv.phase() != PhaseRest })
		if got := lv.real() - rest; got < time.Minute || got > time.Minute+time.Second {
			t.Fatalf("rested %v, want the 1 min rest", got)
		}
	})
}

func TestRestKeepsRealTimeWhenTheWallClockIsSetForward(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lv := newLive(t, Config{MaxPlay: 2 * time.Minute, Rest: 10 * time.Minute, Location: time.UTC,
			Autoplay: Autoplay{After: 5 * time.Second, Laser: true}})
		if !lv.until(3*time.Minute, func() bool { return lv.phase() == PhaseRest }) {
			t.Fatal("no rest after 3 minutes (max_play 2m)")
		}
		rest := lv.real()
		lv.until(5*time.Second, func() bool { return false })
		lv.offset = 15 * time.Minute // NTP sets the clock forward
		lv.tick()
		st := lv.play.Snapshot().Session
		if st.Phase != PhaseRest {
			t.Fatalf("the rest ended when the clock jumped 15 min forward, 5 s into a 10 min rest")
		}
		// The status page says when the rest ends on the wall clock it shows.
		if left := st.Until.Sub(lv.wall()); left < 9*time.Minute || left > 10*time.Minute {
			t.Errorf("the rest ends in %v on the wall clock, want about 9m55s", left)
		}
		if r := lv.play.MoveTo(lv.wall(), "pan", 10); r.Reason != actuators.ReasonCatResting {
			t.Errorf("chat during the rest: %v, want cat_resting", r)
		}
		lv.until(15*time.Minute, func() bool { return lv.phase() != PhaseRest })
		if got := lv.real() - rest; got < 10*time.Minute || got > 10*time.Minute+time.Second {
			t.Fatalf("rested %v of real time, want the 10 min rest", got)
		}
	})
}

// A clock set forward does not hand autoplay the chat's turn: the idle
// time before autoplay is real time too.
func TestAutoplayWaitsRealTimeWhenTheWallClockIsSetForward(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lv := newLive(t, Config{Location: time.UTC, Autoplay: Autoplay{After: 30 * time.Second, Laser: true}})
		lv.tick()
		lv.play.MoveTo(lv.wall(), "pan", 10)
		lv.tick()
		lv.offset = time.Hour
		lv.until(20*time.Second, func() bool { return false })
		if lv.play.Snapshot().Session.Autoplay {
			t.Fatal("autoplay took over 20 s after a chat command (after: 30s) because the clock jumped")
		}
		if !lv.until(15*time.Second, func() bool { return lv.play.Snapshot().Session.Autoplay }) {
			t.Fatal("autoplay never started")
		}
	})
}

// On a virtual clock (replay) time never runs back: a reading from the
// past counts as one tick. A jump forward is time that passed: a replay
// jumps over a long silence, and a rest ends in it.
func TestVirtualClockReadingsFromThePastCountAsATick(t *testing.T) {
	b := newBench(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
		Config{MaxPlay: 2 * time.Minute, Rest: time.Minute, Location: time.UTC,
			Autoplay: Autoplay{After: 5 * time.Second, Laser: true}}, nil)
	b.step(60 * 50)
	b.now = b.now.Add(-30 * time.Minute)
	ticks := 60 * 50
	for ; ticks < 20*60*50 && b.play.Snapshot().Session.Phase != PhaseRest; ticks++ {
		b.step(1)
	}
	if played := time.Duration(ticks) * b.env.Tick(); played > 2*time.Minute+6*time.Second {
		t.Fatalf("autoplay played %v (max_play 2m) across a step back", played)
	}
	b.now = b.now.Add(2 * time.Hour) // a replay's jump over a silence
	b.step(1)
	if ph := b.play.Snapshot().Session.Phase; ph != PhasePlay {
		t.Fatalf("phase %q after two hours of silence, want play", ph)
	}
}

func TestQuietHoursHoldUntilTheClockIsSynchronised(t *testing.T) {
	synced, asked := false, 0
	b := newBench(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), // fake-hwclock's guess: noon
		Config{QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour, Location: time.UTC,
			ClockSynced: func() bool { asked++; return synced },
			Autoplay:    Autoplay{After: 5 * time.Second, Laser: true}}, nil)
	b.step(10 * 50)
	st := b.play.Snapshot()
	if st.Session.Phase != PhaseQuiet || !st.Session.Until.IsZero() || st.Session.Autoplay {
		t.Fatalf("clock not synchronised: session %+v, want quiet with no end and no autoplay", st.Session)
	}
	if r := b.play.Switch(b.now, "laser", true, 0); r.Reason != actuators.ReasonQuietHours || !r.Until.IsZero() {
		t.Fatalf("laser request with the clock not synchronised: %+v, want quiet_hours with no end", r)
	}
	if n := total(b.outs); n != 0 {
		t.Fatalf("the laser lit %d times before the clock was synchronised", n)
	}
	if c := b.play.Counts(); c["clock_unsynced"] != 1 || c["quiet_hours"] != 1 {
		t.Errorf("counts %v, want clock_unsynced 1 and quiet_hours 1", c)
	}
	if asked > 11 {
		t.Errorf("ClockSynced asked %d times in 10 s, want once a second", asked)
	}
	synced = true
	b.step(50)
	if r := b.play.MoveTo(b.now, "pan", 10); r.Refused {
		t.Fatalf("chat once the clock is synchronised (noon, quiet 23:00-08:00): %v", r)
	}
	synced = false // NTP out of reach for a while: the clock stays right
	b.step(10 * 50)
	if st := b.play.Snapshot().Session; st.Phase == PhaseQuiet || !st.Autoplay {
		t.Fatalf("a synchronised clock that loses NTP: %+v, want autoplay at noon", st)
	}
}

// Without quiet hours, the clock's trouble changes nothing, and nobody asks.
func TestAnUnsynchronisedClockWithoutQuietHoursPlays(t *testing.T) {
	asked := 0
	b := newBench(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
		Config{Location: time.UTC, ClockSynced: func() bool { asked++; return false }}, nil)
	b.step(50)
	if r := b.play.Switch(b.now, "laser", true, 0); r.Refused {
		t.Fatalf("laser without quiet hours: %v", r)
	}
	b.step(50)
	if asked != 0 || total(b.outs) == 0 {
		t.Fatalf("asked %d times, laser lit %d times", asked, total(b.outs))
	}
}

// A replay's clock may jump by centuries (a hand-edited recording), back
// too: the layer's arithmetic saturates instead of wrapping round, and
// play goes on.
func TestVirtualClockJumpsByCenturies(t *testing.T) {
	b := newBench(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
		Config{MaxPlay: 10 * time.Minute, Rest: time.Minute, Location: time.UTC,
			Autoplay: Autoplay{After: 5 * time.Second}}, nil)
	for _, to := range []time.Time{time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)} {
		b.play.MoveTo(b.now, "pan", 10)
		b.step(50)
		b.now = to
		b.step(60 * 50)
		if st := b.play.Snapshot().Session; st.Phase != PhasePlay || !st.Autoplay {
			t.Fatalf("a minute after a jump to %v: %+v, want autoplay", to, st)
		}
		if r := b.play.MoveTo(b.now, "pan", -10); r.Refused {
			t.Fatalf("after a jump to %v: %v", to, r)
		}
	}
}
