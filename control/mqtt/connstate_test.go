package mqtt

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
)

// events records the OnUp and OnDown functions' runs, in order.
type events struct {
	mu  sync.Mutex
	log []string
}

func (e *events) add(s string) { e.mu.Lock(); e.log = append(e.log, s); e.mu.Unlock() }
func (e *events) String() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return strings.Join(e.log, " ")
}

// The connection can come up before autopaho.NewConnection has returned
// to Run (cattease mqtt --unpublish, whose OnUp publishes at once, failed
// with "not connected" in CI): the first OnUp must find the manager that
// Publish uses.
func TestConnUpBeforeRunKnowsManager(t *testing.T) {
	c := NewConn(Options{})
	seen := make(chan sender, 1)
	c.OnUp(func(context.Context) {
		c.mu.Lock()
		seen <- c.cm
		c.mu.Unlock()
	})
	cm := new(autopaho.ConnectionManager)
	c.config(context.Background(), &url.URL{Scheme: "mqtt", Host: "127.0.0.1:1"}).OnConnectionUp(cm, nil)
	if got := <-seen; got != cm {
		t.Fatalf("OnUp saw manager %p, want %p", got, cm)
	}
}

// A connection that drops before its connected handler ran: the handler
// must not count it up nor run OnUp after the OnDown.
func TestConnStaleConnectedDoesNothing(t *testing.T) {
	var ev events
	c := NewConn(Options{})
	c.OnUp(func(context.Context) { ev.add("up") })
	c.OnDown(func() { ev.add("down") })
	gen := c.nextGen()
	c.disconnected()
	c.connected(context.Background(), nil, gen)
	if c.Up() {
		t.Error("up after the drop")
	}
	if got := ev.String(); got != "down" {
		t.Errorf("events %q, want %q", got, "down")
	}
}

// A drop while the OnUp functions run cancels their context and runs the
// OnDown functions after them, never before.
func TestConnDownWaitsForUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var ev events
		c := NewConn(Options{})
		entered := make(chan struct{})
		c.OnUp(func(ctx context.Context) {
			ev.add("up")
			close(entered)
			<-ctx.Done() // a publish waiting for the broker
			ev.add("up done")
		})
		c.OnDown(func() { ev.add("down") })
		done := make(chan struct{})
		go func() { c.connected(context.Background(), nil, c.nextGen()); close(done) }()
		<-entered
		c.disconnected()
		<-done
		if c.Up() {
			t.Error("up after the drop")
		}
		if got, want := ev.String(), "up up done down"; got != want {
			t.Errorf("events %q, want %q", got, want)
		}
	})
}

// failingSubscriber refuses the first n subscriptions.
type failingSubscriber struct {
	mu    sync.Mutex
	n     int
	tries int
}

func (f *failingSubscriber) Subscribe(context.Context, *paho.Subscribe) (*paho.Suback, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tries++
	if f.tries <= f.n {
		return nil, errors.New("failed to subscribe to topic: not authorized")
	}
	return &paho.Suback{}, nil
}

// A failed subscription is a failed connection: not up, no OnUp, until a
// retry succeeds; a drop meanwhile ends the retries.
func TestConnFailedSubscribeIsNotUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var ev events
		c := NewConn(Options{})
		c.Handle("cattease/t/agent/req", func(Message) {})
		c.OnUp(func(context.Context) { ev.add("up") })
		sub := &failingSubscriber{n: 2}
		done := make(chan struct{})
		go func() { c.connected(context.Background(), sub, c.nextGen()); close(done) }()
		synctest.Wait()
		if c.Up() || ev.String() != "" {
			t.Fatalf("up %v, events %q after a failed subscription", c.Up(), ev.String())
		}
		<-done
		if !c.Up() || ev.String() != "up" || sub.tries != 3 {
			t.Errorf("after the retries: up %v, events %q, tries %d", c.Up(), ev.String(), sub.tries)
		}

		never := &failingSubscriber{n: 1 << 30}
		c.disconnected()
		done = make(chan struct{})
		go func() { c.connected(context.Background(), never, c.nextGen()); close(done) }()
		synctest.Wait()
		c.disconnected()
		<-done
		if c.Up() {
			t.Error("up with the subscription never made")
		}
	})
}

// slowAck is a connection manager whose publications wait for an
// acknowledgement that never comes, until the client's packet timeout.
type slowAck struct{}

func (slowAck) Publish(ctx context.Context, _ *paho.Publish) (*paho.PublishResponse, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(10 * time.Second): // paho's PacketTimeout
		return nil, errors.New("timeout")
	}
}

// A retained publication waits for the broker's acknowledgement while the
// connection it went out on lasts: at the drop it fails at once, rather
// than after the client's packet timeout, so that the bridge announces
// itself on the next connection without that wait (and a QoS 0 one never
// waits).
func TestConnPublishEndsAtTheDrop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := NewConn(Options{})
		c.cm = slowAck{}
		c.connected(context.Background(), nil, c.nextGen()) // no topics: nothing to subscribe
		took := make(chan time.Duration, 1)
		go func() {
			start := time.Now()
			if err := c.Publish(context.Background(), "cattease/t/state", []byte("{}"), true, 0); err == nil {
				t.Error("published, with no acknowledgement")
			}
			took <- time.Since(start)
		}()
		synctest.Wait()
		select {
		case d := <-took:
			t.Fatalf("returned after %v, before the drop", d)
		default:
		}
		c.disconnected()
		if d := <-took; d != 0 {
			t.Errorf("returned %v after the drop, want at once", d)
		}
	})
}

// heldSend is a connection manager whose publications go out when the
// test lets them, whatever their context says (paho writes a QoS 1
// message whose context has ended if a slot is free).
type heldSend struct{ release chan struct{} }

func (h heldSend) Publish(context.Context, *paho.Publish) (*paho.PublishResponse, error) {
	<-h.release
	return &paho.PublishResponse{}, nil
}

// The goodbye is the last word on the will topic: Run's closing waits for
// the publications under way (a bridge's "online" after "offline" would
// show a stopped cattease as available) and refuses new ones.
func TestConnGoodbyeWaitsForPublications(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := NewConn(Options{})
		h := heldSend{make(chan struct{})}
		c.cm = h
		c.connected(context.Background(), nil, c.nextGen())
		go c.Publish(context.Background(), "cattease/t/availability", []byte("online"), true, 0)
		synctest.Wait()
		closed := make(chan struct{})
		go func() { c.closeSending(context.Background()); close(closed) }()
		synctest.Wait()
		select {
		case <-closed:
			t.Fatal("closed while a publication was under way")
		default:
		}
		if err := c.Publish(context.Background(), "cattease/t/state", []byte("{}"), false, 0); err == nil {
			t.Error("a publication started while closing")
		}
		close(h.release)
		<-closed
	})
}
