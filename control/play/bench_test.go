package play

import (
	"context"
	"testing"
	"time"
)

// BenchmarkLayerStep is one 50 Hz tick through the play layer and the
// envelope: sessions, quiet hours (by wall clock), chat moving the lit dot
// every second, two axes with acceleration, keep-out zones, dwell, light
// budget and daily budget in memory.
func BenchmarkLayerStep(b *testing.B) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Skip(err)
	}
	bn := newBench(&testing.T{}, time.Date(2026, 11, 22, 12, 0, 0, 0, berlin),
		Config{MaxPlay: time.Hour, Rest: time.Minute, QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour, Location: berlin}, nil)
	bn.outs = nil
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%50 == 0 {
			bn.play.MoveTo(bn.now, "pan", float64(i%80-40))
			bn.play.Switch(bn.now, "laser", true, 0)
		}
		bn.play.Step(ctx, bn.now)
		bn.now = bn.now.Add(20 * time.Millisecond)
		if len(bn.outs) > 1024 {
			bn.outs = bn.outs[:0]
		}
	}
}
