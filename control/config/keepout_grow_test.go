package config

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cattease/cattease/actuators/safety"
)

// TestGrowZoneIsTheEnvelopes: check grows a keep-out zone by its margin
// exactly as the envelope does, so that home is refused here whenever the
// envelope would refuse to start, and only then. (This package cannot
// use the envelope's Zone.Grow: the monitor, which shares no code with
// the envelope, reads it.)
func TestGrowZoneIsTheEnvelopes(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 11))
	for i := range 20000 {
		p0, t0 := r.Float64()*180-90, r.Float64()*170-85
		p1, t1 := p0+0.1+r.Float64()*40, t0+0.1+r.Float64()*40
		m := r.Float64() * MaxKeepOutMargin
		switch i % 4 {
		case 0:
			m = 0
		case 1:
			t0 = m // the grown band just touches straight down
		}
		got := growZone(Zone{Pan: []Angle{Angle(p0), Angle(p1)}, Tilt: []Angle{Angle(t0), Angle(t1)}}, m)
		want := safety.Zone{PanMin: p0, PanMax: p1, TiltMin: t0, TiltMax: t1}.Grow(m)
		g := [4]float64{got.pan[0], got.pan[1], got.tilt[0], got.tilt[1]}
		w := [4]float64{want.PanMin, want.PanMax, want.TiltMin, want.TiltMax}
		for k := range g {
			if !(g[k] == w[k] || math.Abs(g[k]-w[k]) < 1e-12) {
				t.Fatalf("pan [%g, %g], tilt [%g, %g] by %g: check grows it to %v, the envelope to %v", p0, p1, t0, t1, m, g, w)
			}
		}
		for range 4 {
			hp, ht := r.Float64()*360-180, r.Float64()*180-90
			if got.contains(hp, ht) != want.Contains(hp, ht) {
				t.Fatalf("(%g, %g): check says inside %v, the envelope %v", hp, ht, got.contains(hp, ht), want.Contains(hp, ht))
			}
		}
	}
}
