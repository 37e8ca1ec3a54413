package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMain keeps every test's mutable files (tokens, pid files) out of
// the home directory: the state directory is a temporary one.
func TestMain(m *testing.M) {
	state, err := os.MkdirTemp("", "cattease-state-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("STATE_DIRECTORY", state)
	code := m.Run()
	os.RemoveAll(state)
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var (
	buildOnce sync.Once
	binDir    string
	binErr    error
)

// catteaseBinary builds the binary once per test run, into a directory
// any user may read: the service test runs it as nobody.
func catteaseBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "cattease-bin-"); binErr != nil {
			return
		}
		os.Chmod(binDir, 0o755)
		out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, "cattease"), ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return filepath.Join(binDir, "cattease")
}

// TestServiceRunsAsTheUnitDoes starts the binary the way
// deploy/cattease.service does: an unprivileged user, a read-only
// configuration directory, STATE_DIRECTORY writable by that user only,
// -q, NOTIFY_SOCKET and WATCHDOG_USEC set, stdout and stderr not a
// terminal. It serves /healthz, keeps the token in the state directory
// and out of its output, and talks sd_notify.
func TestServiceRunsAsTheUnitDoes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to start the binary as uid/gid 65534 (nobody), as the unit starts it as user cattease; run the tests as root to cover it")
	}
	const nobody = 65534
	bin := catteaseBinary(t)
	base, err := os.MkdirTemp("", "cattease-service-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(base, "etc"), 0o755); os.RemoveAll(base) })
	os.Chmod(base, 0o755)

	etc, state, run := filepath.Join(base, "etc"), filepath.Join(base, "state"), filepath.Join(base, "run")
	src, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.Mkdir(etc, 0o755)
	if err := os.WriteFile(filepath.Join(etc, "rules.yaml"), src, 0o444); err != nil {
		t.Fatal(err)
	}
	os.Chmod(etc, 0o555) // ConfigurationDirectory=, read-only under ProtectSystem=strict
	for _, d := range []string{state, run} {
		os.Mkdir(d, 0o700) // StateDirectory=: mode 0700, owned by the service user
		os.Chown(d, nobody, nobody)
	}

	sock := filepath.Join(run, "notify.sock") // systemd's socket, writable by the service
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	os.Chown(sock, nobody, nobody)
	notes := make(chan string, 1024)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				close(notes)
				return
			}
			notes <- string(buf[:n])
		}
	}()

	addr := freePort(t)
	cmd := exec.Command(bin, "run", "-q", "--dry-run", "--stdin", "--listen", addr, "-c", filepath.Join(etc, "rules.yaml"))
	cmd.Dir = state // WorkingDirectory=
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/nonexistent", "LANG=C.UTF-8",
		"STATE_DIRECTORY=" + state, "NOTIFY_SOCKET=" + sock, "WATCHDOG_USEC=2000000"}
	runAs(cmd, nobody)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr // pipes, as the journal is a socket: not a terminal
	stdin, _ := cmd.StdinPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited, gone := make(chan error, 1), make(chan struct{})
	go func() { exited <- cmd.Wait(); close(gone) }()
	defer func() {
		select {
		case <-gone:
		default:
			cmd.Process.Kill()
			<-gone
		}
	}()
	wantNote := func(want string) {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for {
			select {
			case n := <-notes:
				if strings.HasPrefix(n, want) {
					return
				}
			case err := <-exited:
				t.Fatalf("exited (%v) before %q\nstdout:\n%s\nstderr:\n%s", err, want, &stdout, &stderr)
			case <-deadline:
				t.Fatalf("no %q from the service", want)
			}
		}
	}
	wantNote("READY=1")
	wantNote("WATCHDOG=1")

	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %d", resp.StatusCode)
	}
	// The unit sets no GOGC: the binary's own collector target holds.
	resp, err = http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := fmt.Sprintf("\ngo_gc_gogc_percent %d\n", gcPercent); !strings.Contains(string(metrics), want) {
		t.Errorf("/metrics lacks %q", strings.TrimSpace(want))
	}

	tokenPath := filepath.Join(state, "cattease-token")
	fi, err := os.Stat(tokenPath)
	if err != nil {
		t.Fatalf("token not in the state directory: %v", err)
	}
	if uid := fileUID(fi); uid != nobody || fi.Mode().Perm() != 0o600 {
		t.Errorf("token file: uid %d mode %v", uid, fi.Mode().Perm())
	}
	if _, err := os.Stat(filepath.Join(etc, "cattease-token")); !os.IsNotExist(err) {
		t.Errorf("token beside rules.yaml: %v", err)
	}
	if pids, _ := filepath.Glob(filepath.Join(state, "run-*.pid")); len(pids) != 1 {
		t.Errorf("pid files in the state directory: %v", pids)
	}

	stdin.Close() // --stdin: end of input ends the run
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v\nstderr:\n%s", err, &stderr)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit after end of input")
	}
	wantNote("STOPPING=1")

	token, _ := os.ReadFile(tokenPath)
	output := stdout.String() + stderr.String()
	if tok := strings.TrimSpace(string(token)); tok == "" || strings.Contains(output, tok) {
		t.Errorf("the token is in the output (or empty):\n%s", output)
	}
	if !strings.Contains(stdout.String(), "A control token was created in "+tokenPath) {
		t.Errorf("stdout does not say where the token is:\n%s", &stdout)
	}
	if pids, _ := filepath.Glob(filepath.Join(state, "run-*.pid")); len(pids) != 0 {
		t.Errorf("pid file left after exit: %v", pids)
	}
}

// TestServiceInstallScript stages deploy/install.sh into a DESTDIR: the
// files land where the unit expects them, a second run keeps an edited
// rules.yaml, the sysfspwm drop-in follows the configured driver (as the
// binary reads it, quoted or not), nothing is written outside the
// DESTDIR, and --dry-run changes nothing and says so.
func TestServiceInstallScript(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := catteaseBinary(t)
	root, home := t.TempDir(), t.TempDir()
	install := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("../../deploy/install.sh", append([]string{"--binary", bin}, args...)...)
		cmd.Env = append(os.Environ(), "DESTDIR="+root, "HOME="+home, "XDG_STATE_HOME=", "STATE_DIRECTORY=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("install.sh %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	const noSource = "The rules name no chat source yet"
	if out := install(); !strings.Contains(out, noSource) {
		t.Errorf("the shipped rules name no room, and the installer did not say so:\n%s", out)
	}
	for path, mode := range map[string]os.FileMode{
		"usr/local/bin/cattease":              0o755,
		"etc/cattease/rules.yaml":             0o640,
		"etc/systemd/system/cattease.service": 0o644,
		"var/lib/cattease":                    0o700 | os.ModeDir,
	} {
		fi, err := os.Stat(filepath.Join(root, path))
		if err != nil || fi.Mode() != mode {
			t.Errorf("%s: %v %v, want %v", path, fi.Mode(), err, mode)
		}
	}
	rules := filepath.Join(root, "etc/cattease/rules.yaml")
	dropin := filepath.Join(root, "etc/systemd/system/cattease.service.d/sysfspwm.conf")
	if _, err := os.Stat(dropin); !os.IsNotExist(err) {
		t.Errorf("sysfspwm drop-in for driver pca9685: %v", err)
	}

	src, _ := os.ReadFile(rules)
	edited := bytes.Replace(src, []byte("driver: pca9685"), []byte(`driver: "sysfspwm"`), 1)
	os.WriteFile(rules, edited, 0o644)
	os.Chmod(rules, 0o644) // as an install before the rules were kept private left them
	if out := install(); !strings.Contains(out, "keeping "+rules) {
		t.Errorf("second run:\n%s", out)
	}
	if fi, err := os.Stat(rules); err != nil || fi.Mode() != 0o640 {
		t.Errorf("a kept rules.yaml readable by everyone stays so: %v %v, want 0640 (it may hold the 身份码)", fi.Mode(), err)
	}
	if got, _ := os.ReadFile(rules); !bytes.Equal(got, edited) {
		t.Error("the second run overwrote an existing rules.yaml")
	}
	if _, err := os.Stat(dropin); err != nil {
		t.Errorf("sysfspwm drop-in for driver sysfspwm: %v", err)
	}
	os.WriteFile(rules, bytes.Replace(src, []byte("  douyu:\n    room: \"\""), []byte("  douyu:\n    room: \"9999\""), 1), 0o644)
	if out := install(); strings.Contains(out, noSource) {
		t.Errorf("rules with a Douyu room, and the installer says they have none:\n%s", out)
	}
	if _, err := os.Stat(dropin); !os.IsNotExist(err) {
		t.Errorf("sysfspwm drop-in left after going back to pca9685: %v", err)
	}

	if entries, _ := os.ReadDir(home); len(entries) != 0 {
		t.Errorf("a staged install wrote into HOME: %v", entries)
	}

	root = t.TempDir()
	out := install("--dry-run")
	if !strings.Contains(out, "+ install -m 0755 "+bin+" "+root+"/usr/local/bin/cattease") ||
		!strings.Contains(out, "Dry run: nothing was changed") || strings.Contains(out, "Installed.") {
		t.Errorf("--dry-run output:\n%s", out)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("--dry-run wrote %v", entries)
	}
}

// TestServiceInstallStagesForAnotherMachine: staging a Pi's binary on a
// laptop cannot run it, nor find the files the rules name on the Pi;
// the drop-in then follows the driver as the rules write it. A bare
// binary name, as the guide writes it, is the one in the current
// directory, not one looked up in PATH.
func TestServiceInstallStagesForAnotherMachine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := catteaseBinary(t)
	dir := t.TempDir()
	head := []byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0xb7, 0}
	arm64 := filepath.Join(dir, "cattease-linux-arm64")
	if err := os.WriteFile(arm64, append(head, make([]byte, 64)...), 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rules := filepath.Join(dir, "my-rules.yaml")
	sysfs := bytes.Replace(src, []byte("driver: pca9685"), []byte(`driver: 'sysfspwm'`), 1)
	if err := os.WriteFile(rules, sysfs, 0o644); err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs("../../deploy/install.sh")
	root := t.TempDir()
	cmd := exec.Command(script, "--binary", arm64, "--rules", rules)
	cmd.Env = append(os.Environ(), "DESTDIR="+root, "HOME="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("staging a Pi's binary: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/systemd/system/cattease.service.d/sysfspwm.conf")); err != nil {
		t.Errorf("no sysfspwm drop-in staged for rules that use it: %v", err)
	}

	// The guide's dry run on the Pi: cd cattease; deploy/install.sh --dry-run --binary NAME.
	if err := os.Link(bin, filepath.Join(dir, "cattease")); err != nil {
		data, _ := os.ReadFile(bin)
		os.WriteFile(filepath.Join(dir, "cattease"), data, 0o755)
	}
	cmd = exec.Command(script, "--dry-run", "--binary", "cattease", "--rules", "my-rules.yaml")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DESTDIR="+t.TempDir(), "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Contains(string(out), "does not run here") || !strings.Contains(string(out), "sysfspwm.conf") {
		t.Errorf("a dry run with a bare binary name: %v\n%s", err, out)
	}
}

// TestServiceInstallRefusesAnotherArchitecture: on a Debian system the
// installer compares the binary's ELF machine with the programs' (dpkg),
// not the kernel's: an arm64 binary under a 32-bit Raspberry Pi OS with a
// 64-bit kernel would have its system calls refused by the unit.
func TestServiceInstallRefusesAnotherArchitecture(t *testing.T) {
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("no dpkg here")
	}
	sys, err := exec.Command("dpkg", "--print-architecture").Output()
	if err != nil || strings.TrimSpace(string(sys)) != "amd64" {
		t.Skipf("written for an amd64 Debian system (dpkg says %q)", sys)
	}
	// The first 20 bytes of a 64-bit little-endian ELF for aarch64 (machine 0xb7).
	head := []byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0xb7, 0}
	arm64 := filepath.Join(t.TempDir(), "cattease-linux-arm64")
	if err := os.WriteFile(arm64, append(head, make([]byte, 64)...), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("../../deploy/install.sh", "--dry-run", "--binary", arm64).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "is for arm64, but this system's programs are amd64") {
		t.Fatalf("an arm64 binary on amd64: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "+ ") {
		t.Errorf("steps printed before the refusal:\n%s", out)
	}
}

// TestServiceInstallRefusesArmv7OnArmv6: dpkg says armhf on a Pi Zero as
// on a Pi 4 with a 32-bit OS, and the Zero's ARM1176 reports "CPU
// architecture: 7" too, but an ARMv7 build stops at once there (no VFPv3).
// The installer tells the CPU by its model name and part number and the
// build by the GOARM in its build information, and names the armv6 build;
// ARMv7 CPUs, a 64-bit kernel under a 32-bit OS among them, and the armv6
// build anywhere pass.
func TestServiceInstallRefusesArmv7OnArmv6(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	// Raspberry Pi OS, 32-bit, on any Pi.
	if err := os.WriteFile(filepath.Join(bin, "dpkg"), []byte("#!/bin/sh\necho armhf\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	// The first 20 bytes of a 32-bit little-endian ELF for ARM (machine
	// 0x28), then the build information a Go build carries.
	head := []byte{0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x28, 0}
	build := func(goarm string) string {
		path := filepath.Join(dir, "cattease-linux-armv"+goarm)
		data := append(append(head, make([]byte, 64)...),
			"\xff Go buildinf:\npath\tgithub.com/cattease/cattease/cmd/cattease\nbuild\t-trimpath=true\nbuild\tCGO_ENABLED=0\nbuild\tGOARCH=arm\nbuild\tGOARM="+goarm+"\nbuild\tGOOS=linux\n"...)
		if err := os.WriteFile(path, append(data, make([]byte, 64)...), 0o755); err != nil {
			t.Fatal(err)
		}
		return path
	}
	armv6, armv7 := build("6"), build("7")
	cpus := map[string]string{
		"zero-w": "processor\t: 0\nmodel name\t: ARMv6-compatible processor rev 7 (v6l)\nBogoMIPS\t: 997.08\nFeatures\t: half thumb fastmult vfp edsp java tls\n" +
			"CPU implementer\t: 0x41\nCPU architecture: 7\nCPU variant\t: 0x0\nCPU part\t: 0xb76\nCPU revision\t: 7\n\nHardware\t: BCM2835\nRevision\t: 9000c1\nModel\t\t: Raspberry Pi Zero W Rev 1.1\n",
		"pi1-old-kernel": "Processor\t: ARMv6-compatible processor rev 7 (v6l)\nBogoMIPS\t: 697.95\nFeatures\t: swp half thumb fastmult vfp edsp java tls\n" +
			"CPU implementer\t: 0x41\nCPU architecture: 7\nCPU variant\t: 0x0\nCPU part\t: 0xb76\nCPU revision\t: 7\n\nHardware\t: BCM2708\nRevision\t: 000e\n",
		"pi2": "processor\t: 0\nmodel name\t: ARMv7 Processor rev 5 (v7l)\nBogoMIPS\t: 38.40\nFeatures\t: half thumb fastmult vfp edsp neon vfpv3 tls vfpv4 idiva idivt vfpd32 lpae evtstrm\n" +
			"CPU implementer\t: 0x41\nCPU architecture: 7\nCPU variant\t: 0x0\nCPU part\t: 0xc07\nCPU revision\t: 5\n",
		"pi4-64bit-kernel": "processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\n" +
			"CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd08\nCPU revision\t: 3\n",
	}
	for _, c := range []struct {
		binary, cpu string
		refused     bool
	}{
		{armv7, "zero-w", true},
		{armv7, "pi1-old-kernel", true},
		{armv6, "zero-w", false},
		{armv7, "pi2", false},
		{armv7, "pi4-64bit-kernel", false},
		{armv6, "pi4-64bit-kernel", false},
	} {
		cpuinfo := filepath.Join(dir, c.cpu)
		if err := os.WriteFile(cpuinfo, []byte(cpus[c.cpu]), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("../../deploy/install.sh", "--dry-run", "--binary", c.binary)
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
			"CATTEASE_CPUINFO="+cpuinfo, "DESTDIR=", "HOME="+t.TempDir())
		out, err := cmd.CombinedOutput()
		name := filepath.Base(c.binary) + " on " + c.cpu
		if !c.refused {
			if err != nil || strings.Contains(string(out), "ARMv7 build") || !strings.Contains(string(out), "Dry run: nothing was changed") {
				t.Errorf("%s: refused: %v\n%s", name, err, out)
			}
			continue
		}
		if err == nil || !strings.Contains(string(out), "is an ARMv7 build (GOARM=7), but this CPU is ARMv6 (ARMv6-compatible processor rev 7 (v6l))") ||
			!strings.Contains(string(out), "Use cattease-linux-armv6") {
			t.Errorf("%s: %v\n%s", name, err, out)
		}
		if strings.Contains(string(out), "+ ") {
			t.Errorf("%s: steps printed before the refusal:\n%s", name, out)
		}
	}
}

// TestServiceUnitChecks: systemd-analyze verify is clean and the
// exposure is 2.5 or less (deploy/check-unit.sh).
func TestServiceUnitChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze not installed (apt-get install systemd)")
	}
	out, err := exec.Command("../../deploy/check-unit.sh", "--binary", catteaseBinary(t)).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "verify: clean") {
		t.Fatalf("check-unit.sh: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// TestServiceInstallReplacesRulesOnlyWhenAsked: after calibrating and
// fitting the room in my-rules.yaml, installing it again over the rules
// installed before must not keep the example room's limits without a
// word (the service would start on them), nor lose edits made in /etc:
// it stops and says to add --replace-rules, which keeps the old file.
func TestServiceInstallReplacesRulesOnlyWhenAsked(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := catteaseBinary(t)
	root := t.TempDir()
	install := func(args ...string) (string, error) {
		cmd := exec.Command("../../deploy/install.sh", append([]string{"--binary", bin}, args...)...)
		cmd.Env = append(os.Environ(), "DESTDIR="+root, "HOME="+t.TempDir(), "XDG_STATE_HOME=", "STATE_DIRECTORY=")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := install(); err != nil {
		t.Fatalf("first install: %v\n%s", err, out)
	}
	installed := filepath.Join(root, "etc/cattease/rules.yaml")
	before, _ := os.ReadFile(installed)
	mine := filepath.Join(t.TempDir(), "my-rules.yaml")
	fitted := bytes.Replace(before, []byte("ceiling: 42°"), []byte("ceiling: 30°"), 1)
	if bytes.Equal(fitted, before) {
		t.Fatal("the shipped rules have no ceiling: 42° to change")
	}
	os.WriteFile(mine, fitted, 0o644)

	out, err := install("--rules", mine)
	if err == nil || !strings.Contains(out, "add --replace-rules") || strings.Contains(out, "+ install") {
		t.Errorf("fitted rules over the installed ones, without --replace-rules: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(installed); !bytes.Equal(got, before) {
		t.Error("the installed rules changed without --replace-rules")
	}
	// --replace-rules alone would put the example rules in: refused.
	if out, err := install("--replace-rules"); err == nil || !strings.Contains(out, "--replace-rules needs --rules") {
		t.Errorf("--replace-rules without --rules: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(installed); !bytes.Equal(got, before) {
		t.Error("--replace-rules without --rules changed the installed rules")
	}
	out, err = install("--rules", mine, "--replace-rules")
	if err != nil {
		t.Fatalf("--replace-rules: %v\n%s", err, out)
	}
	// A running service keeps the old ceiling and zones until it restarts;
	// one that has not run is tried dry first. A staging cannot tell which
	// (TestServiceInstallReplaceRulesAsksWhetherTheServiceRuns).
	if !strings.Contains(out, "If it does: A running service") || !strings.Contains(out, "sudo systemctl restart cattease") ||
		!strings.Contains(out, "If it does not: Do not start it yet") {
		t.Errorf("after replacing the rules, the installer does not say to restart a running service and try the rules dry before a first start:\n%s", out)
	}
	if got, _ := os.ReadFile(installed); !bytes.Equal(got, fitted) {
		t.Error("--replace-rules did not install the fitted rules")
	}
	if old, _ := os.ReadFile(installed + ".old"); !bytes.Equal(old, before) {
		t.Error("--replace-rules did not keep the rules it replaced")
	}
	if out, err := install("--rules", mine); err != nil || !strings.Contains(out, "keeping") {
		t.Errorf("the same rules again: %v\n%s", err, out)
	}

	// An upgrade from the directory the guides set up: the binary, deploy/
	// and my-rules.yaml, no rules.yaml beside deploy/.
	pi := t.TempDir()
	if err := exec.Command("cp", "-r", "../../deploy", pi).Run(); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(pi, "deploy/install.sh"), "--binary", bin)
	cmd.Env = append(os.Environ(), "DESTDIR="+root, "HOME="+t.TempDir(), "XDG_STATE_HOME=", "STATE_DIRECTORY=")
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "keeping") {
		t.Errorf("an upgrade without --rules and no rules.yaml beside deploy/: %v\n%s", err, out)
	}
}
