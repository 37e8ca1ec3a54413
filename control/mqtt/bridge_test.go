package mqtt

import (
	"context"
	"log/slog"
	"strings"
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
		b.queue(CmdResume, nil)
		b.queue(CmdEStop, []byte("PRESS")) // the queue is full
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { b.Run(ctx); close(done) }()
		synctest.Wait()
		if !eng.isStopped() {
			t.Error("the emergency stop was dropped, or undone by the resume sent before it")
		}
		b.queue(CmdResume, nil) // after the stop: carried out
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
