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
