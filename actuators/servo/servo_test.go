package servo

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
)

const us = time.Microsecond

func TestPulseTable(t *testing.T) {
	inv := Default
	inv.Invert = true
	trim := Default
	trim.Trim = 10
	asym := Calibration{PulseMin: 600 * us, PulseMax: 2300 * us, AngleMin: 0, AngleMax: 180}
	data := []struct {
		name string
		cal  Calibration
		deg  float64
		want time.Duration
	}{
		{"centre", Default, 0, 1500 * us},
		{"min", Default, -90, 500 * us},
		{"max", Default, 90, 2500 * us},
		{"quarter", Default, 45, 2000 * us},
		{"one degree", Default, 1, 1511111 * time.Nanosecond},
		{"inverted min", inv, -90, 2500 * us},
		{"inverted max", inv, 90, 500 * us},
		{"inverted centre", inv, 0, 1500 * us},
		{"trim centre", trim, 0, 1611111 * time.Nanosecond},
		{"trim low end", trim, -100, 500 * us},
		{"trim high end", trim, 80, 2500 * us},
		{"asymmetric", asym, 90, 1450 * us},
		{"asymmetric 0", asym, 0, 600 * us},
	}
	for i, d := range data {
		got, err := d.cal.Pulse(d.deg)
		if err != nil || got != d.want {
			t.Fatalf("#%d %s: Pulse(%g) = %v, %v; want %v", i, d.name, d.deg, got, err, d.want)
		}
	}
}

func TestPulseOutOfRange(t *testing.T) {
	trim := Default
	trim.Trim = 10
	data := []struct {
		cal Calibration
		deg float64
	}{
		{Default, 90.0000001}, {Default, -90.0000001}, {Default, 1e300}, {Default, -1e300},
		{Default, math.NaN()}, {Default, math.Inf(1)}, {Default, math.Inf(-1)},
		{trim, 81}, {trim, -100.5},
	}
	for i, d := range data {
		p, err := d.cal.Pulse(d.deg)
		if !errors.Is(err, actuators.ErrOutOfRange) || p != 0 {
			t.Fatalf("#%d: Pulse(%g) = %v, %v; want ErrOutOfRange", i, d.deg, p, err)
		}
	}
}

func TestValidate(t *testing.T) {
	data := []struct {
		cal  Calibration
		want string // substring of the error; "" means valid
	}{
		{Default, ""},
		{Calibration{PulseMin: 1000 * us, PulseMax: 2000 * us, AngleMin: -45, AngleMax: 45, Trim: -20}, ""},
		{Calibration{}, "pulse_min"},
		{Calibration{PulseMin: 1500, PulseMax: 2500, AngleMin: -90, AngleMax: 90}, "plausible"}, // ns, not µs
		{Calibration{PulseMin: 2 * time.Second, PulseMax: 3 * time.Second, AngleMin: -90, AngleMax: 90}, "plausible"},
		{Calibration{PulseMin: 2000 * us, PulseMax: 1000 * us, AngleMin: -90, AngleMax: 90}, "below pulse_max"},
		{Calibration{PulseMin: 1000 * us, PulseMax: 2000 * us, AngleMin: 90, AngleMax: -90}, "below angle_max"},
		{Calibration{PulseMin: 1000 * us, PulseMax: 2000 * us, AngleMin: 5, AngleMax: 5}, "below angle_max"},
		{Calibration{PulseMin: 1000 * us, PulseMax: 2000 * us, AngleMin: -360, AngleMax: 360}, "spans"},
		{Calibration{PulseMin: 1000 * us, PulseMax: 2000 * us, AngleMin: math.NaN(), AngleMax: 90}, "angle_min is NaN"},
		{Calibration{PulseMin: 1000 * us, PulseMax: 2000 * us, AngleMin: -90, AngleMax: math.Inf(1)}, "angle_max is +Inf"},
		{Calibration{PulseMin: 1000 * us, PulseMax: 2000 * us, AngleMin: -90, AngleMax: 90, Trim: 90}, "trim"},
		{Calibration{PulseMin: 1000 * us, PulseMax: 2000 * us, AngleMin: -90, AngleMax: 90, Trim: math.NaN()}, "trim is NaN"},
	}
	for i, d := range data {
		err := d.cal.Validate()
		if d.want == "" {
			if err != nil {
				t.Fatalf("#%d: Validate(%v) = %v", i, d.cal, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), d.want) {
			t.Fatalf("#%d: Validate(%+v) = %v; want %q", i, d.cal, err, d.want)
		}
		if _, perr := d.cal.Pulse(0); perr == nil {
			t.Fatalf("#%d: Pulse accepted an invalid calibration", i)
		}
	}
	// All problems are reported at once.
	err := Calibration{AngleMin: 1, AngleMax: 0}.Validate()
	if n := strings.Count(err.Error(), "\n") + 1; n < 3 {
		t.Fatalf("Validate reported %d problems, want >= 3: %v", n, err)
	}
}

func TestDecode(t *testing.T) {
	p, on, err := Default.Decode(actuators.Command{Action: actuators.ActionAngle, Value: 0})
	if p != 1500*us || !on || err != nil {
		t.Fatalf("angle 0: %v %v %v", p, on, err)
	}
	p, on, err = Default.Decode(actuators.Command{Action: actuators.ActionDetach})
	if p != 0 || on || err != nil {
		t.Fatalf("detach: %v %v %v", p, on, err)
	}
	if _, _, err = Default.Decode(actuators.Command{Action: actuators.ActionSwitch, Value: 1}); !errors.Is(err, actuators.ErrUnsupported) {
		t.Fatalf("switch: %v", err)
	}
	if _, on, err = Default.Decode(actuators.Command{Action: actuators.ActionAngle, Value: 100}); !errors.Is(err, actuators.ErrOutOfRange) || on {
		t.Fatalf("angle 100: %v %v", on, err)
	}
}

func TestJogRange(t *testing.T) {
	lo, hi := Default.JogRange()
	if lo != 500*us || hi != 2500*us {
		t.Fatalf("JogRange = %v %v", lo, hi)
	}
	wide := Calibration{PulseMin: 400 * us, PulseMax: 2600 * us, AngleMin: -100, AngleMax: 100}
	if lo, hi = wide.JogRange(); lo != 400*us || hi != 2600*us {
		t.Fatalf("JogRange = %v %v", lo, hi)
	}
	if err := Default.CheckJogPulse(2501 * us); !errors.Is(err, actuators.ErrOutOfRange) {
		t.Fatal(err)
	}
	if err := Default.CheckJogPulse(1500 * us); err != nil {
		t.Fatal(err)
	}
}

// randomCal returns a valid calibration.
func randomCal(r *rand.Rand) Calibration {
	pmin := MinPlausiblePulse + time.Duration(r.Int64N(int64(MaxPlausiblePulse-MinPlausiblePulse)))
	pmax := pmin + 1 + time.Duration(r.Int64N(int64(MaxPlausiblePulse-pmin)))
	amin := r.Float64()*400 - 200
	span := 1e-3 + r.Float64()*(MaxAngleSpan-1e-3)
	return Calibration{
		PulseMin: pmin, PulseMax: pmax,
		AngleMin: amin, AngleMax: amin + span,
		Invert: r.IntN(2) == 1,
		Trim:   (r.Float64()*2 - 1) * span * 0.49,
	}
}

// TestPulseProperties checks, over random calibrations and angles, that
// Pulse never leaves [PulseMin, PulseMax], refuses exactly the angles
// outside Range (no float leeway either way), is monotonic in the right
// direction, hits the ends exactly and round-trips through Angle.
func TestPulseProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 4000
	if testing.Short() {
		n = 1000
	}
	for i := 0; i < n; i++ {
		c := randomCal(r)
		if err := c.Validate(); err != nil {
			t.Fatalf("#%d: random calibration invalid: %v", i, err)
		}
		lo, hi := c.Range()
		checkRangeEnds(t, c) // ends exact, Range exactly what Pulse takes
		span := hi - lo
		for j := 0; j < 20; j++ {
			deg := lo - span + r.Float64()*3*span
			if j%5 == 0 {
				deg = []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e308, -1e308}[j/5%5]
			}
			p, err := c.Pulse(deg)
			in := deg >= lo && deg <= hi
			if err != nil {
				if !errors.Is(err, actuators.ErrOutOfRange) {
					t.Fatalf("#%d %v: Pulse(%g) error %v is not ErrOutOfRange", i, c, deg, err)
				}
				if in {
					t.Fatalf("#%d %v: Pulse(%g) refused an angle inside %g..%g: %v", i, c, deg, lo, hi, err)
				}
				continue
			}
			if p < c.PulseMin || p > c.PulseMax {
				t.Fatalf("#%d %v: Pulse(%g) = %v outside the calibration", i, c, deg, p)
			}
			if !in {
				t.Fatalf("#%d %v: Pulse(%g) accepted an angle outside %g..%g", i, c, deg, lo, hi)
			}
			back, err := c.Angle(p)
			tol := span/float64(c.PulseMax-c.PulseMin) + 1e-9*math.Abs(deg) + 1e-9
			if err != nil || math.Abs(back-deg) > tol {
				t.Fatalf("#%d %v: Angle(Pulse(%g)=%v) = %g, %v (tol %g)", i, c, deg, p, back, err, tol)
			}
		}
		// Monotonic over a sorted sweep.
		last := time.Duration(-1)
		for k := 0; k <= 50; k++ {
			deg := lo + span*float64(k)/50
			p, err := c.Pulse(min(deg, hi))
			if err != nil {
				t.Fatalf("#%d %v: Pulse(%g) refused an angle inside %g..%g: %v", i, c, deg, lo, hi, err)
			}
			if last >= 0 && ((!c.Invert && p < last) || (c.Invert && p > last)) {
				t.Fatalf("#%d %v: not monotonic at %g: %v after %v", i, c, deg, p, last)
			}
			last = p
		}
	}
}

// FuzzPulse: whatever the calibration and angle, an accepted angle gives a
// pulse inside the calibrated range, and a refusal is ErrOutOfRange or a
// calibration error.
func FuzzPulse(f *testing.F) {
	f.Add(int64(500000), int64(2500000), -90.0, 90.0, false, 0.0, 0.0)
	f.Add(int64(600000), int64(2300000), 0.0, 180.0, true, 3.0, 180.0)
	f.Add(int64(1000000), int64(2000000), -45.0, 45.0, false, -10.0, math.Inf(1))
	f.Fuzz(func(t *testing.T, pmin, pmax int64, amin, amax float64, inv bool, trim, deg float64) {
		c := Calibration{PulseMin: time.Duration(pmin), PulseMax: time.Duration(pmax), AngleMin: amin, AngleMax: amax, Invert: inv, Trim: trim}
		p, err := c.Pulse(deg)
		if c.Validate() != nil {
			if err == nil {
				t.Fatalf("%v: accepted with an invalid calibration", c)
			}
			return
		}
		if err != nil {
			if !errors.Is(err, actuators.ErrOutOfRange) {
				t.Fatalf("%v: Pulse(%g): %v", c, deg, err)
			}
			return
		}
		if p < c.PulseMin || p > c.PulseMax {
			t.Fatalf("%v: Pulse(%g) = %v", c, deg, p)
		}
	})
}

// BenchmarkPulse is the per-frame cost of mapping an angle (50 Hz × axes).
func BenchmarkPulse(b *testing.B) {
	c := Default
	c.Trim, c.Invert = 2.5, true
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := c.Pulse(float64(i%120) - 60); err != nil {
			b.Fatal(err)
		}
	}
}
