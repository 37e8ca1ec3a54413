package mqtt

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/control/internal/statefile"
	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// A slow SD card (a write of RunFile that stalls) holds back neither the
// report of the request nor the messages after it, over a real broker
// whose client hands every message to one receiving goroutine: the run
// side's forbid and stop are taken at once, not refused as link (which
// gives an allow's forbid back, and sends a resume's stop again), while
// the agent says the run's holds are not kept yet (run_unkept); once the
// disk is back the file holds them. Before, the write was made before
// the report, on that goroutine.
func TestAgentRunFileWriteOffTheReplyPath(t *testing.T) {
	b := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	file := filepath.Join(t.TempDir(), "run-holds.json")
	release := make(chan struct{})
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	t.Cleanup(unblock) // before the connections end
	tp := Topics{Base: "cattease", Rig: "slow"}
	ac := NewConn(Options{URL: b.URL, ClientID: "agent-slow", Will: tp.AgentAvailability()})
	agent := &Agent{Topics: tp, Rig: &envRig{}, RunFile: file,
		writeRun: func(name string, b []byte) error {
			<-release // the SD card stalls
			return statefile.Write(name, b)
		}}
	agent.Attach(ac)
	rc := NewConn(Options{URL: b.URL, ClientID: "run-slow", Will: tp.Availability()})
	remote := &Remote{Topics: tp, Lasers: []string{"laser"}}
	remote.Attach(rc)
	startConn(t, ctx, ac)
	startConn(t, ctx, rc)
	done := make(chan struct{}, 2)
	go func() { agent.Run(ctx); done <- struct{}{} }()
	go func() { remote.Run(ctx); done <- struct{}{} }()
	t.Cleanup(func() { cancel(); unblock(); <-done; <-done })
	waitFor(t, 5*time.Second, "link up", func() bool { return agent.Link() && remote.Online() })
	if why := remote.EnableReason("laser", false); why != "" { // chat's 关激光
		t.Errorf("the forbid with the disk stalled: %q, want taken", why)
	}
	if rep := remote.Stop(time.Now()); rep.Refused { // chat's 停
		t.Errorf("the stop after it: %+v, want taken", rep)
	}
	agent.mu.Lock()
	unkept := agent.unkept()
	agent.mu.Unlock()
	if !unkept {
		t.Error("the agent does not say the run's holds are not kept yet")
	}
	unblock()
	waitFor(t, 5*time.Second, "the run's holds kept once the disk is back", func() bool {
		_, err := os.Stat(file)
		agent.mu.Lock()
		defer agent.mu.Unlock()
		return err == nil && !agent.unkept()
	})
}
