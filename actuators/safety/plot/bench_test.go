package plot

import (
	"io"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
)

// BenchmarkAdd is the cost per output of recording a busy motion loop,
// decimation included (the recorder fills and compacts as it goes).
func BenchmarkAdd(b *testing.B) {
	r := &Recorder{}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r.Add(safety.Output{Time: t0.Add(time.Duration(i/3) * 20 * time.Millisecond),
			Target: [3]string{"pan", "tilt", "laser"}[i%3], Action: "angle", Value: float64(i % 90)})
		i++
	}
}

// BenchmarkWriteSVG draws a full recorder: a million outputs decimated to
// at most 200k samples (about 5.5 hours of a busy 50 Hz motion loop).
func BenchmarkWriteSVG(b *testing.B) {
	r := &Recorder{}
	day(r, 999_999)
	geo := testGeo()
	b.ReportAllocs()
	for b.Loop() {
		if err := r.WriteSVG(io.Discard, geo, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteSVGSmall draws ten minutes of chat-driven motion
// (the size of docs/plot-example.svg).
func BenchmarkWriteSVGSmall(b *testing.B) {
	r := &Recorder{}
	day(r, 3*30_000) // 10 min of pan, tilt and laser every tick
	geo := testGeo()
	b.ReportAllocs()
	for b.Loop() {
		if err := r.WriteSVG(io.Discard, geo, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBigSVGSize: a full recorder draws a picture of bounded size.
func TestBigSVGSize(t *testing.T) {
	r := &Recorder{}
	day(r, 999_999)
	svg := render(t, r, testGeo(), Options{})
	wellFormed(t, svg, "text")
	if len(svg) > 4<<20 {
		t.Errorf("SVG of a full recorder is %d bytes, want ≤ 4 MB", len(svg))
	}
	t.Logf("full recorder: %d bytes of SVG", len(svg))
}
