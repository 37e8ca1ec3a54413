package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// The second test with the real binary: agent and run are two
// processes that share only the broker; what the agent's rig does is read
// from the state it publishes.
func TestAgentAndRunTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	b := mqtttest.Start(t)
	bin := catteaseBinary(t)
	rules := rulesWithMQTT(t, "")
	w := watch(t, b.URL, "cattease/#")
	agent := exec.Command(bin, "agent", "--dry-run", "--listen", "off", "-q", "--mqtt", b.URL, "--rig", "pi", "-c", rules)
	agent.Env = append(agent.Environ(), "STATE_DIRECTORY="+t.TempDir())
	logs := logLines(t, agent)
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { agent.Process.Kill(); agent.Wait() })
	run := exec.Command(bin, "run", "--stdin", "--listen", "off", "-q", "--rig", b.URL+"/pi", "-c", rules)
	run.Env = append(run.Environ(), "STATE_DIRECTORY="+t.TempDir())
	typed, err := run.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { run.Process.Kill(); run.Wait() })

	type agentState struct {
		safety.State
		Link bool `json:"link"`
	}
	state := func() agentState {
		var st agentState
		json.Unmarshal(w.get("cattease/pi/agent/state"), &st)
		return st
	}
	pan := func() float64 {
		for _, a := range state().Axes {
			if a.Name == "pan" {
				return a.Pos
			}
		}
		return 0
	}
	lit := func() bool {
		for _, s := range state().Switches {
			if s.Laser && s.On {
				return true
			}
		}
		return false
	}
	poll(t, 15*time.Second, "link up", func() bool { return state().Link })
	io.WriteString(typed, "左\n")
	poll(t, 5*time.Second, "the agent's pan moved left", func() bool { return pan() < 0 })
	io.WriteString(typed, "@mod 房管: 激光\n")
	poll(t, 5*time.Second, "the agent's laser lit", lit)

	b.Stop()
	stopped := time.Now()
	waitLog(t, logs, "link to the run side lost; laser off")
	if d := time.Since(stopped); d > time.Second {
		t.Errorf("the agent darkened the laser %v after the broker stopped, want within 1s", d)
	}
	w.forget()
	b.Start()
	poll(t, 10*time.Second, "link back", func() bool { return state().Link })
	before := pan()
	io.WriteString(typed, "猫奴: 右\n")
	poll(t, 5*time.Second, "the agent's pan moved right after the restart", func() bool { return pan() > before })
	typed.Close()
	if err := run.Wait(); err != nil {
		t.Errorf("run: %v", err)
	}
}

// logLines hands the process's stderr lines to a channel.
func logLines(t *testing.T, cmd *exec.Cmd) <-chan string {
	t.Helper()
	r, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan string, 1024)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			select {
			case out <- sc.Text():
			default:
			}
		}
	}()
	return out
}

func waitLog(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	deadline := time.After(3 * time.Second)
	for {
		select {
		case l := <-lines:
			if strings.Contains(l, want) {
				return
			}
		case <-deadline:
			t.Fatalf("no log line with %q", want)
		}
	}
}
