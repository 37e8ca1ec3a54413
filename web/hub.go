package web

import (
	"errors"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/cattease/cattease/control"
)

// Bounds of the broadcaster.
const (
	MaxClients   = 16 // event streams at once; more get 503 (and streamsPerClient a client on the network)
	clientQueue  = 4  // frames queued per client before drop-and-resync
	maxBatch     = 32 // decisions carried by one frame; the rest are counted as missed
	FeedSize     = 8  // accepted commands on the overlay's feed
	maxFeedback  = 8  // distinct refusal lines tracked at once
	feedbackLife = 5 * time.Second
)

// client is one event stream. Only the broadcaster sends on ch, under
// hub.mu.
type client struct {
	ch      chan []byte
	dropped uint64 // frames dropped for this client; guarded by hub.mu
	key     netip.Prefix
	shared  bool          // counted in hub.shares under key
	n       uint64        // when it subscribed, in subscriptions: the newest has the highest
	evicted chan struct{} // closed when a client holding fewer takes its place
}

// hub fans frames out to event streams and collects what arrives between
// frames. Its mutex is held only for short, non-blocking work.
type hub struct {
	srv  *Server
	kick chan struct{} // 1 slot: "something changed"

	mu      sync.Mutex
	clients map[*client]struct{}
	shares  map[netip.Prefix]int // streams open by client, of those with a share
	subs    uint64               // subscriptions so far
	running bool
	done    chan struct{} // closed when the running loop exits
	seq     uint64
	batch   []noted // non-ignored decisions since the last frame
	missed  int     // decisions that did not fit in batch
	feed    feed
	refuse  feedback
	// unkeyed numbers the decisions whose event has no ID (see noted);
	// it starts at random, so that a page left open across a restart
	// does not take a new decision for one it saw before.
	unkeyed uint64
}

func newHub(s *Server) *hub {
	return &hub{srv: s, kick: make(chan struct{}, 1), clients: map[*client]struct{}{}, shares: map[netip.Prefix]int{},
		batch: make([]noted, 0, maxBatch), unkeyed: rand.Uint64() >> 1}
}

// wake asks for a frame soon. Never blocks.
func (h *hub) wake() {
	select {
	case h.kick <- struct{}{}:
	default:
	}
}

// decision records d for the next frame. Never blocks for long: a short
// critical section with no allocation once the buffers have grown.
func (h *hub) decision(d control.Decision) {
	if d.Outcome == control.Ignored {
		return
	}
	h.mu.Lock()
	n := noted{Decision: d}
	if d.EventID == "" {
		h.unkeyed++
		n.n = h.unkeyed
	}
	if len(h.batch) < maxBatch {
		h.batch = append(h.batch, n)
	} else {
		h.missed++
	}
	switch d.Outcome {
	case control.Accepted:
		h.feed.add(n)
	case control.Dropped:
		h.feed.update(n)
		h.refuse.add(d)
	}
	h.mu.Unlock()
	h.wake()
}

// Why subscribe refuses a stream.
var (
	errStreamsFull  = errors.New("web: too many event streams")
	errStreamsShare = errors.New("web: too many event streams from this address")
)

// subscribe adds an event stream, starting the broadcaster if it is the
// first. It fails when MaxClients streams are open, or, with shared, when
// the client key has streamsPerClient open. With MaxClients open, a
// shared client holding fewer than the client holding the most takes the
// newest stream of that one, which is told by its evicted channel
// (fair-share eviction: that client still holds at least as many as key).
func (h *hub) subscribe(key netip.Prefix, shared bool) (*client, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if shared && h.shares[key] >= streamsPerClient {
		return nil, errStreamsShare
	}
	if len(h.clients) >= MaxClients && !(shared && h.evict(h.shares[key])) {
		return nil, errStreamsFull
	}
	h.subs++
	c := &client{ch: make(chan []byte, clientQueue), key: key, shared: shared, n: h.subs, evicted: make(chan struct{})}
	h.clients[c] = struct{}{}
	if shared {
		h.shares[key]++
	}
	if !h.running {
		h.running, h.done = true, make(chan struct{})
		h.batch, h.missed = h.batch[:0], 0 // old news for a new audience
		go h.loop(h.done)
	}
	h.wake()
	return c, nil
}

// evict ends the newest stream of the shared client holding the most, if
// it holds more than mine, and reports whether it did. Caller holds h.mu.
func (h *hub) evict(mine int) bool {
	var most netip.Prefix
	found := false
	for k, n := range h.shares {
		if !found || n > h.shares[most] {
			most, found = k, true
		}
	}
	if !found || h.shares[most] <= mine {
		return false
	}
	var victim *client
	for c := range h.clients {
		if c.shared && c.key == most && (victim == nil || c.n > victim.n) {
			victim = c
		}
	}
	h.remove(victim)
	close(victim.evicted)
	return true
}

// remove forgets c, if it is still there. Caller holds h.mu.
func (h *hub) remove(c *client) {
	if _, ok := h.clients[c]; ok && c.shared {
		if h.shares[c.key]--; h.shares[c.key] <= 0 {
			delete(h.shares, c.key)
		}
	}
	delete(h.clients, c)
}

func (h *hub) unsubscribe(c *client) {
	h.mu.Lock()
	h.remove(c)
	h.mu.Unlock()
	h.wake() // let the loop notice it is alone
}

// wait returns once the broadcaster, if any, has exited.
func (h *hub) wait() {
	h.mu.Lock()
	done := h.done
	h.mu.Unlock()
	if done != nil {
		<-done
	}
}

// loop sends frames while anyone listens: on a wake, no sooner than
// MinFrameGap after the last frame, and after IdleFrameGap without one.
func (h *hub) loop(done chan struct{}) {
	defer close(done)
	defer h.srv.recoverPanic("the web server's event broadcaster")
	idle := time.NewTimer(0)
	defer idle.Stop()
	var last time.Time
	for {
		select {
		case <-h.kick:
		case <-idle.C:
		}
		if gap := MinFrameGap - time.Since(last); gap > 0 && !last.IsZero() {
			idle.Reset(gap)
			<-idle.C // wakes meanwhile stay in kick's slot: coalesced
		}
		if !h.broadcast() {
			return
		}
		last = time.Now()
		idle.Reset(IdleFrameGap)
	}
}

// broadcast builds one frame and queues it for every client. It reports
// false, and marks the loop stopped, when nobody is listening.
func (h *hub) broadcast() bool {
	h.mu.Lock()
	if len(h.clients) == 0 {
		h.running = false
		h.mu.Unlock()
		return false
	}
	h.seq++
	seq := h.seq
	batch := append([]noted(nil), h.batch...)
	missed := h.missed
	h.batch, h.missed = h.batch[:0], 0
	h.mu.Unlock()

	// frame calls the engine and the rig: no hub lock may be held.
	msg := sseMessage(seq, h.srv.frame(seq, keyed(batch), missed))
	h.mu.Lock()
	for c := range h.clients {
		h.deliver(c, msg)
	}
	h.mu.Unlock()
	if m := h.srv.Metrics; m != nil {
		m.frames.Inc()
	}
	return true
}

// deliver queues msg for c; a full queue is emptied first, since every
// frame is a complete state (drop and resync). Caller holds h.mu.
func (h *hub) deliver(c *client, msg []byte) {
	select {
	case c.ch <- msg:
		return
	default:
	}
	n := 0
	for len(c.ch) > 0 {
		select {
		case <-c.ch:
			n++
		default:
		}
	}
	c.dropped += uint64(n)
	if m := h.srv.Metrics; m != nil {
		m.dropped.Add(float64(n))
	}
	select {
	case c.ch <- msg:
	default:
	}
}

// snapshot copies the feed and the live refusal lines at now.
func (h *hub) snapshot(now time.Time) ([]KeyedDecision, []Refusal) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.feed.list(), h.refuse.list(now)
}

// sseMessage formats one "state" event.
func sseMessage(seq uint64, data []byte) []byte {
	msg := make([]byte, 0, len(data)+48)
	msg = append(msg, "event: state\nid: "...)
	msg = strconv.AppendUint(msg, seq, 10)
	msg = append(msg, "\ndata: "...)
	msg = append(msg, data...)
	return append(msg, "\n\n"...)
}
