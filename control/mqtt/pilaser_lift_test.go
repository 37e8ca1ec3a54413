package mqtt

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// The agent tells the Pi's panel engine (LocalAllowed) when the run
// side's plain allow (its panel's laser switch) lifts a forbid given on
// the Pi, so that the engine forgets it and no longer keeps it for the
// next start; and only then: not for a device's allow or chat's 开激光
// (keep_local), which the Pi's forbid refuses, nor for an allow that
// lifts none. The hook is called outside the agent's lock: it may ask
// the agent (LocalForbids).
func TestAgentSaysWhenTheRunLiftsThePisForbid(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		var mu sync.Mutex
		var told []string
		s.agentSet = func(a *Agent) {
			a.LocalAllowed = func(name string) {
				if a.LocalForbids(name) { // under the agent's lock, this would never return
					t.Errorf("told of %s while the Pi's forbid holds", name)
				}
				mu.Lock()
				told = append(told, name)
				mu.Unlock()
			}
		}
		s.restartAgent()
		time.Sleep(time.Second)
		toldSoFar := func() []string {
			mu.Lock()
			defer mu.Unlock()
			return slices.Clone(told)
		}
		s.agent.Enable("laser", false) // the Pi's panel
		if err := s.remote.Allow("laser", true); err == nil {
			t.Error("a device's allow lifted the Pi's forbid")
		}
		if s.remote.EnableChat("laser", true) {
			t.Error("chat's 开激光 lifted the Pi's forbid")
		}
		time.Sleep(time.Second)
		if got := toldSoFar(); len(got) != 0 || !s.agent.LocalForbids("laser") {
			t.Fatalf("after keep_local allows: told %v, the Pi's forbid holds %v", got, s.agent.LocalForbids("laser"))
		}
		s.remote.Enable("laser", true) // the run's panel
		time.Sleep(time.Second)
		if got := toldSoFar(); !slices.Equal(got, []string{"laser"}) || s.agent.LocalForbids("laser") {
			t.Fatalf("after the run's allow: told %v, the Pi's forbid holds %v", got, s.agent.LocalForbids("laser"))
		}
		s.remote.Enable("laser", false)
		s.remote.Enable("laser", true) // lifts the run's own forbid: none of the Pi's
		time.Sleep(time.Second)
		if got := toldSoFar(); len(got) != 1 {
			t.Errorf("told %v, want once: the second allow lifted no forbid of the Pi's", got)
		}
	})
}
