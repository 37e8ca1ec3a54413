package web

import (
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/danmu"
)

func benchDecisions(n int) []control.Decision {
	ds := make([]control.Decision, n)
	for i := range ds {
		ds[i] = control.Decision{Time: t0, EventID: strconv.Itoa(i), Platform: "bilibili", UserName: "猫奴",
			Rule: "left", Outcome: control.Accepted, Reason: control.ReasonQueued}
		if i%3 == 0 {
			ds[i].Outcome, ds[i].Reason, ds[i].RetryAfter = control.Dropped, control.ReasonCooldownUser, time.Second
		}
	}
	return ds
}

// BenchmarkDecision is the engine goroutine's cost per decision.
func BenchmarkDecision(b *testing.B) {
	s, _, _ := newTestServer("")
	s.init()
	ds := benchDecisions(1024)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Decision(ds[i%len(ds)])
		i++
	}
}

// BenchmarkFrame builds and encodes one frame from a full status: the
// broadcaster's cost, at most 10 times a second.
func BenchmarkFrame(b *testing.B) {
	s, eng, _ := newTestServer("")
	ds := benchDecisions(control.RecentSize)
	eng.status.Recent = ds
	eng.status.Decisions = map[string]uint64{"accepted:queued": 100, "dropped:cooldown_user": 50, "accepted:ran": 99}
	s.init()
	for _, d := range ds {
		s.Decision(d)
	}
	batch := make([]KeyedDecision, maxBatch/2)
	for i, d := range ds[:maxBatch/2] {
		batch[i] = KeyedDecision{d, "e:" + d.Platform + ":" + d.EventID}
	}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(sseMessage(1, s.frame(1, batch, 0)))
	}
	b.ReportMetric(float64(n), "bytes/frame")
}

func BenchmarkMetricsEvent(b *testing.B) {
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	ev := danmu.Event{Platform: "bilibili", Kind: danmu.KindChat}
	b.ReportAllocs()
	for b.Loop() {
		m.Event(ev)
	}
}

func BenchmarkMetricsDecisionOutput(b *testing.B) {
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	d := control.Decision{Outcome: control.Dropped, Reason: control.ReasonCooldownUser}
	o := safety.Output{Target: "pan", Action: actuators.ActionAngle, Value: 3}
	b.ReportAllocs()
	for b.Loop() {
		m.Decision(d)
		m.Output(o)
	}
}
