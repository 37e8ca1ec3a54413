package mqtt

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// timedRig notes when the agent's rig is called.
type timedRig struct {
	fakeRig
	at atomic.Int64 // Unix ns of the last MoveBy
}

func (r *timedRig) MoveBy(now time.Time, axis string, d float64) safety.Report {
	r.at.Store(time.Now().UnixNano())
	return r.fakeRig.MoveBy(now, axis, d)
}

// BenchmarkRemoteRequest is one request from the run side to the agent's
// rig and back, over a mosquitto on loopback: p50 and p99 of the time to
// the agent's rig (one way) and of the round trip (what the engine waits).
func BenchmarkRemoteRequest(b *testing.B) {
	br := mqtttest.Start(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tp := Topics{Base: "cattease", Rig: "bench"}
	rig := &timedRig{}
	ac, rc := NewConn(Options{URL: br.URL}), NewConn(Options{URL: br.URL})
	agent, remote := &Agent{Topics: tp, Rig: rig}, &Remote{Topics: tp}
	agent.Attach(ac)
	remote.Attach(rc)
	for _, c := range []*Conn{ac, rc} {
		go c.Run(ctx, nil)
	}
	go agent.Run(ctx)
	go remote.Run(ctx)
	for deadline := time.Now().Add(5 * time.Second); !agent.Link(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("no link")
		}
	}
	oneWay, round := make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		if rep := remote.MoveBy(t0, "pan", 0.1); rep.Refused {
			b.Fatalf("refused: %v", rep)
		}
		round = append(round, time.Since(t0))
		oneWay = append(oneWay, time.Unix(0, rig.at.Load()).Sub(t0))
	}
	b.StopTimer()
	report(b, "to-agent", oneWay)
	report(b, "round-trip", round)
}

func report(b *testing.B, name string, ds []time.Duration) {
	slices.Sort(ds)
	q := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) }
	b.ReportMetric(q(0.5), name+"-p50-µs")
	b.ReportMetric(q(0.99), name+"-p99-µs")
}

func TestFanoutDrivesEveryRig(t *testing.T) {
	b := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var fan Fanout
	var rigs []*fakeRig
	var agents []*Agent
	for _, name := range []string{"left-room", "right-room"} {
		tp := Topics{Base: "cattease", Rig: name}
		rig := &fakeRig{}
		ac, rc := NewConn(Options{URL: b.URL}), NewConn(Options{URL: b.URL})
		a, r := &Agent{Topics: tp, Rig: rig}, &Remote{Topics: tp}
		a.Attach(ac)
		r.Attach(rc)
		startConn(t, ctx, ac)
		startConn(t, ctx, rc)
		go a.Run(ctx)
		go r.Run(ctx)
		fan, rigs, agents = append(fan, r), append(rigs, rig), append(agents, a)
	}
	for _, a := range agents {
		waitFor(t, 3*time.Second, "link up", a.Link)
	}
	if rep := fan.MoveBy(time.Now(), "pan", -3); rep.Refused {
		t.Fatalf("refused: %v", rep)
	}
	for i, r := range rigs {
		if p := r.Snapshot().Axes[0].Pos; p != -3 {
			t.Errorf("rig %d at %v, want -3", i, p)
		}
	}
	rigs[1].Enable("laser", false) // the second cat's streamer forbade the laser
	if rep := fan.Switch(time.Now(), "laser", true, time.Second); rep.Refused {
		t.Errorf("one rig may light: %v", rep)
	}
	if !rigs[0].lit() || rigs[1].lit() {
		t.Errorf("lit: %v %v, want each rig by its own limits", rigs[0].lit(), rigs[1].lit())
	}
}
