package web

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
)

// panickyRig's Snapshot panics once armed: a bug in a frame's building.
type panickyRig struct {
	Rig
	armed chan struct{}
}

func (r panickyRig) Snapshot() safety.State {
	select {
	case <-r.armed:
		panic("injected bug")
	default:
		return r.Rig.Snapshot()
	}
}

// panics records what OnPanic is told, and cancels the run at the first.
type panics struct {
	mu     sync.Mutex
	whats  []string
	stacks []string
	cancel context.CancelFunc
	first  chan struct{}
}

func newPanics(cancel context.CancelFunc) *panics {
	return &panics{cancel: cancel, first: make(chan struct{})}
}

func (p *panics) on(what string, value any, stack []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if value != "injected bug" {
		what += " (unexpected value)"
	}
	p.whats = append(p.whats, what)
	p.stacks = append(p.stacks, string(stack))
	if len(p.whats) == 1 {
		close(p.first)
		p.cancel()
	}
}

func (p *panics) got(t *testing.T) (what, stack string) {
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

// serveWithPanics serves s on 127.0.0.1 with OnPanic recording, until
// the first panic; it returns the base URL and Serve's result.
func serveWithPanics(t *testing.T, s *Server, ln net.Listener) (string, *panics, <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	p := newPanics(cancel)
	s.OnPanic = p.on
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	return "http://" + ln.Addr().String(), p, served
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// A panic in the event broadcaster (it builds every frame on a goroutine
// of its own) used to end the program at once, outputs as they were: it
// goes to OnPanic, with its stack, and the server stops when told to.
func TestBroadcasterPanicGoesToOnPanic(t *testing.T) {
	s, _, rig := newTestServer("")
	armed := make(chan struct{})
	s.Rig = panickyRig{rig, armed}
	url, p, served := serveWithPanics(t, s, listen(t))
	close(armed)
	res, err := http.Get(url + "/api/events")
	if err == nil {
		defer res.Body.Close()
		go io.Copy(io.Discard, res.Body)
	}
	what, stack := p.got(t)
	if what != "the web server's event broadcaster" || !strings.Contains(stack, "(*hub).loop") {
		t.Errorf("OnPanic told %q, stack:\n%s", what, stack)
	}
	if err := <-served; err != context.Canceled {
		t.Errorf("Serve after the panic: %v", err)
	}
}

// A panic in a request's handler goes to OnPanic too (net/http would
// only log it, at debug level here, and go on with whatever state the
// panic left), and the request is dropped.
func TestHandlerPanicGoesToOnPanic(t *testing.T) {
	s, _, rig := newTestServer("")
	armed := make(chan struct{})
	s.Rig = panickyRig{rig, armed}
	url, p, served := serveWithPanics(t, s, listen(t))
	close(armed)
	if res, err := http.Get(url + "/api/status"); err == nil {
		res.Body.Close()
		t.Errorf("a panicking request answered %s", res.Status)
	}
	if what, _ := p.got(t); what != "a web request to /api/status" {
		t.Errorf("OnPanic told %q", what)
	}
	<-served
}

// panickyListener's Accept panics.
type panickyListener struct{ net.Listener }

func (panickyListener) Accept() (net.Conn, error) { panic("injected bug") }

// A panic on the accept loop goes to OnPanic, and Serve returns.
func TestAcceptPanicGoesToOnPanic(t *testing.T) {
	s, _, _ := newTestServer("")
	ln := listen(t)
	defer ln.Close()
	_, p, served := serveWithPanics(t, s, panickyListener{ln})
	if what, _ := p.got(t); what != "the web server's accept loop" {
		t.Errorf("OnPanic told %q", what)
	}
	if err := <-served; err == nil {
		t.Error("Serve returned no error after its accept loop panicked")
	}
}

// Without OnPanic a panic goes on, as it did.
func TestPanicWithoutOnPanicGoesOn(t *testing.T) {
	s, _, _ := newTestServer("")
	var p any
	func() {
		defer func() { p = recover() }()
		defer s.recoverPanic("the web server's event broadcaster")
		panic("injected bug")
	}()
	if p != "injected bug" {
		t.Fatalf("recovered %v, want the panic to go on", p)
	}
}
