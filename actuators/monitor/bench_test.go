package monitor

import (
	"math"
	"testing"
	"time"
)

// synthetic is n outputs of a rig at play: pan and tilt sweep every tick,
// the laser toggles, an axis detaches now and then.
func synthetic(n int) []Event {
	evs := make([]Event, 0, n)
	for i := 0; len(evs) < n; i++ {
		at := t0.Add(ticks(i))
		x := 30 * math.Sin(float64(i)/100)
		evs = append(evs, Event{Time: at, Target: "pan", Action: "move", Value: math.Round(x*100) / 100},
			Event{Time: at, Target: "tilt", Action: "move", Value: math.Round((20+10*math.Cos(float64(i)/150))*100) / 100})
		switch {
		case i%50 == 0:
			evs = append(evs, Event{Time: at, Target: "laser", Action: "switch", Value: float64(i / 50 % 2)})
		case i%997 == 0:
			evs = append(evs, Event{Time: at, Target: "pan", Action: "detach", Value: 0})
		}
	}
	return evs[:n]
}

func fullLimits() Limits {
	l := baseLimits()
	budget(&l)
	c := 42.0
	l.Ceiling = &c
	l.Zones = []Zone{{Name: "window", PanMin: -45, PanMax: -32, TiltMin: 28, TiltMax: 40}, {Name: "camera", PanMin: 30, PanMax: 45, TiltMin: 34, TiltMax: 40}}
	l.KeepOutMargin = 1
	l.DwellCap, l.DailyLaser = 4*s, 20*time.Minute
	l.Sessions = SessionLimits{MaxPlay: 10 * time.Minute, Rest: 20 * time.Minute, QuietFrom: 23 * time.Hour, QuietTo: 8 * time.Hour}
	if loc, err := time.LoadLocation("Europe/Berlin"); err == nil {
		l.Location = loc
	}
	return l
}

func BenchmarkMonitor(b *testing.B) {
	evs := synthetic(100_000)
	l := fullLimits()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m := New(l)
		for _, e := range evs {
			m.Output(e)
		}
		m.End(evs[len(evs)-1].Time)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(evs)), "ns/event")
}

// TestBoundedMemory: a million outputs, with the laser toggling every
// tick, keep the state small and the stored violations capped.
func TestBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	l := fullLimits()
	l.Switches[0].Cooldown = time.Hour // a long window: its history is what grows
	m := New(l)
	at := t0
	for i := range 1_000_000 {
		at = at.Add(tick / 2)
		m.Output(Event{Time: at, Target: "laser", Action: "switch", Value: float64(i % 2)})
		m.Output(Event{Time: at, Target: "pan", Action: "move", Value: 100}) // out of range every time
	}
	m.End(at)
	if n := len(m.sws[0].hist); n > 2*int(time.Hour/tick)+130 {
		t.Errorf("light history %d intervals", n)
	}
	if len(m.Violations()) != MaxStored || m.Count() < 1_000_000 {
		t.Errorf("stored %d, counted %d", len(m.Violations()), m.Count())
	}
}
