package mqtt

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"
)

// seqPublisher records the sequence numbers of the requests published,
// and answers none (every call counts as refused: link).
type seqPublisher struct {
	mu   sync.Mutex
	seqs []uint64
}

func (p *seqPublisher) Publish(_ context.Context, _ string, b []byte, _ bool, _ uint32) error {
	var r Request
	json.Unmarshal(b, &r)
	runtime.Gosched()
	p.mu.Lock()
	p.seqs = append(p.seqs, r.Seq)
	p.mu.Unlock()
	return errors.New("mqtt: test: not connected")
}

// Concurrent callers publish their requests in sequence order, so that
// the agent never refuses one for being older than one sent after it.
func TestRemotePublishesInSequenceOrder(t *testing.T) {
	p := &seqPublisher{}
	r := &Remote{conn: p, session: "s", waiting: map[uint64]chan Reply{}}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for range 200 {
				r.Switch(time.Time{}, "laser", g%2 == 0, 0)
			}
		})
	}
	wg.Wait()
	for i := 1; i < len(p.seqs); i++ {
		if p.seqs[i] <= p.seqs[i-1] {
			t.Fatalf("request %d published after %d", p.seqs[i], p.seqs[i-1])
		}
	}
	if len(p.seqs) != 1600 {
		t.Errorf("%d requests published, want 1600", len(p.seqs))
	}
}

// A remote whose agent has said nothing for longer than a link may be
// quiet refuses a request at once, without publishing it and waiting for
// a report under the engine's lock; what can only make things safer is
// still sent. A state from the agent makes it try again.
func TestRemoteSilentAgentFailsFast(t *testing.T) {
	p := &seqPublisher{}
	now := time.Unix(1000, 0)
	r := &Remote{conn: p, session: "s", waiting: map[uint64]chan Reply{}, Now: func() time.Time { return now }}
	if r.silent() {
		t.Fatal("silent before Run started")
	}
	r.started = now
	now = now.Add(LinkTimeout)
	if r.silent() {
		t.Fatal("silent within the link's timeout")
	}
	now = now.Add(time.Second)
	if rep := r.MoveBy(now, "pan", 1); !rep.Refused || rep.Reason != "link" || len(p.seqs) != 0 {
		t.Fatalf("move to a silent agent: %+v, %d published", rep, len(p.seqs))
	}
	r.Home(now) // a stop would refuse the move below: the run's stop holds here
	r.Enable("laser", false)
	if len(p.seqs) != 2 {
		t.Fatalf("%d safer requests published, want the park and the laser forbidden", len(p.seqs))
	}
	b, _ := json.Marshal(agentState{Link: true})
	r.onState(Message{Payload: b})
	r.MoveBy(now, "pan", 1)
	if len(p.seqs) != 3 {
		t.Fatal("a move after the agent spoke was not sent")
	}
}
