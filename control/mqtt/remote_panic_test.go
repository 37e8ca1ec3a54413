package mqtt

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// panicOnce panics on its first Publish and fails the others.
type panicOnce struct{ n int }

func (p *panicOnce) Publish(context.Context, string, []byte, bool, uint32) error {
	p.n++
	if p.n == 1 {
		panic("client bug")
	}
	return errors.New("broker gone")
}

// TestRemoteCallAfterAPanicDoesNotHang: a panic in the client while a
// request is sent (handed on to the run's handler, which halts and ends
// the run) must not leave the send lock held: the stop that follows on
// the way out would wait for ever.
func TestRemoteCallAfterAPanicDoesNotHang(t *testing.T) {
	r := &Remote{Topics: Topics{Base: "cattease", Rig: "p"}, conn: &panicOnce{}, waiting: map[uint64]chan Reply{}}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the client's panic did not reach the caller")
			}
		}()
		r.Stop(time.Now())
	}()
	done := make(chan bool, 1)
	go func() { done <- r.Stop(time.Now()).Reason == actuators.ReasonLink }()
	select {
	case ok := <-done:
		if !ok {
			t.Error("a stop over a broken link is not refused with reason link")
		}
	case <-time.After(10 * time.Second): // a guard against a hang, not a timing
		t.Fatal("the second call waits on the lock the panic left held")
	}
}

// panicMoveRig panics on a move, as a bug in the rig would.
type panicMoveRig struct{ *fakeRig }

func (panicMoveRig) MoveTo(time.Time, string, float64) safety.Report { panic("rig bug") }

// TestAgentLockSurvivesAPanickingRig: a request that makes the rig panic
// (recovered by the client and handed on to the run's handler, which
// halts and ends the run) must not leave the agent's lock held: the link
// check, the state publisher and so Run's end would wait on it, and the
// process would hang instead of ending.
func TestAgentLockSurvivesAPanickingRig(t *testing.T) {
	l := newLinkAgent()
	l.Rig = panicMoveRig{l.rig}
	l.conn = &nopPublisher{}
	l.up()
	req, _ := json.Marshal(Request{Session: "s", Seq: 1, Sent: l.now.UnixNano(), Op: OpMoveTo, Name: "pan", Value: 10})
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the rig's panic did not reach the client's recover")
			}
		}()
		l.onRequest(Message{Payload: req})
	}()
	if !l.mu.TryLock() {
		t.Fatal("the agent's lock is still held after the rig panicked")
	}
	l.mu.Unlock()
}
