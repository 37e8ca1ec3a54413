package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// TestLaserForbidSurvivesAKill: the binary on the hardware path (the mock
// driver without --dry-run: the state directory is kept as on the Pi).
// A moderator's 关激光, then a kill (SIGKILL: no clean exit): the next
// start keeps the laser forbidden, says so, and a moderator's 开激光 lifts
// it. The panel's laser switch-off, then a kill: the next start refuses
// 开激光 (the streamer's choice), and the panel's switch lifts it.
func TestLaserForbidSurvivesAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	state := t.TempDir()
	env := append(os.Environ(), "STATE_DIRECTORY="+state)
	cfg := mockRules(t)
	args := []string{"run", "--stdin", "-v", "-q", "--listen", "127.0.0.1:0", "-c", cfg}
	kept := runLaserPath(t, state, cfg)
	kill := func(p *proc) {
		p.cmd.Process.Kill()
		p.cmd.Wait()
	}

	first := startBinary(t, env, args...)
	io.WriteString(first.stdin, "@mod 管: 关激光\n")
	waitFile(t, kept, true)
	kill(first)

	second := startBinary(t, env, args...)
	second.wait(t, "the laser forbid from before this start still holds")
	io.WriteString(second.stdin, "甲: 激光\n")
	waitStatus(t, second, `"reason":"disabled"`)
	io.WriteString(second.stdin, "@mod 管: 开激光\n")
	waitFile(t, kept, false)
	io.WriteString(second.stdin, "@mod 乙: 激光\n") // a moderator: no cooldown after 甲's
	second.wait(t, `mock output" output=laser action=switch value=1`)

	token, err := os.ReadFile(filepath.Join(state, "cattease-token"))
	if err != nil {
		t.Fatal(err)
	}
	laser := func(p *proc, on string) {
		t.Helper()
		req, _ := http.NewRequest("POST", p.url+"/api/control/laser", strings.NewReader(`{"enabled":`+on+`}`))
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("laser %s: %v %v", on, resp, err)
		}
		resp.Body.Close()
	}
	laser(second, "false")
	waitFile(t, kept, true)
	kill(second)

	third := startBinary(t, env, args...)
	third.wait(t, "the laser forbid from before this start still holds")
	io.WriteString(third.stdin, "@mod 管: 开激光\n")
	waitStatus(t, third, `"reason":"permission"`)
	if _, err := os.Stat(kept); err != nil {
		t.Fatalf("开激光 lifted the panel's forbid: %v", err)
	}
	laser(third, "true")
	waitFile(t, kept, false)
	third.stop(t)
}

// TestRunRigChatLaserForbidSurvivesARestart: two machines, the run side
// on the hardware path (no --dry-run: it keeps its state directory). A
// moderator's 关激光, then the run side is killed: the restarted run side
// keeps the agent's laser forbidden, and knows that chat forbade it, so a
// moderator's 开激光 lifts it and the laser lights again.
func TestRunRigChatLaserForbidSurvivesARestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	b := mqtttest.Start(t)
	bin := catteaseBinary(t)
	rules := rulesWithMQTT(t, "")
	w := watch(t, b.URL, "cattease/#")
	agent := exec.Command(bin, "agent", "--dry-run", "--listen", "off", "-q", "--mqtt", b.URL, "--rig", "pi", "-c", rules)
	agent.Env = append(agent.Environ(), "STATE_DIRECTORY="+t.TempDir())
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { agent.Process.Kill(); agent.Wait() })
	state := t.TempDir()
	kept := runLaserPath(t, state, rules, "pi")
	startRun := func() (*exec.Cmd, io.WriteCloser, <-chan string) {
		run := exec.Command(bin, "run", "--stdin", "--listen", "off", "-q", "--rig", b.URL+"/pi", "-c", rules)
		run.Env = append(run.Environ(), "STATE_DIRECTORY="+state)
		typed, err := run.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		logs := logLines(t, run)
		if err := run.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { run.Process.Kill(); run.Wait() })
		return run, typed, logs
	}
	agentState := func() (st struct {
		safety.State
		Link bool `json:"link"`
	}) {
		json.Unmarshal(w.get("cattease/pi/agent/state"), &st)
		return st
	}
	laser := func(disabled, on bool) func() bool {
		return func() bool {
			for _, s := range agentState().Switches {
				if s.Laser {
					return s.Disabled == disabled && s.On == on
				}
			}
			return false
		}
	}

	run, typed, _ := startRun()
	poll(t, 15*time.Second, "link up", func() bool { return agentState().Link })
	io.WriteString(typed, "@mod 房管: 关激光\n")
	poll(t, 5*time.Second, "the agent's laser forbidden", laser(true, false))
	waitFile(t, kept, true)
	run.Process.Kill()
	run.Wait()
	poll(t, 5*time.Second, "link lost", func() bool { return !agentState().Link })

	_, typed, logs := startRun()
	waitLog(t, logs, "the laser forbid from before this start still holds")
	poll(t, 15*time.Second, "link up again", func() bool { return agentState().Link })
	if !laser(true, false)() {
		t.Fatal("the restarted run side let the agent allow the laser chat forbade")
	}
	io.WriteString(typed, "@mod 房管: 开激光\n")
	poll(t, 5*time.Second, "开激光 allowed the agent's laser", laser(false, false))
	waitFile(t, kept, false)
	io.WriteString(typed, "@mod 房管: 激光\n")
	poll(t, 5*time.Second, "the agent's laser lit", laser(false, true))
}
