package mqtt

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// snapPanicRig is an agent's rig whose Snapshot panics once armed: a bug
// in building the state the agent publishes.
type snapPanicRig struct {
	*fakeRig
	armed atomic.Bool
}

func (r *snapPanicRig) Snapshot() safety.State {
	if r.armed.Load() {
		bug()
	}
	return r.fakeRig.Snapshot()
}

// The agent publishes its rig's state on a goroutine of its own, every
// 100 ms: a panic there used to end the agent at once, its laser and
// servos as they were. It goes to the connection's OnPanic (cmd/cattease
// halts the rig and ends the run), and Run still ends with ctx.
func TestAgentStatePublisherPanicGoesToOnPanic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newTold()
		c := NewConn(Options{OnPanic: p.on})
		rig := &snapPanicRig{fakeRig: &fakeRig{}}
		a := &Agent{Topics: Topics{Base: "cattease", Rig: "cat1"}, Rig: rig, Every: 100 * time.Millisecond}
		a.Attach(c)
		ctx, cancel := context.WithCancel(t.Context())
		ran := make(chan error, 1)
		go func() { ran <- a.Run(ctx) }()
		synctest.Wait() // Run has darkened the laser (a Snapshot of its own) and waits
		rig.armed.Store(true)
		what, stack := p.got(t)
		if what != "the agent's state publisher" || !strings.Contains(stack, "(*Agent).publishState") {
			t.Errorf("OnPanic told %q, stack:\n%s", what, stack)
		}
		cancel()
		if err := <-ran; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// statusPanicEngine is the bridge's engine whose Status panics: a bug in
// building the state the bridge publishes.
type statusPanicEngine struct{ *fakeEngine }

func (statusPanicEngine) Status(time.Time) control.Status {
	bug()
	return control.Status{}
}

// The bridge publishes the state on a goroutine of its own, every 200 ms
// in any run with an mqtt: section: a panic there goes to the
// connection's OnPanic instead of ending the program.
func TestBridgeStatePublisherPanicGoesToOnPanic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newTold()
		c := NewConn(Options{OnPanic: p.on})
		b := &Bridge{Topics: Topics{Base: "cattease", Rig: "den"}, Engine: statusPanicEngine{&fakeEngine{}}, Rig: &fakeRig{}}
		b.Attach(c)
		ctx, cancel := context.WithCancel(t.Context())
		ran := make(chan error, 1)
		go func() { ran <- b.Run(ctx) }()
		what, stack := p.got(t)
		if what != "the Home Assistant bridge's state publisher" || !strings.Contains(stack, "(*Bridge).publish") {
			t.Errorf("OnPanic told %q, stack:\n%s", what, stack)
		}
		cancel()
		if err := <-ran; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// A part never attached to a Conn has no OnPanic: the panic goes on.
func TestRecoverToWithoutHandlerGoesOn(t *testing.T) {
	var p any
	func() {
		defer func() { p = recover() }()
		defer recoverTo(nil, "the agent's state publisher")
		bug()
	}()
	if p != "injected bug" {
		t.Fatalf("recovered %v, want the panic to go on", p)
	}
}

// panicPublisher panics on every publication: a bug under a Remote's
// request.
type panicPublisher struct{}

func (panicPublisher) Publish(context.Context, string, []byte, bool, uint32) error {
	bug()
	return nil
}

// Fanout calls every rig on a goroutine of its own: a panic in one used
// to end the program there, out of reach of the caller's guard. It is
// raised again on the caller's goroutine, naming the rig, with the stack
// where it happened, once every rig has answered.
func TestFanoutPanicGoesToTheCaller(t *testing.T) {
	ok := &seqPublisher{}
	fan := Fanout{
		{Topics: Topics{Rig: "cat1"}, conn: ok, session: "s", waiting: map[uint64]chan Reply{}},
		{Topics: Topics{Rig: "cat2"}, conn: panicPublisher{}, session: "s", waiting: map[uint64]chan Reply{}},
	}
	var p any
	func() {
		defer func() { p = recover() }()
		fan.Stop(time.Time{})
	}()
	fp, isFanout := p.(*fanoutPanic)
	if !isFanout || fp.rig != "cat2" || fp.value != "injected bug" || !strings.Contains(string(fp.stack), "(*Remote).call") {
		t.Fatalf("recovered %v, want the panic of cat2's request", p)
	}
	if !strings.Contains(fp.Error(), "mqtt: panic in a request to rig cat2: injected bug") {
		t.Errorf("the error reads %q", fp.Error())
	}
	ok.mu.Lock()
	defer ok.mu.Unlock()
	if len(ok.seqs) != 1 {
		t.Errorf("cat1 got %d requests, want its stop all the same", len(ok.seqs))
	}
}
