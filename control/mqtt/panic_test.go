package mqtt

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"

	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// told records what OnPanic is told.
type told struct {
	mu     sync.Mutex
	whats  []string
	stacks []string
	first  chan struct{}
}

func newTold() *told { return &told{first: make(chan struct{})} }

func (p *told) on(what string, value any, stack []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if value != "injected bug" {
		what += " (unexpected value)"
	}
	p.whats = append(p.whats, what)
	p.stacks = append(p.stacks, string(stack))
	if len(p.whats) == 1 {
		close(p.first)
	}
}

// got waits for the first panic told and returns it.
func (p *told) got(t *testing.T) (what, stack string) {
	t.Helper()
	select {
	case <-p.first:
	case <-time.After(10 * time.Second): // a bound: OnPanic is called at once or never
		t.Fatal("OnPanic was not called")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.whats[0], p.stacks[0]
}

func bug() { panic("injected bug") }

// A handler's panic on the client's goroutine (a message the agent or
// the bridge cannot digest) used to end the program at once, the rig's
// outputs as they were: it goes to OnPanic, here over a real broker.
func TestHandlerPanicGoesToOnPanic(t *testing.T) {
	b := mqtttest.Start(t)
	p := newTold()
	c := NewConn(Options{URL: b.URL, OnPanic: p.on})
	c.Handle("cattease/cat/request", func(Message) { bug() })
	ctx, cancel := context.WithCancel(t.Context())
	up := make(chan struct{})
	c.OnUp(func(context.Context) { close(up) })
	ran := make(chan error, 1)
	go func() { ran <- c.Run(ctx, nil) }()
	select {
	case <-up:
	case <-time.After(10 * time.Second):
		t.Fatal("not connected")
	}
	pub := NewConn(Options{URL: b.URL})
	pctx, stopPub := context.WithCancel(t.Context())
	pubUp := make(chan struct{})
	pub.OnUp(func(context.Context) { close(pubUp) })
	pubRan := make(chan error, 1)
	go func() { pubRan <- pub.Run(pctx, nil) }()
	<-pubUp
	if err := pub.Publish(pctx, "cattease/cat/request", []byte("{}"), false, 0); err != nil {
		t.Fatal(err)
	}
	what, stack := p.got(t)
	if what != "the MQTT handler of cattease/cat/request" || !strings.Contains(stack, "(*Conn).receive") {
		t.Errorf("OnPanic told %q, stack:\n%s", what, stack)
	}
	cancel()
	stopPub()
	if err := errors.Join(<-ran, <-pubRan); err != nil {
		t.Error(err)
	}
}

// The OnUp functions run on a goroutine of the client's; the OnDown
// functions and the connection callbacks on its own: a panic in any goes
// to OnPanic.
func TestCallbackPanicsGoToOnPanic(t *testing.T) {
	u := &url.URL{Scheme: "mqtt", Host: "127.0.0.1:1"}
	t.Run("OnUp", func(t *testing.T) {
		p := newTold()
		c := NewConn(Options{OnPanic: p.on})
		c.OnUp(func(context.Context) { bug() })
		c.config(t.Context(), u).OnConnectionUp(new(autopaho.ConnectionManager), nil)
		if what, _ := p.got(t); what != "the MQTT client's subscriptions and OnUp functions" {
			t.Errorf("OnPanic told %q", what)
		}
	})
	t.Run("OnDown", func(t *testing.T) {
		p := newTold()
		c := NewConn(Options{OnPanic: p.on})
		c.OnDown(bug)
		if again := c.config(t.Context(), u).OnConnectionDown(); again {
			t.Error("reconnecting after a panic")
		}
		if what, _ := p.got(t); what != "the MQTT client's OnDown functions" {
			t.Errorf("OnPanic told %q", what)
		}
	})
	t.Run("OnConnectError", func(t *testing.T) {
		p := newTold()
		c := NewConn(Options{OnPanic: p.on, Log: slog.New(panicOn{"mqtt: cannot connect to the broker; trying again"})})
		c.config(t.Context(), u).OnConnectError(errors.New("connection refused"))
		if what, _ := p.got(t); what != "the MQTT client's connection callback" {
			t.Errorf("OnPanic told %q", what)
		}
	})
}

// Without OnPanic a handler's panic goes on, as it did.
func TestHandlerPanicWithoutOnPanicGoesOn(t *testing.T) {
	c := NewConn(Options{})
	c.Handle("cattease/cat/request", func(Message) { bug() })
	var p any
	func() {
		defer func() { p = recover() }()
		c.receive(paho.PublishReceived{Packet: &paho.Publish{Topic: "cattease/cat/request"}})
	}()
	if p != "injected bug" {
		t.Fatalf("recovered %v, want the panic to go on", p)
	}
}

// panicOn is a log handler that panics when msg is logged.
type panicOn struct{ msg string }

func (h panicOn) Enabled(context.Context, slog.Level) bool { return true }
func (h panicOn) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h panicOn) WithGroup(string) slog.Handler            { return h }
func (h panicOn) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		bug()
	}
	return nil
}
