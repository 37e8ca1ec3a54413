package mqtt

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// cattease mqtt --unpublish clears the agent's availability with the rest;
// Home Assistant's device (availability_mode all) would then stay
// unavailable until the agent reconnected. The agent says "online" again
// at once, retained, and so it does after a stale "offline" (the will of
// an earlier connection of its own that the broker noticed dead late).
func TestAgentSaysOnlineAgainWhenCleared(t *testing.T) {
	br := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tp := Topics{Base: "cattease", Rig: "pi"}
	ac := NewConn(Options{URL: br.URL, ClientID: "agent", Will: tp.AgentAvailability()})
	agent := &Agent{Topics: tp, Rig: &fakeRig{}}
	agent.Attach(ac)
	var mu sync.Mutex
	var said []string
	w := NewConn(Options{URL: br.URL, ClientID: "ha"})
	w.Handle(tp.AgentAvailability(), func(m Message) { mu.Lock(); said = append(said, string(m.Payload)); mu.Unlock() })
	startConn(t, ctx, w)
	startConn(t, ctx, ac)
	go agent.Run(ctx)
	last := func() string {
		mu.Lock()
		defer mu.Unlock()
		if len(said) == 0 {
			return "(nothing)"
		}
		return said[len(said)-1]
	}
	waitFor(t, 3*time.Second, "the agent online", func() bool { return last() == "online" })
	for _, clear := range []func() error{
		func() error { return Unpublish(ctx, w, tp, Device{Prefix: DefaultPrefix}) },
		func() error { return w.Publish(ctx, tp.AgentAvailability(), []byte("offline"), true, 0) },
	} {
		mu.Lock()
		n := len(said)
		mu.Unlock()
		if err := clear(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 3*time.Second, "the agent online again", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(said) >= n+2 && said[len(said)-1] == "online"
		})
	}
	if got := retainedNow(t, br.URL, tp.AgentAvailability()); string(got[tp.AgentAvailability()]) != "online" {
		t.Errorf("retained availability %q, want online", got[tp.AgentAvailability()])
	}
}

// The agent's own goodbye on a clean exit is not answered with "online":
// it stays the last word.
func TestAgentGoodbyeStaysLast(t *testing.T) {
	br := mqtttest.Start(t)
	tp := Topics{Base: "cattease", Rig: "pi2"}
	ac := NewConn(Options{URL: br.URL, ClientID: "agent", Will: tp.AgentAvailability()})
	agent := &Agent{Topics: tp, Rig: &fakeRig{}}
	agent.Attach(ac)
	ctx, exit := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { runLinkedForTest(ctx, ac, agent.Run); close(done) }()
	waitFor(t, 3*time.Second, "the agent online", func() bool {
		return string(retainedNow(t, br.URL, tp.AgentAvailability())[tp.AgentAvailability()]) == "online"
	})
	exit()
	<-done
	if got := retainedNow(t, br.URL, tp.AgentAvailability()); string(got[tp.AgentAvailability()]) != "offline" {
		t.Errorf("retained availability after the agent's exit %q, want offline", got[tp.AgentAvailability()])
	}
}
