package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/mqtt"
	"github.com/cattease/cattease/control/mqtt/mqtttest"
	"github.com/cattease/cattease/web"
)

// The run's stop (chat's 停) kept in the state directory from before a
// restart of the run side holds after it, as a one-machine run's kept
// stop does: the engine starts stopped (chat's commands are dropped,
// stopped) and the agent, which no longer had the stop (a dry run keeps
// none), is stopped before it plays; chat's 继续 ends it. Before, chat
// played on the agent's rig after the restart.
func TestAgentAndRunKeptRunStop(t *testing.T) {
	b := mqtttest.Start(t)
	dir := t.TempDir()
	t.Setenv("STATE_DIRECTORY", dir)
	rules := rulesWithMQTT(t, "mqtt:\n  control: true\n")
	kept := filepath.Join(dir, deviceFile(mqtt.Topics{Base: "cattease", Rig: "cat1"}))
	if err := os.WriteFile(kept, []byte(`{"held":false,"forbidden":null,"run_stop":true}`), 0o600); err != nil {
		t.Fatal(err)
	}
	w := watch(t, b.URL, "cattease/#")
	agentRig := captureRig(t)
	actx, stopAgent := context.WithCancel(context.Background())
	defer stopAgent()
	alines, await := startCLI(t, actx, strings.NewReader(""), "agent", "--dry-run", "--listen", "off", "-q", "--mqtt", b.URL, "--rig", "cat1", "-c", rules)
	printed(t, "agent", alines)
	poll(t, 30*time.Second, "agent online", func() bool { return string(w.get("cattease/cat1/agent/availability")) == "online" })
	if agentRig().env.Stopped() {
		t.Fatal("the dry-run agent starts stopped")
	}
	panel := make(chan web.Engine, 1) // the run side's engine, as its panel sees it
	testHookServer = func(s *web.Server) { panel <- s.Engine }
	t.Cleanup(func() { testHookServer = nil })
	stdin, typed := io.Pipe()
	rctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rlines, rwait := startCLI(t, rctx, stdin, "run", "--stdin", "-q", "--listen", "127.0.0.1:0", "--rig", b.URL+"/cat1", "-c", rules)
	printed(t, "run side", rlines)
	eng := <-panel
	if !eng.Status(time.Now()).Stopped {
		t.Error("the run's engine (its panel, its overlay) does not start stopped under the kept stop")
	}
	poll(t, 10*time.Second, "link up", func() bool {
		var st struct{ Link bool }
		return json.Unmarshal(w.get("cattease/cat1/agent/state"), &st) == nil && st.Link
	})
	poll(t, 5*time.Second, "the agent's rig stopped by the kept stop", agentRig().env.Stopped)
	pan := func() float64 { return agentRig().env.Snapshot().Axes[0].Pos }
	io.WriteString(typed, "左\n")
	poll(t, 5*time.Second, "左 dropped as stopped", func() bool {
		st := stateOf(t, w.get("cattease/cat1/state"))
		return st.LastCommand == "left" && st.LastOutcome == string(control.Dropped) && st.LastReason == "stopped" && st.Stopped
	})
	if p := pan(); p != 0 || !agentRig().env.Stopped() {
		t.Fatalf("under the kept stop: pan %v, stopped %v", p, agentRig().env.Stopped())
	}
	if st := eng.Status(time.Now()); st.Decisions["accepted:"] > 0 {
		t.Errorf("chat's commands accepted under the kept stop: %v", st.Decisions)
	}
	io.WriteString(typed, "@mod 房管: 继续\n")
	poll(t, 5*time.Second, "the agent resumed by chat's 继续", func() bool { return !agentRig().env.Stopped() })
	io.WriteString(typed, "猫奴: 左\n")
	poll(t, 5*time.Second, "chat plays after 继续", func() bool { return pan() < 0 })
	typed.Close()
	if code := rwait(); code != 0 {
		t.Errorf("run exited %d", code)
	}
	if _, err := os.Stat(kept); !os.IsNotExist(err) {
		t.Errorf("nothing holds, the kept file is still there: %v", err)
	}
	stopAgent()
	if code := await(); code != 0 {
		t.Errorf("agent exited %d", code)
	}
}

// With mqtt.control off (the default) no Home Assistant device can lift
// the stop and forbid it kept: the run side restores them as the run's,
// which the panel's resume and laser switch lift. With control on they
// stay the device's.
func TestRunRigWithoutControlKeepsTheDevicesStopAsTheRuns(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("STATE_DIRECTORY", dir)
	kept := filepath.Join(dir, deviceFile(mqtt.Topics{Base: "cattease", Rig: "cat"}))
	for _, control := range []bool{false, true} {
		if err := os.WriteFile(kept, []byte(`{"held":true,"forbidden":["laser"]}`), 0o600); err != nil {
			t.Fatal(err)
		}
		path := "../../rules.yaml"
		if control {
			path = rulesWithMQTT(t, "mqtt:\n  control: true\n")
		}
		f, err := config.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		g := newGroup(context.Background())
		t.Cleanup(g.cancel)
		fl := &runFlags{rigs: rigList{"mqtt://127.0.0.1:1/cat"}}
		rigs, err := openRemotes(g, fl, f, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		r := rigs[0].remote
		if got := r.RunStopped(); got == control {
			t.Errorf("control %v: the run's stop %v", control, got)
		}
		if !r.Snapshot().Stopped {
			t.Errorf("control %v: the kept stop does not hold", control)
		}
	}
}

// The Pi's panel engine, stopped by the Pi's own stop (its panel,
// SIGUSR1, cattease halt), is resumed with the rig when the run side's
// resume ends that stop: the Pi's panel no longer shows the rig stopped,
// and drops its pattern buttons as stopped, while the rig plays.
func TestAgentPanelFollowsTheRunsResume(t *testing.T) {
	b := mqtttest.Start(t)
	f, rules, err := loadRules("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := buildRig(f, rigMode{dryRun: true, rulesPath: "../../rules.yaml"}, time.Now(), slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.halt() })
	tp := mqtt.Topics{Base: "cattease", Rig: "cat"}
	agent := &mqtt.Agent{Topics: tp, Rig: r.play}
	eng, _, err := agentPanel(rules, r.play, agent, control.Options{})
	if err != nil {
		t.Fatal(err)
	}
	remote := &mqtt.Remote{Topics: tp}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 4)
	t.Cleanup(func() {
		cancel()
		for range 4 {
			<-done
		}
	})
	for i, part := range []struct {
		attach func(*mqtt.Conn)
		run    func(context.Context) error
	}{{agent.Attach, agent.Run}, {remote.Attach, remote.Run}} {
		c := mqtt.NewConn(mqtt.Options{URL: b.URL, ClientID: "test-" + string(rune('a'+i))})
		part.attach(c)
		go func() { c.Run(ctx, nil); done <- struct{}{} }()
		go func() { part.run(ctx); done <- struct{}{} }()
	}
	poll(t, 10*time.Second, "link up", func() bool { return agent.Link() && remote.Online() })
	eng.Stop(time.Now()) // the Pi's panel
	if !eng.Status(time.Now()).Stopped || !agent.LocalStop() {
		t.Fatal("the Pi's stop did not stop its panel engine")
	}
	remote.Resume(time.Now()) // the run's panel, chat's 继续
	poll(t, 5*time.Second, "the Pi's panel engine resumed with its rig", func() bool {
		return !r.env.Stopped() && !eng.Status(time.Now()).Stopped
	})
	eng.Stop(time.Now()) // the Pi's stop works again, and its resume
	eng.Resume(time.Now())
	if r.env.Stopped() || eng.Status(time.Now()).Stopped {
		t.Error("the Pi's panel's stop and resume after following the run's")
	}
}
