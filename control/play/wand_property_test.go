package play_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/play"
)

// newWandScenario draws a random feather-wand rig that `check` would
// accept: no laser, every axis with an acceleration limit, a duty limit
// and a short release, prey patterns, sessions that end in a finale.
func newWandScenario(seed uint64) scenario {
	r := rand.New(rand.NewPCG(seed, 0x3a4d))
	sc := scenario{seed: seed, ticks: 300 + r.IntN(1500)}
	pa := between(r, 20, 70)
	lmax := between(r, 15, 50)
	axis := func(name string, lo, hi, home float64) safety.AxisLimits {
		a := safety.AxisLimits{Name: name, Min: lo, Max: hi, Home: home, Speed: between(r, 40, 300),
			Accel: between(r, 200, 1500), DetachAfter: dur(r, 100*time.Millisecond, time.Second)}
		park := (hi-lo)/a.Speed + 2*a.Speed/a.Accel + 0.08
		a.DutyMax = time.Duration((2*park + 1 + between(r, 0, 10)) * float64(time.Second))
		a.DutyWindow = a.DutyMax + dur(r, time.Second, 40*time.Second)
		return a
	}
	pan := axis("pan", -pa, pa, 0)
	tilt := axis("tilt", 0, lmax, between(r, 0, lmax))
	sc.env = safety.Config{Axes: []safety.AxisLimits{pan, tilt}, PanAxis: "pan", TiltAxis: "tilt",
		DeadMan: dur(r, 3*time.Second, 30*time.Second)}
	if r.IntN(2) == 0 { // a single-servo wand: no lift
		sc.env.Axes, sc.env.TiltAxis = sc.env.Axes[:1], ""
	}
	if r.IntN(3) == 0 {
		sc.env.Switches = append(sc.env.Switches, safety.SwitchLimits{Name: "treat", MaxOn: 500 * time.Millisecond, Cooldown: dur(r, 0, 5*time.Second)})
		sc.play.Treat, sc.play.TreatFor, sc.play.TreatsPerDay = "treat", dur(r, 100*time.Millisecond, 500*time.Millisecond), 1+r.IntN(3)
	}
	if r.IntN(4) > 0 {
		k := 1 + r.IntN(len(play.PreyPatterns))
		pats := append([]string(nil), play.PreyPatterns...)
		r.Shuffle(len(pats), func(i, j int) { pats[i], pats[j] = pats[j], pats[i] })
		sc.play.Autoplay = play.Autoplay{After: dur(r, time.Second, sc.env.DeadMan-time.Second/2), Patterns: pats[:k], Seed: seed | 1}
	}
	if r.IntN(3) > 0 {
		sc.play.MaxPlay, sc.play.Rest = dur(r, 5*time.Second, 40*time.Second), dur(r, 2*time.Second, 10*time.Second)
		sc.play.Finish = time.Duration(float64(sc.play.MaxPlay) * between(r, 0, 0.4))
		if r.IntN(2) == 0 {
			pt := [2]float64{between(r, -pa, pa), between(r, 0, lmax/3)}
			sc.play.Park = &pt
		}
	}
	sc.env.Location, sc.play.Location = time.UTC, time.UTC
	sc.start = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC).Add(dur(r, 0, 24*time.Hour))
	if r.IntN(4) == 0 {
		lt := sc.start
		edge := time.Duration(lt.Hour())*time.Hour + time.Duration(lt.Minute()+1)*time.Minute
		sc.play.QuietFrom, sc.play.QuietTo = edge, (edge+2*time.Hour)%(24*time.Hour)
	}
	sc.lim = limitsOf(sc)
	return sc
}

// TestWandScenariosKeepEveryInvariant runs random wand rigs through the
// play layer (chat, prey autoplay, finales) and the envelope, every output
// checked by the independent monitor: range, speed, acceleration, duty,
// sessions and quiet hours.
func TestWandScenariosKeepEveryInvariant(t *testing.T) {
	n := uint64(5_000)
	if raceEnabled || testing.Short() {
		n = 300
	}
	seen := map[string]uint64{}
	failed := 0
	forSeeds(n, func(seed uint64) outcome { return runScenario(t, newWandScenario(seed)) }, func(seed uint64, o outcome) {
		for k, v := range o.counts {
			seen[k] += v
		}
		if o.count > 0 && failed < 10 {
			failed++
			t.Errorf("seed %d: %d violation(s), first: %v", seed, o.count, o.violations[0])
		}
	})
	for _, k := range []string{"clamped", "duty_rest", "resting", "dead_man", "cat_resting", "finale", "quiet_hours", "stopped", "autoplay"} {
		if seen[k] == 0 {
			t.Errorf("no wand scenario exercised %q: %v", k, seen)
		}
	}
	if seen["duty_hold"] > 0 {
		t.Errorf("an axis ran out of duty budget while it had to move (duty_hold %d): the reserve is too small", seen["duty_hold"])
	}
	t.Logf("%d wand scenarios; %v", n, seen)
}

// TestPreyPatternsReplay: the same seed plays the same prey; freezes vary
// in length.
func TestPreyPatternsReplay(t *testing.T) {
	plan := func(seed uint64) []time.Duration {
		var out []time.Duration
		r := rand.New(rand.NewPCG(seed, 1))
		for _, name := range play.PreyPatterns {
			w, ok := play.PreyPlan(name, r)
			if !ok || len(w) == 0 {
				t.Fatalf("%s: no plan", name)
			}
			out = append(out, w...)
		}
		return out
	}
	a, b := plan(7), plan(7)
	if len(a) != len(b) {
		t.Fatal("different plans from one seed")
	}
	lo, hi := time.Duration(math.MaxInt64), time.Duration(0)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("hold %d: %v vs %v", i, a[i], b[i])
		}
		lo, hi = min(lo, a[i]), max(hi, a[i])
	}
	if hi < 4*lo {
		t.Errorf("holds between %v and %v: a prey's freezes should vary", lo, hi)
	}
}
