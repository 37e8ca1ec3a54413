package mqtt

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Home Assistant's emergency stop is carried out even when a flood of
// commands fills the queue, before them, and a resume that came before it
// does not undo it.
func TestBridgeEStopIsNeverDropped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		eng := &fakeEngine{policy: "queue"}
		b := &Bridge{Topics: Topics{Base: "cattease", Rig: "t"}, Engine: eng, Rig: &fakeRig{}, Control: true}
		b.Attach(NewConn(Options{URL: "mqtt://127.0.0.1:1"})) // never run: publishing fails
		for range cap(b.cmds) - 1 {
			b.queue(CmdPattern, []byte("circle"))
		}
		b.queue(CmdResume, []byte("PRESS"))
		b.queue(CmdEStop, []byte("PRESS")) // the queue is full
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { b.Run(ctx); close(done) }()
		synctest.Wait()
		if !eng.isStopped() {
			t.Error("the emergency stop was dropped, or undone by the resume sent before it")
		}
		b.queue(CmdResume, []byte("PRESS")) // after the stop: carried out
		synctest.Wait()
		if eng.isStopped() {
			t.Error("a resume after the emergency stop was ignored")
		}
		cancel()
		<-done
	})
}

// refusingRig refuses every laser permission, as a remote rig does when
// its agent does not answer.
type refusingRig struct{ *fakeRig }

func (refusingRig) Enable(string, bool) bool { return false }

// The laser command's refusal is logged as one, not as done.
func TestBridgeLogsRefusedLaserCommand(t *testing.T) {
	var logs syncBuffer
	rig := refusingRig{&fakeRig{}}
	b := &Bridge{Engine: &fakeEngine{rig: rig}, Rig: rig,
		Log: slog.New(slog.NewTextHandler(&logs, nil))}
	b.wake = make(chan struct{}, 1)
	b.command(CmdLaser, "OFF")
	if got := logs.String(); !strings.Contains(got, "level=WARN") || !strings.Contains(got, "refused for laser") {
		t.Errorf("log after a refused laser command:\n%s", got)
	}
}

// onlineRig is a rig on an agent that answers or not.
type onlineRig struct {
	*fakeRig
	up bool
}

func (r onlineRig) Online() bool { return r.up }

// The published state says whether a rig on an agent answers; a local
// rig's state has no link at all.
func TestBridgeStateLink(t *testing.T) {
	for _, c := range []struct {
		rig  Rig
		want string
	}{{&fakeRig{}, ""}, {onlineRig{&fakeRig{}, true}, "up"}, {onlineRig{&fakeRig{}, false}, "lost"}} {
		b := &Bridge{Engine: &fakeEngine{}, Rig: c.rig}
		if got := b.state(time.Now()).Link; got != c.want {
			t.Errorf("%T: link %q, want %q", c.rig, got, c.want)
		}
	}
}

// heldPublisher records what is published; a publication on a held topic
// waits until the test lets it go (or ctx ends), as one does for the
// broker's acknowledgement.
type heldPublisher struct {
	mu      sync.Mutex
	held    string        // the topic that waits; "#" every topic
	release chan struct{} // closed: held publications finish
	waiting int           // publications waiting now
	sent    []string      // the topics published, in order
}

func (p *heldPublisher) Publish(ctx context.Context, topic string, _ []byte, _ bool, _ uint32) error {
	p.mu.Lock()
	hold := p.held == "#" || p.held == topic
	if hold {
		p.waiting++
	}
	p.mu.Unlock()
	if hold {
		select {
		case <-p.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if hold {
		p.waiting--
	}
	p.sent = append(p.sent, topic)
	return nil
}

func (p *heldPublisher) topics() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.sent)
}

// A reconnection while the state is being published (the broker restarted
// under it) still brings a fresh announcement: availability "online" for
// Home Assistant (and discovery, when on). Before, the state's success cleared
// the reconnection's mark, and the rig stayed unavailable until the next
// reconnection.
func TestBridgeAnnouncesAConnectionMadeWhilePublishing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tp := Topics{Base: "cattease", Rig: "t"}
		p := &heldPublisher{held: tp.State(), release: make(chan struct{})}
		b := &Bridge{Topics: tp, Engine: &fakeEngine{policy: "queue"}, Rig: &fakeRig{}}
		b.init(p)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go b.Run(ctx)
		b.connected()
		synctest.Wait() // "online" is out; the state waits
		b.connected()   // a new connection meanwhile
		close(p.release)
		synctest.Wait()
		time.Sleep(time.Second) // five more rounds
		synctest.Wait()
		want := []string{tp.Availability(), tp.State(), tp.Availability(), tp.State()}
		if got := p.topics(); !slices.Equal(got, want) {
			t.Errorf("published %q, want %q", got, want)
		}
	})
}

// Home Assistant's emergency stop is carried out at once even while a
// publication waits for an acknowledgement that may never come (up to the
// client's packet timeout of 10 s, when the broker hangs).
func TestBridgeEStopDoesNotWaitForPublishing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &heldPublisher{held: "#", release: make(chan struct{})}
		eng := &fakeEngine{policy: "queue"}
		b := &Bridge{Topics: Topics{Base: "cattease", Rig: "t"}, Engine: eng, Rig: &fakeRig{}, Control: true}
		b.init(p)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { b.Run(ctx); close(done) }()
		b.connected()
		synctest.Wait()
		p.mu.Lock()
		waiting := p.waiting
		p.mu.Unlock()
		if waiting != 1 {
			t.Fatalf("%d publications waiting, want 1", waiting)
		}
		b.queue(CmdEStop, []byte("PRESS"))
		synctest.Wait()
		if !eng.isStopped() {
			t.Error("the emergency stop waited for a publication")
		}
		cancel()
		<-done // Run ends, and the publication it waited for with it
	})
}

// panicEngine fails while carrying out an emergency stop.
type panicEngine struct{ *fakeEngine }

func (panicEngine) Stop(time.Time) { panic("engine broken") }

// A panic while carrying out a command ends Run (and so the process, with
// its will and its halt) rather than leaving a bridge that publishes a
// healthy state but carries out nothing.
func TestBridgePanicEndsRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := &Bridge{Topics: Topics{Base: "cattease", Rig: "t"}, Engine: panicEngine{&fakeEngine{}}, Rig: &fakeRig{}, Control: true}
		b.init(&heldPublisher{})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		got := make(chan any, 1)
		go func() {
			defer func() { got <- recover() }()
			b.Run(ctx)
		}()
		b.queue(CmdEStop, nil)
		synctest.Wait()
		select {
		case p := <-got:
			if p != "engine broken" {
				t.Errorf("Run ended with %v", p)
			}
		default:
			t.Fatal("Run still running after a panic")
		}
	})
}
