package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// TestAgentPanelLaserForbidSurvivesAKill: two machines, the agent on the
// hardware path (the mock driver without --dry-run: it keeps its state
// directory, as on the Pi). The laser switched off on the Pi's own panel,
// then the agent killed (SIGKILL: no clean exit): the restarted agent
// says the forbid still holds, keeps the laser forbidden once the link is
// back, and tells the run side it is the Pi's (local_off). The run side's
// panel's laser switch lifts it, and the agent's file with it.
func TestAgentPanelLaserForbidSurvivesAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	b := mqtttest.Start(t)
	rules := mockRules(t)
	w := watch(t, b.URL, "cattease/#")
	piState, runState := t.TempDir(), t.TempDir()
	key, err := configKey(rules)
	if err != nil {
		t.Fatal(err)
	}
	kept := filepath.Join(piState, keyedName(agentLaserFile, key))
	startAgent := func() *proc {
		return startBinary(t, append(os.Environ(), "STATE_DIRECTORY="+piState),
			"agent", "-q", "--listen", "127.0.0.1:0", "--mqtt", b.URL, "--rig", "pi", "-c", rules)
	}
	laserSwitch := func(p *proc, state, on string) {
		t.Helper()
		token, err := os.ReadFile(filepath.Join(state, "cattease-token"))
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("POST", p.url+"/api/control/laser", strings.NewReader(`{"enabled":`+on+`}`))
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("laser %s: %v %v", on, resp, err)
		}
		resp.Body.Close()
	}
	agentState := func() (st struct {
		safety.State
		Link     bool      `json:"link"`
		LocalOff *[]string `json:"local_off"`
	}) {
		json.Unmarshal(w.get("cattease/pi/agent/state"), &st)
		return st
	}
	forbidden := func(localOff ...string) func() bool {
		return func() bool {
			st := agentState()
			if !st.Link || st.LocalOff == nil || !slices.Equal(*st.LocalOff, localOff) {
				return false
			}
			for _, s := range st.Switches {
				if s.Laser {
					return s.Disabled == (len(localOff) > 0)
				}
			}
			return false
		}
	}

	agent := startAgent()
	run := startBinary(t, append(os.Environ(), "STATE_DIRECTORY="+runState),
		"run", "--stdin", "-q", "--listen", "127.0.0.1:0", "--rig", b.URL+"/pi", "-c", rules)
	poll(t, 15*time.Second, "link up, the laser allowed", forbidden())
	laserSwitch(agent, piState, "false") // the Pi's own panel
	poll(t, 5*time.Second, "the Pi's forbid (local_off)", forbidden("laser"))
	waitFile(t, kept, true)
	agent.cmd.Process.Kill()
	agent.cmd.Wait()
	poll(t, 5*time.Second, "the agent gone", func() bool { return string(w.get("cattease/pi/agent/availability")) == "offline" })

	w.forget()
	agent = startAgent()
	poll(t, 15*time.Second, "link up again, the laser still forbidden as the Pi's", forbidden("laser"))
	agent.wait(t, "the Pi panel's laser forbid from before this start still holds")
	laserSwitch(run, runState, "true") // the run side's panel
	poll(t, 5*time.Second, "the run side's switch lifted the Pi's forbid", forbidden())
	waitFile(t, kept, false)
	agent.stop(t)
	run.stop(t)
}
