package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cattease/cattease/control/config"
)

func TestIsCatteaseRun(t *testing.T) {
	root := t.TempDir()
	procs := map[int]string{
		101: "/usr/local/bin/cattease\x00run\x00-c\x00/etc/cattease/rules.yaml\x00",
		102: "cattease\x00halt\x00",
		103: "/usr/bin/bash\x00-c\x00cattease run\x00",
		104: "./cattease\x00run\x00--dry-run\x00",
		105: "/tmp/dist/cattease-linux-arm64\x00run\x00",
		106: "/usr/bin/sleep\x00run\x00",
		108: "/usr/local/bin/cattease\x00agent\x00--mqtt\x00mqtt://hub:1883\x00", // the Pi of a two-machine setup
		109: "/usr/local/bin/cattease\x00mqtt\x00--unpublish\x00",
		// --lang goes before the command too (i18n.TakeFlag): halt used
		// to take such a run for no cattease and not stop it
		110: "/usr/local/bin/cattease\x00--lang\x00zh\x00run\x00-c\x00/etc/cattease/rules.yaml\x00",
		111: "/usr/local/bin/cattease\x00--lang=zh\x00agent\x00",
		112: "cattease\x00-lang\x00en\x00--lang\x00zh\x00run\x00",
		113: "/usr/local/bin/cattease\x00--lang\x00zh\x00halt\x00",
		114: "/usr/local/bin/cattease\x00--lang\x00run\x00", // run is the value: no command
		115: "/usr/local/bin/cattease\x00--\x00run\x00",
	}
	for pid, cmdline := range procs {
		os.MkdirAll(filepath.Join(root, strconv.Itoa(pid)), 0o755)
		os.WriteFile(filepath.Join(root, strconv.Itoa(pid), "cmdline"), []byte(cmdline), 0o644)
	}
	for pid, want := range map[int]bool{101: true, 102: false, 103: false, 104: true, 105: true, 106: false, 107: false, 108: true, 109: false,
		110: true, 111: true, 112: true, 113: false, 114: false, 115: false} {
		if got := isCatteaseRun(root, pid); got != want {
			t.Errorf("pid %d (%q): %v, want %v", pid, procs[pid], got, want)
		}
	}
}

// TestStatePidFile: one pid file per configuration, exclusive while held,
// stale once released without removal, gone after release.
func TestStatePidFile(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(t.TempDir(), "rules.yaml"), filepath.Join(t.TempDir(), "rules.yaml")
	in, err := lockInstance(dir, a, haltPlan{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockInstance(dir, a, haltPlan{}); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("another cattease (pid %d) is already running with %s", os.Getpid(), a)) {
		t.Fatalf("second instance with the same rules: %v", err)
	}
	inB, err := lockInstance(dir, b, haltPlan{})
	if err != nil {
		t.Fatalf("an instance with other rules: %v", err)
	}
	defer inB.release()
	// Held by this process, whose cmdline is the test binary's: not a cattease run.
	if pid, err := findInstance(dir, a, "/proc"); pid != 0 || err == nil || !strings.Contains(err.Error(), "is not a cattease run") {
		t.Fatalf("findInstance of a non-cattease holder: %d %v", pid, err)
	}
	// A fake /proc where this pid runs cattease: found.
	proc := t.TempDir()
	os.MkdirAll(filepath.Join(proc, strconv.Itoa(os.Getpid())), 0o755)
	os.WriteFile(filepath.Join(proc, strconv.Itoa(os.Getpid()), "cmdline"), []byte("cattease\x00run\x00"), 0o644)
	if pid, err := findInstance(dir, a, proc); pid != os.Getpid() || err != nil {
		t.Fatalf("findInstance: %d %v", pid, err)
	}
	// Killed without cleaning up: the file stays, nobody holds it.
	in.f.Close()
	if pid, err := findInstance(dir, a, proc); pid != 0 || err != errStale {
		t.Fatalf("stale pid file: %d %v", pid, err)
	}
	in2, err := lockInstance(dir, a, haltPlan{})
	if err != nil {
		t.Fatalf("taking over a stale pid file: %v", err)
	}
	in2.release()
	if _, err := os.Stat(in2.path); !os.IsNotExist(err) {
		t.Fatalf("pid file left after release: %v", err)
	}
	if pid, err := findInstance(dir, a, proc); pid != 0 || err != nil {
		t.Fatalf("no instance: %d %v", pid, err)
	}
}

// proc is a `cattease run` started from the built binary, its log read
// line by line.
type proc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	logs  chan string
	seen  []string // every log line read so far
	url   string   // the overlay's base URL
}

func startBinary(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(catteaseBinary(t), args...)
	cmd.Env = env
	stdin, _ := cmd.StdinPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, stdin: stdin, logs: make(chan string, 4096)}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.logs <- sc.Text()
		}
		close(p.logs)
	}()
	if m := regexp.MustCompile(`overlay=(http://127\.0\.0\.1:\d+)/`).FindStringSubmatch(p.wait(t, "overlay and panel")); m != nil {
		p.url = m[1]
	}
	return p
}

// wait reads log lines until one contains want, for at most 20 s.
func (p *proc) wait(t *testing.T, want string) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-p.logs:
			if !ok {
				t.Fatalf("pid %d exited before logging %q:\n%s", p.cmd.Process.Pid, want, strings.Join(p.seen, "\n"))
			}
			p.seen = append(p.seen, l)
			if strings.Contains(l, want) {
				return l
			}
		case <-deadline:
			t.Fatalf("pid %d logged no %q:\n%s", p.cmd.Process.Pid, want, strings.Join(p.seen, "\n"))
		}
	}
}

// stop ends the process with SIGTERM and returns its whole log.
func (p *proc) stop(t *testing.T) string {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	for l := range p.logs {
		p.seen = append(p.seen, l)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("pid %d after SIGTERM: %v", p.cmd.Process.Pid, err)
	}
	return strings.Join(p.seen, "\n")
}

// stopped polls /api/status until the engine reports want for "stopped".
func (p *proc) stopped(t *testing.T, want bool) {
	t.Helper()
	needle := fmt.Sprintf(`"stopped":%v`, want)
	var body []byte
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		resp, err := http.Get(p.url + "/api/status")
		if err == nil {
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if bytes.Contains(body, []byte(needle)) {
				return
			}
		}
		time.Sleep(20 * time.Millisecond) // polling for an outcome
	}
	t.Fatalf("pid %d: /api/status never had %s: %s", p.cmd.Process.Pid, needle, body)
}

// mockRules writes rules.yaml with the mock driver into a new directory:
// halt then has no hardware to reach on a machine without it.
func mockRules(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src = regexp.MustCompile(`(?m)^(\s*driver:\s*)pca9685`).ReplaceAll(src, []byte("${1}mock"))
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHaltStopsOnlyItsInstance: two instances with different rules share
// a state directory; `halt -c` of one puts only that one into emergency
// stop, and the other keeps playing.
func TestHaltStopsOnlyItsInstance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	state := t.TempDir()
	env := append(os.Environ(), "STATE_DIRECTORY="+state)
	cfgA, cfgB := mockRules(t), mockRules(t)
	run := func(cfg string) *proc {
		return startBinary(t, env, "run", "--dry-run", "--stdin", "-v", "-q", "--listen", "127.0.0.1:0", "-c", cfg)
	}
	a, b := run(cfgA), run(cfgB)
	if a.url == "" || b.url == "" {
		t.Fatalf("no overlay URL in the logs: %q %q", a.url, b.url)
	}
	if pids, _ := filepath.Glob(filepath.Join(state, "run-*.pid")); len(pids) != 2 {
		t.Fatalf("pid files in the state directory: %v", pids)
	}

	// A third run with A's rules refuses to start, and says why.
	third := exec.Command(catteaseBinary(t), "run", "--dry-run", "--stdin", "-q", "--listen", "off", "-c", cfgA)
	third.Env = env
	out, err := third.CombinedOutput()
	if err == nil || !strings.Contains(string(out), fmt.Sprintf("another cattease (pid %d) is already running", a.cmd.Process.Pid)) {
		t.Fatalf("a second instance with the same rules: %v\n%s", err, out)
	}

	halt := exec.Command(catteaseBinary(t), "halt", "-c", cfgA)
	halt.Env = env
	out, err = halt.CombinedOutput()
	if err != nil || !strings.Contains(string(out), fmt.Sprintf("emergency stop sent to cattease pid %d", a.cmd.Process.Pid)) {
		t.Fatalf("halt -c A: %v\n%s", err, out)
	}
	a.wait(t, "SIGUSR1: emergency stop")
	a.stopped(t, true)

	// B was not stopped: it still answers chat by lighting the laser.
	b.stopped(t, false)
	io.WriteString(b.stdin, "甲: 激光\n")
	b.wait(t, `mock output" output=laser action=switch value=1`)

	logA, logB := a.stop(t), b.stop(t)
	if strings.Contains(logB, "SIGUSR1") {
		t.Errorf("halt -c A reached B:\n%s", logB)
	}
	if !strings.Contains(logA, `mock halt" output=laser`) {
		t.Errorf("A did not halt its outputs on exit:\n%s", logA)
	}
	if pids, _ := filepath.Glob(filepath.Join(state, "run-*.pid")); len(pids) != 0 {
		t.Errorf("pid files left after exit: %v", pids)
	}

	// With nothing running, halt still works from a fresh process.
	halt = exec.Command(catteaseBinary(t), "halt", "-c", cfgA)
	halt.Env = env
	if out, err := halt.CombinedOutput(); err != nil || strings.Contains(string(out), "emergency stop sent") || !strings.Contains(string(out), "no hardware to halt") {
		t.Fatalf("halt with nothing running: %v\n%s", err, out)
	}
}

// fakePWM makes a kernel PWM tree (what /sys/class/pwm holds) with two
// channels pulsing, and returns its root.
func fakePWM(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, ch := range []string{"pwm0", "pwm1"} {
		dir := filepath.Join(root, "pwmchip0", ch)
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "enable"), []byte("1\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "duty_cycle"), []byte("1500000\n"), 0o644)
	}
	os.WriteFile(filepath.Join(root, "pwmchip0", "npwm"), []byte("2\n"), 0o644)
	return root
}

// pulsing reports whether a channel of fakePWM is still enabled.
func pulsing(root, ch string) bool {
	b, _ := os.ReadFile(filepath.Join(root, "pwmchip0", ch, "enable"))
	return string(b) != "0"
}

// wandRules writes the wand's rules with its servos on the kernel PWM
// under root.
func wandRules(t *testing.T, path, root string) {
	t.Helper()
	src, err := os.ReadFile("../../rules.wand.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src = regexp.MustCompile(`(?m)^(\s*driver:\s*)pca9685.*$`).ReplaceAll(src,
		[]byte("${1}sysfspwm\n  sysfspwm: {root: "+root+", chip: pwmchip0}"))
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHaltWithNothingRunningSaysSo: a person's halt with no instance to
// stop (the service between a crash and its restart) switches the servos
// off and says that nothing keeps them off; the same halt run by systemd
// after the service stopped (SERVICE_RESULT set) does not.
func TestHaltWithNothingRunningSaysSo(t *testing.T) {
	root := fakePWM(t)
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	wandRules(t, rules, root)
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	const warning = "nothing keeps the outputs off"
	for result, warns := range map[string]bool{"": true, "success": false, "signal": false} {
		t.Setenv("SERVICE_RESULT", result)
		var out, errw strings.Builder
		if code := cmdHalt(context.Background(), []string{"-c", rules}, stdio{out: &out, err: &errw}); code != 0 {
			t.Fatalf("SERVICE_RESULT=%q: exit %d\n%s%s", result, code, out.String(), errw.String())
		}
		if !strings.Contains(out.String(), "halted 0 switch(es) and 2 axis/axes") || strings.Contains(out.String(), warning) != warns {
			t.Errorf("SERVICE_RESULT=%q, warning wanted %v:\n%s%s", result, warns, out.String(), errw.String())
		}
		if pulsing(root, "pwm1") {
			t.Errorf("SERVICE_RESULT=%q: pwm1 still enabled after halt", result)
		}
	}
}

// TestHaltDrivesWhatTheInstanceDrove: an instance that crashed leaves its
// pid file, which names the hardware it drove. halt switches that off
// when rules.yaml has since been broken by an edit (it would otherwise
// do nothing, and ExecStopPost would leave the servos pulsing), and when
// an edit moved the servos elsewhere (it halts both).
func TestHaltDrivesWhatTheInstanceDrove(t *testing.T) {
	state := t.TempDir()
	t.Setenv("STATE_DIRECTORY", state)
	t.Setenv("SERVICE_RESULT", "signal")
	halt := func(rules string) string {
		t.Helper()
		var out strings.Builder
		if code := cmdHalt(context.Background(), []string{"-c", rules}, stdio{out: &out, err: &out}); code != 0 {
			t.Fatalf("halt: exit %d\n%s", code, &out)
		}
		return out.String()
	}
	crashed := func(rules string) {
		t.Helper()
		f, err := config.Load(rules)
		if err != nil {
			t.Fatal(err)
		}
		in, err := lockInstance(state, rules, planFor(f, false))
		if err != nil {
			t.Fatal(err)
		}
		in.f.Close() // killed: the pid file stays, held by nobody
	}

	drove, rules := fakePWM(t), filepath.Join(t.TempDir(), "rules.yaml")
	wandRules(t, rules, drove)
	crashed(rules)
	if err := os.WriteFile(rules, []byte("hardware: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := halt(rules)
	if pulsing(drove, "pwm0") || pulsing(drove, "pwm1") || !strings.Contains(out, "halting the hardware a cattease started with these rules drove") {
		t.Errorf("rules broken after the crash: pulsing %v %v\n%s", pulsing(drove, "pwm0"), pulsing(drove, "pwm1"), out)
	}

	drove, moved := fakePWM(t), fakePWM(t)
	wandRules(t, rules, drove)
	crashed(rules)
	wandRules(t, rules, moved)
	out = halt(rules)
	if pulsing(drove, "pwm0") || pulsing(moved, "pwm0") || !strings.Contains(out, "halted 0 switch(es) and 4 axis/axes") {
		t.Errorf("servos moved in the rules after the crash: pulsing %v %v\n%s", pulsing(drove, "pwm0"), pulsing(moved, "pwm0"), out)
	}

	// A dry run drove nothing: halt has only the rules' own hardware.
	f, _ := config.Load(rules)
	in, err := lockInstance(state, rules, planFor(f, true))
	if err != nil {
		t.Fatal(err)
	}
	in.f.Close()
	if out := halt(rules); !strings.Contains(out, "halted 0 switch(es) and 2 axis/axes") || strings.Contains(out, "halting both") {
		t.Errorf("after a dry run:\n%s", out)
	}
}

// TestHaltStopsEveryInstanceOfItsRules: the same rules run twice, with
// two state directories (root's dry run in its own, the service in
// /var/lib/cattease). halt stops both: the first it finds may well be
// the dry run, and the service would play on.
func TestHaltStopsEveryInstanceOfItsRules(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	rules := mockRules(t)
	dirs := []string{t.TempDir(), t.TempDir()}
	var procs []*proc
	for _, dir := range dirs {
		env := append(os.Environ(), "STATE_DIRECTORY="+dir)
		procs = append(procs, startBinary(t, env, "run", "--dry-run", "--stdin", "-v", "-q", "--listen", "127.0.0.1:0", "-c", rules))
	}
	var out strings.Builder
	if n := stopInstance(dirs, rules, "/proc", &out, &out); n != 2 {
		t.Fatalf("stopped %d instances, want 2:\n%s", n, &out)
	}
	for _, p := range procs {
		p.wait(t, "SIGUSR1: emergency stop")
		p.stopped(t, true)
		p.stop(t)
	}
}

// TestHaltTrustsNoOtherUsersPWMRoot: root's halt reads the service's pid
// file, which the service's user writes. A kernel PWM root there that is
// neither the rules' nor the kernel's is not written to: whoever took
// over that user could otherwise have root truncate any file.
func TestHaltTrustsNoOtherUsersPWMRoot(t *testing.T) {
	state := t.TempDir()
	t.Setenv("STATE_DIRECTORY", state)
	t.Setenv("SERVICE_RESULT", "signal")
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	real, evil := fakePWM(t), fakePWM(t)
	wandRules(t, rules, real)
	key, err := configKey(rules)
	if err != nil {
		t.Fatal(err)
	}
	plan := haltPlan{Driver: "sysfspwm", PWMRoot: evil, PWMChip: "pwmchip0", Channels: []int{0, 1}}
	pidFile := pidFilePath(state, key)
	if err := os.WriteFile(pidFile, []byte(fmt.Sprintf("4242\n%s\n%s\n", key, plan.encode())), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(pidFile, 65534, 65534); err != nil {
		t.Skipf("cannot give the pid file to another user: %v", err)
	}
	var out strings.Builder
	if code := cmdHalt(context.Background(), []string{"-c", rules}, stdio{out: &out, err: &out}); code != 0 {
		t.Fatalf("halt: exit %d\n%s", code, &out)
	}
	if !pulsing(evil, "pwm0") || !strings.Contains(out.String(), "ignoring the kernel PWM root "+evil) {
		t.Errorf("another user's PWM root was written to (pulsing: %v):\n%s", pulsing(evil, "pwm0"), &out)
	}
	if pulsing(real, "pwm0") {
		t.Errorf("the rules' own servos were not halted:\n%s", &out)
	}
}

// A mistake in halt's arguments (the rules file given without -c, an
// unknown flag) is reported, and the outputs are halted all the same,
// with the rules -c names or the default, before it exits 2. It used to
// exit 2 silently with everything still driven.
func TestHaltWithAMistakenArgumentStillHalts(t *testing.T) {
	for _, extra := range []string{"rules.yaml", "--dryrun"} {
		root := fakePWM(t)
		rules := filepath.Join(t.TempDir(), "rules.yaml")
		wandRules(t, rules, root)
		t.Setenv("STATE_DIRECTORY", t.TempDir())
		t.Setenv("SERVICE_RESULT", "signal")
		var out, errw strings.Builder
		code := cmdHalt(context.Background(), []string{"-c", rules, extra}, stdio{out: &out, err: &errw})
		if code != 2 || !strings.Contains(out.String(), "halted 0 switch(es) and 2 axis/axes") {
			t.Errorf("halt -c rules %s: exit %d, want 2 after halting\n%s%s", extra, code, out.String(), errw.String())
		}
		if !strings.Contains(errw.String(), strings.TrimLeft(extra, "-")) {
			t.Errorf("halt -c rules %s: the mistake is not reported:\n%s", extra, errw.String())
		}
		if pulsing(root, "pwm1") {
			t.Errorf("halt -c rules %s: pwm1 still enabled", extra)
		}
	}
}
