package mqtt

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// Two rigs under the run's stop, cat held by its own Home Assistant
// device's stop too, kitten's Pi out of reach: the run's resume takes on
// no rig, so the engine stays stopped and the run's stop holds on cat.
// A device's Resume of cat given while the resume waits for kitten's
// report leaves cat stopped. Before, the run's stop was lifted on cat
// during that wait (up to ReplyWait) and put back only after it: the
// device's Resume found nothing but its own stop and let cat play, for a
// second or so, under a run that stayed stopped.
func TestFanoutResumeLeavesAHeldRigStoppedMeanwhile(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		b := &memBroker{}
		cat := &memSplit{t: t, ctx: ctx, b: b, tp: Topics{Base: "cattease", Rig: "cat"}, logs: &syncBuffer{}}
		kitten := &memSplit{t: t, ctx: ctx, b: b, tp: Topics{Base: "cattease", Rig: "kitten"}, logs: &syncBuffer{}}
		for _, s := range []*memSplit{cat, kitten} {
			s.startAgent(&envRig{})
			s.startRun("")
		}
		time.Sleep(time.Second)
		fan := Fanout{cat.remote, kitten.remote}
		cat.remote.Hold(time.Now()) // cat's device
		fan.Stop(time.Now())        // the run's
		time.Sleep(time.Second)
		kitten.agentLink.down() // kitten's Pi out of reach: its report will not come
		done := make(chan bool, 1)
		go func() { done <- fan.Resume(time.Now()).Refused }()
		time.Sleep(ReplyWait / 5)
		err := cat.remote.Release(time.Now()) // cat's device's Resume, meanwhile
		if refused := <-done; !refused {
			t.Fatal("the run's resume was taken with no rig to take it")
		}
		if err == nil {
			t.Error("cat's device's Resume under the run's stop answered no error")
		}
		for range 20 {
			if stopped, _, _ := cat.rig.is(); !stopped {
				t.Fatalf("cat plays under the run's stop after its device's Resume: %v", err)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if !cat.remote.RunStopped() {
			t.Error("the run's stop does not hold on cat")
		}
	})
}

// The run's resume another rig takes lifts the run's stop on a rig its
// device holds too (after the fan-out): the device's stop alone holds it,
// and that device's Resume lets it play.
func TestFanoutResumeTakenLiftsTheRunsStopOnAHeldRig(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		b := &memBroker{}
		cat := &memSplit{t: t, ctx: ctx, b: b, tp: Topics{Base: "cattease", Rig: "cat"}, logs: &syncBuffer{}}
		kitten := &memSplit{t: t, ctx: ctx, b: b, tp: Topics{Base: "cattease", Rig: "kitten"}, logs: &syncBuffer{}}
		for _, s := range []*memSplit{cat, kitten} {
			s.startAgent(&envRig{})
			s.startRun("")
		}
		time.Sleep(time.Second)
		fan := Fanout{cat.remote, kitten.remote}
		cat.remote.Hold(time.Now())
		fan.Stop(time.Now())
		time.Sleep(time.Second)
		if rep := fan.Resume(time.Now()); rep.Refused {
			t.Fatalf("the run's resume kitten takes: %+v", rep)
		}
		if cat.remote.RunStopped() {
			t.Error("the run resumed, its stop still holds on cat")
		}
		if stopped, _, _ := cat.rig.is(); !stopped {
			t.Error("cat plays under its device's stop")
		}
		if stopped, _, _ := kitten.rig.is(); stopped {
			t.Error("kitten stays stopped after the run's resume")
		}
		if err := cat.remote.Release(time.Now()); err != nil {
			t.Errorf("cat's device's Resume: %v", err)
		}
		time.Sleep(time.Second)
		if stopped, _, _ := cat.rig.is(); stopped {
			t.Error("cat stays stopped after its device's Resume")
		}
		if !cat.said("held by Home Assistant's Emergency stop of its own device") {
			t.Errorf("not said that cat's device holds it:\n%s", cat.logs.String())
		}
	})
}
