package servo

import (
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
)

// decimal is x as a streamer writes it in rules.yaml: two decimals, parsed
// back to a float.
func decimal(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
	return v
}

// TestPulseAcceptsRange: `check` accepts axis limits [min, max] inside
// Range (min ≥ lo, max ≤ hi), so every angle in Range must map to a pulse.
// Pulse once compared deg+Trim with AngleMin/AngleMax instead, which
// disagrees with Range by float rounding: with angle ±60°, trim −19.9° and
// max 79.9°, check passed and every move to the limit was a driver fault.
// The sweep covers typical angle ranges and trims in steps of 0.01° and the
// limits written at (or just inside) the ends of Range.
func TestPulseAcceptsRange(t *testing.T) {
	for _, half := range []float64{45, 60, 90, 100, 120, 135} {
		for _, inv := range []bool{false, true} {
			for k := -4000; k <= 4000; k++ {
				c := Calibration{PulseMin: 500 * time.Microsecond, PulseMax: 2500 * time.Microsecond,
					AngleMin: -half, AngleMax: half, Invert: inv, Trim: decimal(float64(k) / 200)}
				if c.Validate() != nil {
					continue
				}
				checkRangeEnds(t, c)
			}
		}
	}
}

// TestRangeEndsRandom: the same over calibrations whose ends are drawn
// independently (AngleMin+(AngleMax−AngleMin) then often differs from
// AngleMax in the last bit, which once put Angle's report of a pulse end
// just outside Range, so Pulse refused it).
func TestRangeEndsRandom(t *testing.T) {
	checkRangeEnds(t, Calibration{PulseMin: 500 * time.Microsecond, PulseMax: 2500 * time.Microsecond,
		AngleMin: -48.26292644068491, AngleMax: 35.431580483770794, Trim: 11.047845862891752})
	r := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		c := Calibration{PulseMin: 500 * time.Microsecond, PulseMax: 2500 * time.Microsecond,
			AngleMin: -r.Float64() * 180, AngleMax: r.Float64() * 180, Invert: r.IntN(2) == 1}
		c.Trim = (r.Float64()*2 - 1) * (c.AngleMax - c.AngleMin) * 0.49
		if c.Validate() == nil {
			checkRangeEnds(t, c)
		}
	}
}

// checkRangeEnds checks that Pulse takes exactly Range: its ends (and the
// decimal limits a config may write inside it) map onto the pulse ends,
// the next float outside is refused, and a pulse end reported by Angle is
// accepted back.
func checkRangeEnds(t *testing.T, c Calibration) {
	t.Helper()
	lo, hi := c.Range()
	atLo, atHi := c.PulseMin, c.PulseMax
	if c.Invert {
		atLo, atHi = atHi, atLo
	}
	for _, d := range []struct {
		deg  float64
		want time.Duration // -1: anywhere in the calibration
	}{{lo, atLo}, {hi, atHi}, {decimal(lo), -1}, {decimal(hi), -1}} {
		if d.deg < lo || d.deg > hi {
			continue // a decimal that rounded outside: check refuses it too
		}
		p, err := c.Pulse(d.deg)
		if err != nil || (d.want >= 0 && p != d.want) || p < c.PulseMin || p > c.PulseMax {
			t.Fatalf("%v: Pulse(%v) inside Range %v..%v = %v, %v; want %v", c, d.deg, lo, hi, p, err, d.want)
		}
	}
	for _, deg := range []float64{math.Nextafter(lo, math.Inf(-1)), math.Nextafter(hi, math.Inf(1))} {
		if _, err := c.Pulse(deg); !errors.Is(err, actuators.ErrOutOfRange) {
			t.Fatalf("%v: Pulse(%v) just outside Range %v..%v = %v; want ErrOutOfRange", c, deg, lo, hi, err)
		}
	}
	for _, p := range []time.Duration{c.PulseMin, c.PulseMax} {
		a, err := c.Angle(p)
		if err != nil || a < lo || a > hi {
			t.Fatalf("%v: Angle(%v) = %v, %v; outside Range %v..%v", c, p, a, err, lo, hi)
		}
		if _, err := c.Pulse(a); err != nil {
			t.Fatalf("%v: Pulse(Angle(%v) = %v): %v", c, p, a, err)
		}
	}
}
