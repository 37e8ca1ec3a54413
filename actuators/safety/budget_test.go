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

func budgetRig(t *testing.T, state string, now time.Time) (*Envelope, *mock.Actuator) {
	t.Helper()
	lz := mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
	env, err := NewAt(Config{
		Switches:   []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}},
		DailyLaser: 10 * time.Second, StateFile: state, Location: time.UTC,
	}, map[string]actuators.Actuator{"laser": lz}, now)
	if err != nil {
		t.Fatal(err)
	}
	return env, lz
}

func runFor(env *Envelope, now time.Time, d time.Duration) time.Time {
	for end := now.Add(d); now.Before(end); now = now.Add(env.Tick()) {
		env.Step(context.Background(), now)
	}
	return now
}

// TestDailyBudgetSurvivesCrash uses 7 s of a 10 s budget, "crashes" (the
// envelope is dropped without any shutdown), restarts from the state file,
// and finds only what is left — then a new day brings the budget back.
func TestDailyBudgetSurvivesCrash(t *testing.T) {
	state := filepath.Join(t.TempDir(), "laser.json")
	now := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)
	env, _ := budgetRig(t, state, now)
	env.Switch(now, "laser", true, 0)
	now = runFor(env, now, 7*time.Second)
	// Crash: no Run defer, no SaveState. Only the periodic writes survive.

	env2, lz2 := budgetRig(t, state, now)
	used := env2.Snapshot().Session.LaserToday
	if used < 6*time.Second || used > 7*time.Second {
		t.Fatalf("after restart the day's laser time is %v, want 6–7 s (saved every second)", used)
	}
	env2.Switch(now, "laser", true, 0)
	start := now
	for lz2.State().On || now.Sub(start) < time.Second {
		now = runFor(env2, now, env2.Tick())
		if now.Sub(start) > 10*time.Second {
			t.Fatal("laser never stopped: the budget was reset by the restart")
		}
	}
	if lit := now.Sub(start); lit > 10*time.Second-used+env2.Tick() {
		t.Fatalf("lit %v after restart with %v already used of 10 s", lit, used)
	}
	rep := env2.Switch(now, "laser", true, 0)
	if !rep.Refused || rep.Reason != "daily_budget" || !rep.Until.Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("budget spent: %+v", rep)
	}
	if err := env2.SaveState(); err != nil {
		t.Fatal(err)
	}

	tomorrow := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	env3, _ := budgetRig(t, state, tomorrow)
	if rep := env3.Switch(tomorrow, "laser", true, 0); rep.Refused {
		t.Fatalf("a new day must bring a new budget: %+v", rep)
	}
}

func TestCorruptStateFileRefusesToStart(t *testing.T) {
	state := filepath.Join(t.TempDir(), "laser.json")
	os.WriteFile(state, []byte("{not json"), 0o600)
	_, err := NewAt(Config{Switches: []SwitchLimits{{Name: "laser", Laser: true, MaxOn: time.Minute}},
		DailyLaser: time.Minute, StateFile: state},
		map[string]actuators.Actuator{"laser": mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}, time.Now())
	if err == nil || !strings.Contains(err.Error(), "unreadable") {
		t.Fatalf("err = %v", err)
	}
}
