package mqtt

import (
	"context"
	"testing"
	"testing/synctest"
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
