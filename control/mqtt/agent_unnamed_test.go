package mqtt

import (
	"context"
	"encoding/json"
	"testing"
	"testing/synctest"
	"time"
)

// A laser the run side's heartbeat does not name yet ("dot", named
// otherwise on the Pi) is held dark with the link up, and the Pi's panel
// allow leaves it so until a heartbeat names it: the run side's forbid
// (chat's 关激光 given before the agent was heard from) reaches it before
// that heartbeat. Before, the Pi's allow with the link up lit it at once,
// some 350 ms before the run's forbid landed.
func TestPisAllowLeavesALaserNotNamedYetDark(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "pi"}, logs: &syncBuffer{}}
		env := &envRig{}
		s.startAgentOn(dotRig{env}, env)
		run := s.b.client() // the run side's heartbeats, by hand
		beat := func(lasers ...string) {
			b, _ := json.Marshal(Heartbeat{Session: "run", Sent: time.Now().UnixNano(), Lasers: lasers})
			if err := run.Publish(ctx, s.tp.Heartbeat(), b, false, 0); err != nil {
				t.Fatal(err)
			}
		}
		beat("laser")
		time.Sleep(200 * time.Millisecond)
		beat("laser")
		if !s.agent.Link() {
			t.Fatal("link not up")
		}
		if _, allowed, _ := env.is(); allowed {
			t.Fatal("dot allowed before the run side names it")
		}
		if !s.agent.Enable("dot", true) { // the Pi's panel
			t.Error("the Pi's allow was not taken (to be given back)")
		}
		if _, allowed, _ := env.is(); allowed {
			t.Error("the Pi's allow lit dot before the run side named it")
		}
		time.Sleep(200 * time.Millisecond)
		beat("laser", "dot")
		time.Sleep(200 * time.Millisecond)
		if _, allowed, _ := env.is(); !allowed {
			t.Error("dot not given back once the run side names it")
		}
	})
}

// A laser held dark until the run side names it is still given back when
// the link, lost meanwhile, comes back with a heartbeat that names it.
// Before, the link's loss forgot it (it was forbidden already), and it
// stayed forbidden for good.
func TestALaserNotNamedYetOutlivesALinkLoss(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "pi"}, logs: &syncBuffer{}}
		env := &envRig{}
		s.startAgentOn(dotRig{env}, env)
		run := s.b.client()
		beat := func(lasers ...string) {
			b, _ := json.Marshal(Heartbeat{Session: "run", Sent: time.Now().UnixNano(), Lasers: lasers})
			if err := run.Publish(ctx, s.tp.Heartbeat(), b, false, 0); err != nil {
				t.Fatal(err)
			}
		}
		beat("laser")
		time.Sleep(200 * time.Millisecond)
		beat("laser")
		time.Sleep(2 * time.Second) // the link lost
		if s.agent.Link() {
			t.Fatal("link still up")
		}
		beat("laser", "dot")
		time.Sleep(200 * time.Millisecond)
		if _, allowed, _ := env.is(); !allowed || !s.agent.Link() {
			t.Errorf("dot allowed %v, link %v: not given back when the run side named it", allowed, s.agent.Link())
		}
	})
}
