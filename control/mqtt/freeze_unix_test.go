//go:build unix

package mqtt

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// inFlight counts the publications waiting for the broker.
type inFlight struct {
	Publisher
	n atomic.Int32
}

func (p *inFlight) Publish(ctx context.Context, topic string, payload []byte, retain bool, expiry uint32) error {
	p.n.Add(1)
	defer p.n.Add(-1)
	return p.Publisher.Publish(ctx, topic, payload, retain, expiry)
}

// The broker hangs while the bridge publishes a state change, then dies
// and comes back: the publication waiting for its acknowledgement ends
// with the connection, and the bridge announces itself on the next one
// at once. Before, it waited out paho's 10 s packet timeout, with Home
// Assistant showing the rig unavailable meanwhile.
func TestBridgeAnnouncesAtOnceAfterTheBrokerDiedMidPublication(t *testing.T) {
	b := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tp := Topics{Base: "cattease", Rig: "t4"}
	eng := &fakeEngine{policy: "queue"}
	bc := NewConn(Options{URL: b.URL, Will: tp.Availability()})
	br := &Bridge{Topics: tp, Engine: eng, Rig: &fakeRig{}}
	br.Attach(bc)
	pub := &inFlight{Publisher: bc}
	br.conn = pub
	var ups atomic.Int32
	bc.OnUp(func(context.Context) { ups.Add(1) })
	var mu sync.Mutex
	var avail string
	watch := NewConn(Options{URL: b.URL})
	watch.Handle(tp.Availability(), func(m Message) { mu.Lock(); avail = string(m.Payload); mu.Unlock() })
	online := func() bool { mu.Lock(); defer mu.Unlock(); return avail == "online" }
	startConn(t, ctx, bc)
	startConn(t, ctx, watch)
	ran := make(chan struct{})
	go func() { br.Run(ctx); close(ran) }()
	t.Cleanup(func() { cancel(); <-ran })
	waitFor(t, 5*time.Second, "online", online)

	b.Freeze()
	eng.Stop(time.Now()) // a new state, which the frozen broker never acknowledges
	waitFor(t, 5*time.Second, "the state's publication waiting", func() bool { return pub.n.Load() > 0 })
	b.Stop()
	mu.Lock()
	avail = ""
	mu.Unlock()
	b.Start()
	waitFor(t, 10*time.Second, "connected again", func() bool { return ups.Load() == 2 })
	if d := waitFor(t, 9*time.Second, "online again", online); d > 5*time.Second {
		t.Errorf("online %v after the connection came back, want at once", d)
	}
}
