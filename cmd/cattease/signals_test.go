package main

import (
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// stopUnderHangups ends p with SIGTERM while SIGHUPs keep coming (a
// dropped ssh session during the park, a reload sent at the wrong time),
// and returns its whole log; the exit must be clean.
func stopUnderHangups(t *testing.T, p *proc) string {
	t.Helper()
	done := make(chan struct{})
	defer close(done)
	go func() {
		tick := time.NewTicker(5 * time.Millisecond) // pacing the signals, not waiting for an outcome
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				p.cmd.Process.Signal(syscall.SIGHUP)
			}
		}
	}()
	return p.stop(t)
}

// TestHangupNeverEndsRun: SIGHUP reloads the rules of a running
// `cattease run`; one that comes while it parks on SIGTERM does nothing,
// and the outputs are halted. Go's default for SIGHUP ends the process
// without its halt, with the laser lit.
func TestHangupNeverEndsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	env := append(os.Environ(), "STATE_DIRECTORY="+t.TempDir())
	p := startBinary(t, env, "run", "--dry-run", "--stdin", "-v", "-q", "--listen", "127.0.0.1:0", "-c", mockRules(t))
	io.WriteString(p.stdin, "甲: 激光\n")
	p.wait(t, `mock output" output=laser action=switch value=1`)
	p.cmd.Process.Signal(syscall.SIGHUP)
	p.wait(t, "rules reloaded")
	log := stopUnderHangups(t, p)
	if !strings.Contains(log, `mock halt" output=laser`) {
		t.Fatalf("the laser was not halted:\n%s", log)
	}
}

// TestAgentKeepsRunningOnHangupAndTakesHalt: the agent (the Pi of a
// two-machine setup) logs a SIGHUP and keeps going, `cattease halt -c`
// reaches it as it reaches a run, and it halts its outputs at the end.
func TestAgentKeepsRunningOnHangupAndTakesHalt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	b := mqtttest.Start(t)
	rules := mockRules(t)
	env := append(os.Environ(), "STATE_DIRECTORY="+t.TempDir())
	p := startBinary(t, env, "agent", "--dry-run", "-v", "-q", "--listen", "127.0.0.1:0", "--mqtt", b.URL, "--rig", "pi", "-c", rules)
	p.cmd.Process.Signal(syscall.SIGHUP)
	p.wait(t, "SIGHUP ignored")

	halt := exec.Command(catteaseBinary(t), "halt", "-c", rules)
	halt.Env = env
	out, err := halt.CombinedOutput()
	if want := "emergency stop sent to cattease pid " + strconv.Itoa(p.cmd.Process.Pid); err != nil || !strings.Contains(string(out), want) {
		t.Fatalf("halt -c with the agent running: %v\n%s", err, out)
	}
	p.wait(t, "SIGUSR1: emergency stop")
	p.stopped(t, true)

	log := stopUnderHangups(t, p)
	if !strings.Contains(log, `mock halt" output=laser`) {
		t.Fatalf("the agent did not halt its laser:\n%s", log)
	}
}
