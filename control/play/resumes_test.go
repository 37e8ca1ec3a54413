package play

import (
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
)

// A rest and quiet hours chain: chat is told when play resumes, the later
// of the two ends, both ways round, and the overlay shows the same time.
func TestRestAndQuietHoursChain(t *testing.T) {
	day := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }
	for _, c := range []struct {
		name             string
		quietFrom, to    time.Duration
		start, ask, want time.Time
		reason           actuators.Reason
	}{
		// Play 22:35-22:45, then a 20 min rest that would end at 23:05.
		{"a rest into quiet hours", 23 * time.Hour, 8 * time.Hour, day(22, 22, 35), day(22, 22, 50), day(23, 8, 0), actuators.ReasonCatResting},
		{"quiet hours in the rest", 23 * time.Hour, 8 * time.Hour, day(22, 22, 35), day(22, 23, 30), day(23, 8, 0), actuators.ReasonQuietHours},
		// Quiet 23:00-23:02, inside the rest: play resumes when it ends.
		{"a rest past quiet hours", 23 * time.Hour, 23*time.Hour + 2*time.Minute, day(22, 22, 35), day(22, 23, 1), day(22, 23, 5), actuators.ReasonQuietHours},
		{"a rest before quiet hours", 23*time.Hour + 30*time.Minute, 8 * time.Hour, day(22, 22, 35), day(22, 22, 50), day(22, 23, 5), actuators.ReasonCatResting},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := newBench(t, c.start, Config{MaxPlay: 10 * time.Minute, Rest: 20 * time.Minute,
				QuietFrom: c.quietFrom, QuietTo: c.to, Location: time.UTC}, nil)
			for b.play.Snapshot().Session.Phase != PhaseRest {
				b.play.MoveTo(b.now, "pan", float64(b.now.Second()%2*4))
				b.step(50)
			}
			b.step(b.ticks(c.ask.Sub(b.now)))
			r, until := b.play.Refusal(b.now)
			// The rest ends 20 min after the park that ended the session.
			if r != c.reason || until.Before(c.want) || until.After(c.want.Add(5*time.Second)) {
				t.Errorf("at %s: %q until %s, want %q until %s", b.now.Format("15:04"), r, until.Format("15:04:05"), c.reason, c.want.Format("15:04"))
			}
			if rep := b.play.MoveTo(b.now, "pan", 0); !rep.Until.Equal(until) {
				t.Errorf("a request is told %v, Refusal %v", rep.Until, until)
			}
			if st := b.play.Snapshot().Session; !st.Until.Equal(until) {
				t.Errorf("the overlay shows %s until %v, chat is told %v", st.Phase, st.Until, until)
			}
		})
	}
}
