package control

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control/play"
)

// quietYAML: ¥100 buys a minute of 包场 and a circle, one pattern per
// sender a day; credits lapse after an hour.
var quietYAML = strings.Replace(roomYAML, "per_sender: {priority: 6}", "per_sender: {priority: 6, patterns: 1}", 1)

// newPlayHarness is a harness whose engine drives a play layer in front
// of the envelope, as `cattease run` does.
func newPlayHarness(t *testing.T, yaml string, cfg play.Config) (*harness, *play.Layer) {
	t.Helper()
	h := newHarness(t, yaml)
	pl := play.New(cfg, h.env, h.now)
	var err error
	h.eng, err = New(compileText(t, yaml), pl, Options{OnDecision: func(d Decision) { h.decisions = append(h.decisions, d) }})
	if err != nil {
		t.Fatal(err)
	}
	pl.Step(context.Background(), h.now)
	return h, pl
}

// step advances the virtual clock by n motion ticks through the play
// layer and the engine.
func playFor(h *harness, pl *play.Layer, n int) {
	for range n {
		h.now = h.now.Add(h.env.Tick())
		pl.Step(context.Background(), h.now)
		h.eng.Tick(h.now)
	}
}

// TestQuietHoursSpendNothing: during quiet hours a command is refused
// before anything is spent (no credit, no cooldown); a gift keeps its
// credits until an hour after quiet hours end, its 包场 waits for them
// to end, and its pattern is withheld and given back to the caps.
func TestQuietHoursSpendNothing(t *testing.T) {
	h, pl := newPlayHarness(t, quietYAML, play.Config{QuietFrom: 9 * time.Hour, QuietTo: 11 * time.Hour, Location: time.UTC})
	end := time.Date(2026, 11, 22, 11, 0, 0, 0, time.UTC) // t0 is 10:00 UTC
	d := h.gift("9", 3000)
	want(t, d, Accepted, ReasonGift)
	if !d.Until.Equal(end.Add(time.Hour)) {
		t.Fatalf("credits until %v, want an hour after quiet hours end", d.Until)
	}
	d = h.say("9", "左", nil)
	want(t, d, Dropped, ReasonQuietHours)
	if d.RetryAfter != time.Hour {
		t.Fatalf("retry after %v, want the hour to the end of quiet hours", d.RetryAfter)
	}
	want(t, h.say("2", "左", nil), Dropped, ReasonQuietHours)
	if p, x := h.credits("9"); p != 5 || x != 3 {
		t.Fatalf("credits %d/%d after a refused command, want 5/3", p, x)
	}

	n := len(h.decisions)
	d = h.gift("8", 10000)
	want(t, d, Accepted, ReasonGift)
	if d.Grant.Exclusive != time.Minute || d.Grant.Pattern != "" || !d.Until.Equal(end.Add(time.Minute)) {
		t.Fatalf("grant %+v until %v, want 包场 from the end of quiet hours and no pattern", d.Grant, d.Until)
	}
	pat := h.lastOf("circle")
	want(t, pat, Dropped, ReasonQuietHours)
	if pat.EventID != d.EventID || pat.RetryAfter != time.Hour || len(h.decisions)-n != 2 {
		t.Fatalf("pattern decision %+v; %d decisions", pat, len(h.decisions)-n)
	}
	if st := h.eng.Status(h.now); st.QueueLen != 0 {
		t.Fatalf("queue %d during quiet hours", st.QueueLen)
	}

	// 包场's minute starts when quiet hours end.
	h.now = end.Add(-time.Second)
	playFor(h, pl, 100) // 11:00:01
	want(t, h.say("2", "左", nil), Dropped, ReasonExclusive)
	want(t, h.say("8", "左", nil), Accepted, ReasonQueued)
	playFor(h, pl, 50*55) // 11:00:56
	want(t, h.say("2", "左", nil), Dropped, ReasonExclusive)
	playFor(h, pl, 50*5) // 11:01:01
	want(t, h.say("2", "左", nil), Accepted, ReasonQueued)

	// Half an hour on, the credits still serve; the pattern's cap is free.
	h.now = end.Add(30 * time.Minute)
	playFor(h, pl, 1)
	want(t, h.say("9", "左", nil), Accepted, ReasonPriority)
	if d := h.gift("8", 10000); d.Grant == nil || d.Grant.Pattern != "circle" {
		t.Fatalf("the next ¥100 bought %+v: the withheld pattern still counted", d.Grant)
	}
}

// TestRestHoldsExclusiveClock: a 包场 running when the cat's rest begins
// stands still through the rest, and its holder has the time left after.
func TestRestHoldsExclusiveClock(t *testing.T) {
	h, pl := newPlayHarness(t, quietYAML, play.Config{MaxPlay: 30 * time.Second, Rest: 2 * time.Minute, Location: time.UTC})
	want(t, h.gift("8", 10000), Accepted, ReasonGift) // 包场 for a minute, and a circle
	for pl.Snapshot().Session.Phase != play.PhaseRest {
		if h.now.Sub(t0) > time.Minute {
			t.Fatal("no rest within a minute")
		}
		h.say("8", "左", nil)
		playFor(h, pl, 10)
	}
	st := h.eng.Status(h.now)
	if st.Exclusive == nil {
		t.Fatal("包场 over before the rest")
	}
	left := st.Exclusive.Until.Sub(h.now)
	want(t, h.say("8", "左", nil), Dropped, ReasonCatResting)
	for pl.Snapshot().Session.Phase == play.PhaseRest {
		playFor(h, pl, 10)
	}
	st = h.eng.Status(h.now)
	if st.Exclusive == nil || st.Exclusive.Until.Sub(h.now) < left-time.Second {
		t.Fatalf("after the rest 包场 is %+v, want about %v left", st.Exclusive, left)
	}
	want(t, h.say("2", "左", nil), Dropped, ReasonExclusive)
	want(t, h.say("8", "左", nil), Accepted, ReasonQueued)
}
