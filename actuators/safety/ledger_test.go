package safety

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
)

// ledgerRig is a laser rig with a daily budget kept in path, started at at.
func ledgerRig(t *testing.T, path string, at time.Time, budget time.Duration) *rig {
	t.Helper()
	r := &rig{t: t, now: at,
		pan: mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
		lz:  mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}
	env, err := NewAt(Config{
		Axes:       []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90}},
		Switches:   []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Hour}},
		DailyLaser: budget, StateFile: path, Location: time.UTC,
		OnOutput: func(o Output) { r.outs = append(r.outs, o) },
	}, map[string]actuators.Actuator{"pan": r.pan, "laser": r.lz}, at)
	if err != nil {
		t.Fatal(err)
	}
	r.env = env
	r.step(1)
	r.pastHold() // the servo surely home: the laser may light
	return r
}

// wiggle keeps the laser asked for and the dot moving, for n ticks.
func (r *rig) wiggle(n int) {
	for i := range n {
		if i%25 == 0 {
			r.env.Switch(r.now, "laser", true, 0)
			r.env.MoveTo(r.now, "pan", float64(10*((i/25)%2)))
		}
		r.step(1)
	}
}

func TestCrashLoopStaysWithinTheDailyBudget(t *testing.T) {
	// Four sub-second runs in a crash loop never wrote the ledger: 3.4 s
	// lit against a 2 s budget. Now light is leased before it is emitted:
	// a crash wastes at most the unspent lease, never grants light twice.
	path := filepath.Join(t.TempDir(), "state.json")
	at := t0
	var lit time.Duration
	for run := range 12 {
		r := ledgerRig(t, path, at, 10*time.Second)
		r.wiggle(20 + run*37) // killed at a different moment each time, lit
		lit += total(litIntervals(r.outs, r.now))
		at = r.now.Add(time.Second) // no SaveState, no Halt: a SIGKILL
	}
	if lit > 10*time.Second {
		t.Fatalf("lit %v across crashes against a 10 s budget", lit)
	}
	if lit < 3*time.Second {
		t.Fatalf("lit only %v: the test exercises nothing", lit)
	}
}

func TestCleanExitGivesTheLeaseBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	r := ledgerRig(t, path, t0, time.Minute)
	r.wiggle(50)
	r.env.Switch(r.now, "laser", false, 0)
	r.step(1)
	if err := r.env.SaveState(); err != nil {
		t.Fatal(err)
	}
	lit := total(litIntervals(r.outs, r.now))
	r2 := ledgerRig(t, path, r.now, time.Minute)
	if got := r2.env.Snapshot().Session.LaserToday; got != lit {
		t.Fatalf("after a clean exit the account is %v, lit %v", got, lit)
	}
}

func TestUnusableLedgerRefusesTheLaserButNotTheServos(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o600)
	cases := map[string]string{
		"empty_object":   `{}`,
		"null":           `null`,
		"no_day":         `{"laser_ns": 0}`,
		"garbage":        `{"day": `,
		"negative":       `{"day":"2026-11-22","laser_ns":-5}`,
		"tomorrow":       `{"day":"2026-11-23","laser_ns":0}`, // the clock went back
		"unwritable":     "",                                  // under a regular file: no directory to write in
		"day_after_next": `{"day":"2027-01-01","laser_ns":99}`,
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".json")
			if name == "unwritable" {
				path = filepath.Join(file, "state.json")
			} else {
				os.WriteFile(path, []byte(content), 0o600)
			}
			r := ledgerRig(t, path, t0, time.Hour)
			rep := r.env.Switch(r.now, "laser", true, 0)
			r.step(10)
			if r.lz.State().On {
				t.Fatal("the laser lit with an unusable ledger")
			}
			st := r.env.Snapshot()
			if st.Ledger == "" {
				t.Fatal("the snapshot does not say what is wrong with the ledger")
			}
			if !rep.Refused && st.Switches[0].Reason != actuators.ReasonLedger {
				t.Fatalf("no ledger reason: %+v %+v", rep, st.Switches[0])
			}
			r.env.MoveTo(r.now, "pan", 20)
			r.step(50)
			if r.pan.State().Angle != 20 {
				t.Fatal("servos must still work")
			}
		})
	}
}

func TestYesterdaysLedgerStartsAFreshDayOnlyOnASyncedClock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(path, []byte(`{"day":"2026-11-21","laser_ns":3600000000000}`), 0o600)
	synced := false
	r := &rig{t: t, now: t0, pan: mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
		lz: mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}
	env, err := NewAt(Config{Axes: []AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 90}},
		Switches:   []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Hour}},
		DailyLaser: time.Hour, StateFile: path, Location: time.UTC, ClockSynced: func() bool { return synced }},
		map[string]actuators.Actuator{"pan": r.pan, "laser": r.lz}, t0)
	if err != nil {
		t.Fatal(err)
	}
	r.env = env
	r.step(1)
	r.pastHold()
	if rep := env.Switch(r.now, "laser", true, 0); rep.Reason != actuators.ReasonDailyBudget {
		t.Fatalf("an unsynchronized clock must not start a new day: %+v", rep)
	}
	synced = true
	r.step(1)
	env.Switch(r.now, "laser", true, 0)
	r.step(5)
	if !r.lz.State().On {
		t.Fatalf("a synchronized clock starts the new day: %+v", env.Snapshot().Switches[0])
	}
}

func TestDiskGoneWhileLitDarkensAndCounts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	os.Mkdir(dir, 0o700)
	r := ledgerRig(t, filepath.Join(dir, "state.json"), t0, time.Hour)
	r.wiggle(50)
	if !r.lz.State().On {
		t.Fatal("laser should be lit")
	}
	os.RemoveAll(dir) // every write fails from now on
	r.wiggle(200)
	if r.lz.State().On {
		t.Fatal("the laser stays lit past its lease while the ledger cannot be written")
	}
	st := r.env.Snapshot()
	if st.Counts["ledger_write_error"] == 0 || !strings.Contains(st.Ledger, "no such file") {
		t.Fatalf("write failures must be counted and shown: %v %q", st.Counts, st.Ledger)
	}
	if err := r.env.SaveState(); err == nil {
		t.Fatal("SaveState must report the failure")
	}
	os.Mkdir(dir, 0o700) // space is back: the laser may light again
	r.wiggle(100)
	if !r.lz.State().On {
		t.Fatal("once the ledger can be written the laser lights again")
	}
}

func TestLedgerWriteHappensOutsideTheLock(t *testing.T) {
	// Run's writer goroutine does the fsync; Step only hands it the job.
	path := filepath.Join(t.TempDir(), "state.json")
	r := ledgerRig(t, path, t0, time.Hour)
	r.env.writer.setRunning(true)
	r.wiggle(10)
	if f := r.env.writer.take(); f == nil {
		t.Fatal("Step should have handed a lease write to the writer")
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("Step wrote the ledger itself while a writer runs")
	}
	_ = context.Background
}

// TestATickAcrossMidnightIsNotLit: a lit tick is charged to the day it
// starts in, so a tick lit across midnight gave the new day up to a tick
// more than its budget (the monitor counted 4–10 ms over). The laser is
// dark for that tick instead.
func TestATickAcrossMidnightIsNotLit(t *testing.T) {
	midnight := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	r := ledgerRig(t, "", midnight.Add(-500*time.Millisecond+10*time.Millisecond), time.Second)
	r.wiggle(150) // 3 s asked for, lit through midnight
	var after time.Duration
	for _, iv := range litIntervals(r.outs, r.now) {
		from := iv[0]
		if from.Before(midnight) {
			from = midnight
		}
		if iv[1].After(from) {
			after += iv[1].Sub(from)
		}
	}
	if after > time.Second {
		t.Fatalf("lit %v on the new day against a 1 s budget", after)
	}
	if after < time.Second-r.env.ahead() { // the last tick lit is decided to last until the next, however late
		t.Fatalf("lit only %v on the new day: its budget went unused", after)
	}
}
