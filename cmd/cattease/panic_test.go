package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/mqtt"
	"github.com/cattease/cattease/control/mqtt/mqtttest"
	"github.com/cattease/cattease/web"
)

// A part's panic switches every output off at once, before the group is
// cancelled (the other parts, the motion loop among them, see the
// outputs halted when they are told to stop), and fails the group with
// the panic and its stack.
func TestGroupPanicHaltsAtOnce(t *testing.T) {
	var halts atomic.Int32
	g := newGroup(context.Background())
	g.halt = func() error { halts.Add(1); return nil }
	sawHalted := make(chan bool, 1)
	g.Go("motion", false, func(ctx context.Context) error {
		<-ctx.Done()
		sawHalted <- halts.Load() > 0
		return ctx.Err()
	})
	g.Go("view", false, func(context.Context) error { panic("injected bug") })
	err := g.Wait()
	if !<-sawHalted {
		t.Error("the group was cancelled before the outputs were halted")
	}
	if err == nil || !strings.Contains(err.Error(), "panic in view: injected bug") || !strings.Contains(err.Error(), "goroutine ") {
		t.Errorf("Wait: %v, want the panic with its stack", err)
	}
}

// A panic on a goroutine a part starts (goSafe: the MQTT link's part, a
// remote rig's heartbeats) used to end the process at once: it halts the
// outputs, fails the group with the panic and lets the part return.
func TestGoSafePanicEndsGroup(t *testing.T) {
	var halts atomic.Int32
	g := newGroup(context.Background())
	g.halt = func() error { halts.Add(1); return errors.New("i2c: remote I/O error") }
	g.Go("mqtt", false, func(ctx context.Context) error {
		done := g.goSafe("the agent", func() error { panic("injected bug") })
		<-ctx.Done()
		return <-done
	})
	err := g.Wait()
	if halts.Load() != 1 {
		t.Errorf("%d halts, want 1", halts.Load())
	}
	if err == nil || !strings.Contains(err.Error(), "panic in the agent: injected bug") || !strings.Contains(err.Error(), "i2c: remote I/O error") {
		t.Errorf("Wait: %v, want the panic and the failed halt", err)
	}
}

// startLogged runs the CLI in-process as startCLI does, its log kept.
func startLogged(t *testing.T, ctx context.Context, stdin io.Reader, args ...string) (<-chan string, func() int, *lockedBuffer) {
	t.Helper()
	pr, pw := io.Pipe()
	lines := make(chan string, 1024)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	logs := &lockedBuffer{}
	codec := make(chan int, 1)
	go func() {
		code := cli(ctx, args, stdin, pw, logs)
		pw.Close()
		codec <- code
	}()
	var once sync.Once
	var code int
	return lines, func() int {
		once.Do(func() {
			select {
			case code = <-codec:
			case <-time.After(30 * time.Second): // a bound: the run ends at once or never
				t.Fatalf("the run did not end after the panic:\n%s", logs)
			}
		})
		return code
	}, logs
}

// assertPanicExit checks that the run ended with exit code 1, the
// outputs of r halted, and the panic in what named in its log, with the
// stack.
func assertPanicExit(t *testing.T, wait func() int, logs *lockedBuffer, r *rig, what string) {
	t.Helper()
	if code := wait(); code != 1 {
		t.Errorf("exit code %d after a panic, want 1", code)
	}
	assertHalted(t, r)
	log := logs.String()
	for _, want := range []string{"panic; outputs halted", "panic in " + what + ": injected bug", "goroutine "} {
		if !strings.Contains(log, want) {
			t.Errorf("the log has no %q:\n%s", want, log)
		}
	}
}

// panickyRig is the web server's rig whose Snapshot panics once armed:
// a bug in building a frame.
type panickyRig struct {
	web.Rig
	armed *atomic.Bool
}

func (r panickyRig) Snapshot() safety.State {
	if r.armed.Load() {
		panic("injected bug")
	}
	return r.Rig.Snapshot()
}

// A panic in the overlay's event broadcaster (a goroutine of the web
// server's) during a run with the laser lit: every output is halted, and
// the run ends with exit code 1 instead of the process dying with the
// laser on.
func TestPanicInWebBroadcasterHalts(t *testing.T) {
	rigOf := captureRig(t)
	var armed atomic.Bool
	testHookServer = func(s *web.Server) { s.Rig = panickyRig{s.Rig, &armed} }
	defer func() { testHookServer = nil }()
	addr := freePort(t)
	pr, pw := io.Pipe()
	defer pw.Close()
	lines, wait, logs := startLogged(t, context.Background(), pr, "run", "--listen", addr, "--dry-run", "--stdin", "-c", "../../rules.yaml")
	io.WriteString(pw, "激光\n")
	waitLine(t, lines, "laser ON")
	go func() {
		for range lines {
		}
	}()
	armed.Store(true)
	if res, err := http.Get("http://" + addr + "/api/events"); err == nil {
		go func() { io.Copy(io.Discard, res.Body); res.Body.Close() }()
	}
	assertPanicExit(t, wait, logs, rigOf(), "the web server's event broadcaster")
}

// A panic on the Home Assistant bridge's goroutine (a command from the
// broker that the engine chokes on): every output is halted, and the
// run ends with exit code 1.
func TestPanicInMQTTBridgeHalts(t *testing.T) {
	b := mqtttest.Start(t)
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	rules := rulesWithMQTT(t, "mqtt:\n  rig: den\n  control: true\n")
	rigOf := captureRig(t)
	var armed atomic.Bool
	testHookDecision = func(control.Decision) {
		if armed.Load() {
			panic("injected bug")
		}
	}
	defer func() { testHookDecision = nil }()
	w := watch(t, b.URL, "cattease/#")
	pr, pw := io.Pipe()
	defer pw.Close()
	lines, wait, logs := startLogged(t, context.Background(), pr, "run", "--listen", "off", "--dry-run", "--stdin", "--mqtt", b.URL, "-c", rules)
	io.WriteString(pw, "激光\n")
	waitLine(t, lines, "laser ON")
	go func() {
		for range lines {
		}
	}()
	poll(t, 10*time.Second, "the bridge online", func() bool { return string(w.get("cattease/den/availability")) == "online" })
	armed.Store(true)
	set := mqtt.Topics{Base: "cattease", Rig: "den"}.Set(mqtt.CmdPattern)
	if err := w.c.Publish(context.Background(), set, []byte("left"), false, 0); err != nil {
		t.Fatal(err)
	}
	assertPanicExit(t, wait, logs, rigOf(), "the Home Assistant bridge")
}

// A panic in a handler on the MQTT client's own goroutine, on the agent
// (the Pi that drives the hardware): every output is halted, and the
// agent ends with exit code 1.
func TestPanicInAgentMQTTHandlerHalts(t *testing.T) {
	b := mqtttest.Start(t)
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	rules := rulesWithMQTT(t, "mqtt:\n  control: true\n")
	rigOf := captureRig(t)
	testHookConn = func(c *mqtt.Conn) {
		c.Handle("cattease/test/bug", func(mqtt.Message) { panic("injected bug") })
	}
	defer func() { testHookConn = nil }()
	w := watch(t, b.URL, "cattease/#")
	lines, wait, logs := startLogged(t, context.Background(), strings.NewReader(""), "agent", "--dry-run", "--listen", "off", "-q", "--mqtt", b.URL, "--rig", "cat1", "-c", rules)
	go func() {
		for range lines {
		}
	}()
	poll(t, 30*time.Second, "agent online", func() bool { return string(w.get("cattease/cat1/agent/availability")) == "online" })
	poll(t, 10*time.Second, "the servos attached", func() bool { return rigOf() != nil && rigOf().env.Snapshot().Axes[0].Attached })
	if err := w.c.Publish(context.Background(), "cattease/test/bug", []byte("x"), false, 0); err != nil {
		t.Fatal(err)
	}
	assertPanicExit(t, wait, logs, rigOf(), "the MQTT handler of cattease/test/bug")
}

// On the run side of two machines (run --rig) there are no outputs here:
// a panic in a handler of a rig's link ends the run with exit code 1, and
// the agent darkens its laser when the link goes.
func TestPanicInRemoteRunEnds(t *testing.T) {
	b := mqtttest.Start(t)
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	testHookConn = func(c *mqtt.Conn) {
		c.Handle("cattease/test/bug", func(mqtt.Message) { panic("injected bug") })
	}
	defer func() { testHookConn = nil }()
	w := watch(t, b.URL, "cattease/#")
	pr, pw := io.Pipe()
	defer pw.Close()
	lines, wait, logs := startLogged(t, context.Background(), pr, "run", "--stdin", "--listen", "off", "-q", "--rig", b.URL+"/cat1", "-c", "../../rules.yaml")
	go func() {
		for range lines {
		}
	}()
	poll(t, 30*time.Second, "the run side online", func() bool { return string(w.get("cattease/cat1/availability")) == "online" })
	if err := w.c.Publish(context.Background(), "cattease/test/bug", []byte("x"), false, 0); err != nil {
		t.Fatal(err)
	}
	if code := wait(); code != 1 {
		t.Errorf("exit code %d after a panic, want 1", code)
	}
	log := logs.String()
	for _, want := range []string{"panic; stopping", "panic in the MQTT handler of cattease/test/bug: injected bug", "goroutine "} {
		if !strings.Contains(log, want) {
			t.Errorf("the log has no %q:\n%s", want, log)
		}
	}
}
