package mqtt

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// Chat's 关激光 given before the run side heard from the agent (the Pi
// booting, the broker down) went to the lasers known then, the rules'
// "laser"; the Pi names its laser "dot", and when the agent came nothing
// forbade dot: autoplay lit it under chat's forbid. The run side now
// forbids dot too when the agent's state first names it, as the forbid
// of the rules' laser stands for it.
func TestRev7ForbidBeforeStateMissesDot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "pi"}, logs: &syncBuffer{}}
		s.startRun("")
		fan := Fanout{s.remote}
		for _, n := range fan.LaserNames() {
			fan.EnableChatReason(n, false) // engine's 关激光
		}
		env := &envRig{}
		s.startAgentOn(dotRig{env}, env)
		time.Sleep(5 * time.Second)
		if _, allowed, _ := env.is(); allowed {
			t.Errorf("dot allowed while chat's 关激光 holds (run forbids %v)", s.remote.RunForbidden())
		}
	})
}

// The laser named otherwise on the Pi is never given back before the run
// side's forbid reaches it: the agent holds it dark from its start until
// a heartbeat names it, and the run side names it only after forbidding
// it. Chat's 开激光 of the rules' laser then lifts it with it; the forbid
// is kept in the rig's file meanwhile, and the warning says what holds.
func TestForbidBeforeStateFollowsToThePisLaser(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		file := filepath.Join(t.TempDir(), "kept.json")
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "pi"}, logs: &syncBuffer{}}
		s.startRun(file)
		fan := Fanout{s.remote}
		if why := fan.EnableChatReason("laser", false); why != "" {
			t.Fatalf("关激光 with no agent: %q, want held on the run side", why)
		}
		env := &envRig{}
		s.startAgentOn(dotRig{env}, env)
		time.Sleep(5 * time.Second)
		env.mu.Lock()
		given := env.allowedRunning
		env.mu.Unlock()
		if given != 0 {
			t.Errorf("the agent gave dot back %d times under chat's 关激光", given)
		}
		if got := s.remote.RunForbidden(); !slices.Equal(got, []string{"dot", "laser"}) {
			t.Errorf("run forbids %v, want [dot laser]", got)
		}
		b, err := os.ReadFile(file)
		var k kept
		if err != nil || json.Unmarshal(b, &k) != nil || !slices.Equal(k.RunForbidden, []string{"dot", "laser"}) {
			t.Errorf("the rig's file: %s %v, want run_forbidden [dot laser]", b, err)
		}
		if s.said("reaches it all the same") || !s.said("forbidden_by_run=[dot]") {
			t.Errorf("the warning does not say what holds:\n%s", s.logs.String())
		}
		if why := fan.EnableChatReason("laser", true); why != "" {
			t.Errorf("开激光: %q", why)
		}
		time.Sleep(time.Second)
		if _, allowed, _ := env.is(); !allowed {
			t.Errorf("dot stays forbidden after chat's 开激光 (run forbids %v)", s.remote.RunForbidden())
		}
		if got := s.remote.RunForbidden(); len(got) != 0 {
			t.Errorf("run forbids %v after 开激光", got)
		}
	})
}

// A Home Assistant device's forbid given before the agent was heard from
// reaches the Pi's laser named otherwise too, and its allow lifts it.
func TestDeviceForbidBeforeStateFollowsToThePisLaser(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "pi"}, logs: &syncBuffer{}}
		s.startRun("")
		s.remote.Allow("laser", false)
		env := &envRig{}
		s.startAgentOn(dotRig{env}, env)
		time.Sleep(5 * time.Second)
		if _, allowed, _ := env.is(); allowed {
			t.Error("dot allowed while the device forbids the lasers")
		}
		if err := s.remote.Allow("laser", true); err != nil && !strings.Contains(err.Error(), "unknown_output") {
			t.Errorf("the device's allow: %v", err)
		}
		time.Sleep(time.Second)
		if _, allowed, _ := env.is(); !allowed {
			t.Error("dot stays forbidden after the device's allow")
		}
	})
}

// The agent gives a laser held dark since its start back only once the
// run side's heartbeat names it: a heartbeat that names only the rules'
// laser (the run side has not read the agent's state yet, and so has not
// forbidden dot by chat's 关激光) leaves dot dark. Before, the first
// heartbeat gave dot back, lit until the run side's forbid came.
func TestAgentHoldsALaserTheRunSideDoesNotName(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "pi"}, logs: &syncBuffer{}}
		env := &envRig{}
		s.startAgentOn(dotRig{env}, env)
		run := s.b.client()
		beat := func(lasers ...string) {
			b, _ := json.Marshal(Heartbeat{Session: "run", Sent: time.Now().UnixNano(), Lasers: lasers})
			run.Publish(ctx, s.tp.Heartbeat(), b, false, 0)
			time.Sleep(200 * time.Millisecond)
		}
		synctest.Wait()
		beat("laser")
		beat("laser")
		if !s.agent.Link() {
			t.Fatal("link not up")
		}
		if _, allowed, _ := env.is(); allowed {
			t.Error("dot given back before the run side named it")
		}
		beat("dot", "laser")
		if _, allowed, _ := env.is(); !allowed {
			t.Error("dot still dark once the run side names it")
		}
	})
}
