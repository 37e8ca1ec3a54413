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

// TestZoneAliasesAreTheEnvelopes: check finds a zone's other names (a
// dot leaning back past straight down, a full turn away, or at a tilt
// pointing straight down, that aims into it) within the axes' reach exactly as the envelope does, so that
// home is refused inside one here whenever the envelope would refuse to
// start, and only then.
func TestZoneAliasesAreTheEnvelopes(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 2))
	aliases, poles := 0, 0
	for i := range 20000 {
		ceil := 10 + r.Float64()*79
		bp0, bt0 := -180+r.Float64()*180, -ceil+0.01+r.Float64()*(ceil-5)
		bp1, bt1 := bp0+10+r.Float64()*350, ceil-0.01
		p0, t0 := r.Float64()*720-360, r.Float64()*200-100
		p1, t1 := p0+0.1+r.Float64()*60, t0+0.1+r.Float64()*40
		if i%50 == 0 {
			p1 = p0 + 400 + r.Float64()*2000 // over more than a turn
		}
		m := r.Float64() * MaxKeepOutMargin
		if i%4 == 0 {
			m = 0
		}
		got := zoneAliases(growZone(Zone{Pan: []Angle{Angle(p0), Angle(p1)}, Tilt: []Angle{Angle(t0), Angle(t1)}}, m),
			grownZone{pan: [2]float64{bp0, bp1}, tilt: [2]float64{bt0, bt1}})
		want := safety.Zone{PanMin: p0, PanMax: p1, TiltMin: t0, TiltMax: t1}.Grow(m).Aliases(safety.Zone{PanMin: bp0, PanMax: bp1, TiltMin: bt0, TiltMax: bt1})
		if len(got) != len(want) {
			t.Fatalf("pan [%g, %g], tilt [%g, %g] by %g in pan [%g, %g], tilt [%g, %g]: check finds %d aliases, the envelope %d:\n%+v\n%+v",
				p0, p1, t0, t1, m, bp0, bp1, bt0, bt1, len(got), len(want), got, want)
		}
		aliases += len(got)
		for k := range got {
			if !math.IsNaN(got[k].pole) {
				poles++
			}
			g := [4]float64{got[k].pan[0], got[k].pan[1], got[k].tilt[0], got[k].tilt[1]}
			w := [4]float64{want[k].PanMin, want[k].PanMax, want[k].TiltMin, want[k].TiltMax}
			for j := range g {
				if !(g[j] == w[j] || math.Abs(g[j]-w[j]) < 1e-12) {
					t.Fatalf("pan [%g, %g], tilt [%g, %g] by %g: alias %d is %v in check, %v in the envelope", p0, p1, t0, t1, m, k, g, w)
				}
			}
		}
	}
	if aliases < 5000 || poles < 500 {
		t.Fatalf("%d aliases in all, %d around straight down: the test exercises little", aliases, poles)
	}
}
