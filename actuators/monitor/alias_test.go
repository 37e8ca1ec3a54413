package monitor

import "testing"

// Where a beam lies in a zone's region, whatever its names.
func TestAliasMeet(t *testing.T) {
	lo, hi := [2]float64{60, 10}, [2]float64{100, 20}
	for _, c := range []struct {
		p, q [2]float64
		want bool
	}{
		{[2]float64{80, 15}, [2]float64{80, 15}, true},
		{[2]float64{-85, -15}, [2]float64{-85, -15}, true}, // (95°, 15°)
		{[2]float64{440, 15}, [2]float64{440, 15}, true},
		{[2]float64{-280, 15}, [2]float64{-280, 15}, true},
		{[2]float64{275, -15}, [2]float64{275, -15}, true},
		{[2]float64{80, 375}, [2]float64{80, 375}, true},
		{[2]float64{-85, 15}, [2]float64{-85, 15}, false},
		{[2]float64{95, -15}, [2]float64{95, -15}, false},
		{[2]float64{-130, -15}, [2]float64{-50, -15}, true}, // across the mirror
		{[2]float64{-130, -25}, [2]float64{-50, -25}, false},
		{[2]float64{440, 5}, [2]float64{440, 30}, true},
		{[2]float64{-120, -20}, [2]float64{-100, -20}, true}, // its edge, closed
	} {
		_, got := aliasMeet(lo, hi, c.p, c.q, false)
		if got != c.want {
			t.Errorf("%v→%v: %v, want %v", c.p, c.q, got, c.want)
		}
	}
	if _, got := aliasMeet(lo, hi, [2]float64{-120, -20}, [2]float64{-100, -20}, true); got {
		t.Error("along the mirror's edge: inside the open box")
	}
}
