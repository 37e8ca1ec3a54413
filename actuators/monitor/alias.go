package monitor

import "math"

// A beam has several names: u(p, t) = u(p + 360°, t) = u(p, t + 360°) =
// u(p + 180°, −t), and at tilt 0° (or 180°) every pan points the same way,
// straight down (or up). A zone's region is its beams under every name.

// order returns a and b, the lesser first.
func order(a, b float64) (float64, float64) {
	if b < a {
		return b, a
	}
	return a, b
}

// hasMultiple reports whether off + k·per lies in [lo, hi] for some
// integer k.
func hasMultiple(lo, hi, per, off float64) bool {
	return math.Ceil((lo-off)/per)*per+off <= hi
}

// aliasMeet returns the least s in [0, 1] at which the dot p + s·(q − p)
// lies in the box [lo, hi] (pan, tilt) under some name: the box itself,
// shifted by 360° in pan or tilt, or mirrored (pan + 180°, tilt negated),
// as u(p, t) = u(p + 360°, t) = u(p, t + 360°) = u(p + 180°, −t). open:
// strictly inside; else on the box counts. A move across more than 128
// copies (turns no servo makes) is taken to meet it.
func aliasMeet(lo, hi, p, q [2]float64, open bool) (float64, bool) {
	var blo, bhi [2]float64
	best, ok := 2.0, false
	for mirror := range 2 {
		if mirror == 0 {
			blo, bhi = lo, hi
		} else {
			blo, bhi = [2]float64{lo[0] + 180, -hi[1]}, [2]float64{hi[0] + 180, -lo[1]}
		}
		// Most moves lie between two copies of the box's tilts, or pans.
		if betweenCopies(p[1], q[1], blo[1], bhi[1]) || betweenCopies(p[0], q[0], blo[0], bhi[0]) {
			continue
		}
		var j0, j1, k0, k1 float64
		for c := 1; c >= 0; c-- { // tilt first: most moves are far by it
			slo, shi := order(p[c], q[c])
			n0, n1 := math.Ceil((slo-bhi[c])/360), math.Floor((shi-blo[c])/360)
			if !(n1-n0 <= 128) { // NaN, or absurd
				if n1-n0 > 128 {
					return 0, true
				}
				return 0, false
			}
			if c == 0 {
				j0, j1 = n0, n1
			} else {
				k0, k1 = n0, n1
				if k0 > k1 {
					break
				}
			}
		}
		for j := j0; j <= j1; j++ {
			for k := k0; k <= k1; k++ {
				l := [2]float64{blo[0] + 360*j, blo[1] + 360*k}
				h := [2]float64{bhi[0] + 360*j, bhi[1] + 360*k}
				if s, hit := clip(l, h, p, q, open); hit && s < best {
					best, ok = s, true
				}
			}
		}
	}
	return best, ok
}

// betweenCopies reports, cheaply, that [min(p, q), max(p, q)] lies strictly
// between two copies of [lo, hi] shifted by 360°·k: below the box and
// above its copy 360° lower, or above it and below its copy 360° higher.
func betweenCopies(p, q, lo, hi float64) bool {
	a, b := order(p, q)
	return b < lo && a > hi-360 || a > hi && b < lo+360
}

// clip returns the least s in [0, 1] at which p + s·(q − p) lies in the
// box [lo, hi], strictly inside if open (Liang–Barsky).
func clip(lo, hi, p, q [2]float64, open bool) (float64, bool) {
	s0, s1 := 0.0, 1.0
	for k := range 2 {
		d := q[k] - p[k]
		if d == 0 {
			if open && !(p[k] > lo[k] && p[k] < hi[k]) || !open && !(p[k] >= lo[k] && p[k] <= hi[k]) {
				return 0, false
			}
			continue
		}
		a, b := (lo[k]-p[k])/d, (hi[k]-p[k])/d
		if a > b {
			a, b = b, a
		}
		s0, s1 = math.Max(s0, a), math.Min(s1, b)
	}
	if open {
		// The dots strictly inside are an open stretch of s (or all of
		// [0, 1] for a point inside): it is not empty.
		return s0, s0 < s1
	}
	return s0, s0 <= s1
}

// poleMeet returns the least s in [0, 1] at which the dot p + s·(q − p)
// points straight down or straight up, at a tilt that some tilt in
// [lo, hi] also points (any pan does there: tilt 0° is every pan's
// straight down).
func poleMeet(lo, hi float64, p, q [2]float64) (float64, bool) {
	tlo, thi := math.Min(p[1], q[1]), math.Max(p[1], q[1])
	k0, k1 := math.Ceil(tlo/180), math.Floor(thi/180)
	if !(k1-k0 <= 128) {
		return 0, k1-k0 > 128
	}
	best, ok := 2.0, false
	for k := k0; k <= k1; k++ {
		tau := 180 * k
		if !inMod(tau, lo, hi) {
			continue
		}
		s := 0.0
		if d := q[1] - p[1]; d != 0 {
			s = math.Min(1, math.Max(0, (tau-p[1])/d))
		}
		if s < best {
			best, ok = s, true
		}
	}
	return best, ok
}
