package mqtt

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
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
