package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cattease/cattease/control"
)

// An instance of `cattease run` announces itself with a pid file in the
// state directory, one per configuration: run-<hash of the absolute
// rules path>.pid, holding "PID\nPATH\nHARDWARE\n" (HARDWARE: what halt
// switches off, haltplan.go). run holds an exclusive lock on it for its
// whole life (flock; LockFileEx on Windows: lock_*.go), so a second run
// with the same configuration fails at once, and a file nobody holds
// (left by SIGKILL or a power cut) is stale whatever pid it names.
// `halt -c` signals only the holder.

// errLocked says another open file holds a conflicting lock (tryLock).
var errLocked = errors.New("locked by another process")

// configKey is the absolute, symlink-free path of a rules file: the same
// configuration gives the same pid file whatever the working directory.
func configKey(rulesPath string) (string, error) {
	abs, err := filepath.Abs(rulesPath)
	if err != nil {
		return "", fmt.Errorf("cattease: %w", err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	return abs, nil
}

// pidFilePath is the pid file of the instance that runs rulesPath.
func pidFilePath(dir, key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(dir, "run-"+hex.EncodeToString(sum[:8])+".pid")
}

// startInstance creates the state directory if needed and locks the pid
// file of rulesPath in it, naming hw as the hardware this process drives.
// Hardware this system cannot drive (any on Windows) is refused first.
func startInstance(rulesPath string, hw haltPlan) (*instance, error) {
	if err := hardwareHere(hw); err != nil {
		return nil, err
	}
	dir, err := prepareStateDir()
	if err != nil {
		return nil, err
	}
	return lockInstance(dir, rulesPath, hw)
}

// instance is a running `cattease run`: its locked pid file, and SIGUSR1.
type instance struct {
	path string
	f    *os.File
	usr1 chan os.Signal
}

// lockInstance creates (or takes over a stale) pid file for rulesPath in
// dir, locks it and writes this process's pid and hw into it. From here on
// SIGUSR1 no longer kills the process: it waits for emergencyStops.
// lockProbeWait is how long lockInstance waits for a start's look at a
// pid file (aliveLaserFiles) to end before it looks again.
var lockProbeWait = func() { time.Sleep(10 * time.Millisecond) }

func lockInstance(dir, rulesPath string, hw haltPlan) (*instance, error) {
	key, err := configKey(rulesPath)
	if err != nil {
		return nil, err
	}
	path := pidFilePath(dir, key)
	probed := 0
	for range 10 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("cattease: pid file: %w", err)
		}
		if err := tryLock(f, true); err != nil {
			pid, _, _ := readPidFile(f)
			f.Close()
			if errors.Is(err, errLocked) && pid > 0 && !isCatteaseRun("/proc", pid) && probed < 5 {
				// No cattease runs under that pid: a start looking at
				// the files of the runs alive (aliveLaserFiles) holds the
				// lock a moment. Look again.
				probed++
				lockProbeWait()
				continue
			}
			if errors.Is(err, errLocked) {
				return nil, fmt.Errorf("cattease: another cattease (pid %d) is already running with %s (pid file %s); stop it first", pid, key, path)
			}
			return nil, fmt.Errorf("cattease: pid file %s: %w", path, err)
		}
		if !samePath(f, path) { // the previous holder removed it between our open and our lock
			f.Close()
			continue
		}
		in := &instance{path: path, f: f, usr1: make(chan os.Signal, 1)}
		if len(emergencySignals) > 0 { // none on Windows: Notify with none would take every signal
			signal.Notify(in.usr1, emergencySignals...) // before the pid is visible to halt
		}
		content := fmt.Sprintf("%d\n%s\n%s\n", os.Getpid(), key, hw.encode())
		if err := errors.Join(f.Truncate(0), writeAt0(f, content)); err != nil {
			in.release()
			return nil, fmt.Errorf("cattease: pid file: %w", err)
		}
		return in, nil
	}
	return nil, fmt.Errorf("cattease: pid file %s keeps changing under us", path)
}

func writeAt0(f *os.File, s string) error {
	_, err := f.WriteAt([]byte(s), 0)
	return err
}

// samePath reports whether the open file f is still the file at path.
func samePath(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

// release removes the pid file, then unlocks it. The instance is gone for
// halt from here on. SIGUSR1 stays caught (and ignored) until the process
// exits: a halt that read the pid just before could still send one, and it
// must not kill the process while it halts its outputs. Safe on nil.
func (in *instance) release() {
	if in == nil || in.f == nil {
		return
	}
	removeLocked(in.f, in.path)
	in.f = nil
}

// maxPidFile caps what is read of a pid file.
const maxPidFile = 64 << 10

// readPidFile reads the pid, the configuration path and the hardware line
// from a pid file.
func readPidFile(f *os.File) (pid int, key, hw string) {
	b := make([]byte, maxPidFile)
	n, _ := f.ReadAt(b, 0)
	pidText, rest, _ := strings.Cut(string(b[:n]), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(pidText))
	if err != nil || pid <= 0 {
		return 0, "", ""
	}
	key, rest, _ = strings.Cut(rest, "\n")
	hw, _, _ = strings.Cut(rest, "\n")
	return pid, key, hw
}

// errStale says a pid file exists but no running cattease holds it.
var errStale = errors.New("stale pid file (no running cattease holds it)")

// findInstance returns the pid of the `cattease run` that uses rulesPath
// with state directory dir: 0 and nil when there is none, 0 and errStale
// for a pid file nobody holds, 0 and another error when the pid file
// cannot be read or names something that is not a cattease run.
func findInstance(dir, rulesPath, procRoot string) (int, error) {
	key, err := configKey(rulesPath)
	if err != nil {
		return 0, err
	}
	path := pidFilePath(dir, key)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if err := tryLock(f, false); err == nil {
		return 0, errStale // nobody holds it: the instance died without cleaning up
	} else if !errors.Is(err, errLocked) {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	pid, got, _ := readPidFile(f)
	switch {
	case pid == 0:
		return 0, fmt.Errorf("%s: the instance is still starting; try again", path)
	case got != key:
		return 0, fmt.Errorf("%s names %q, not %q", path, got, key)
	case !isCatteaseRun(procRoot, pid):
		return 0, fmt.Errorf("%s: pid %d is not a cattease run or agent", path, pid)
	}
	return pid, nil
}

// isCatteaseRun reports whether pid under a /proc-like root runs
// `cattease run` or `cattease agent` (both hold the pid file and take
// SIGUSR1 as the emergency stop; on a two-machine setup the agent is the
// one with the hardware): the program is named cattease (or
// cattease-linux-…, as make pi names it) or is this very executable.
func isCatteaseRun(procRoot string, pid int) bool {
	dir := filepath.Join(procRoot, strconv.Itoa(pid))
	cmdline, err := os.ReadFile(filepath.Join(dir, "cmdline"))
	if err != nil {
		return false
	}
	args := bytes.Split(bytes.TrimRight(cmdline, "\x00"), []byte{0})
	if len(args) < 2 || string(args[1]) != "run" && string(args[1]) != "agent" {
		return false
	}
	base := filepath.Base(string(args[0]))
	if base == "cattease" || strings.HasPrefix(base, "cattease-") {
		return true
	}
	self, err1 := os.Executable()
	exe, err2 := os.Readlink(filepath.Join(dir, "exe"))
	return err1 == nil && err2 == nil && self == exe
}

// emergencyStops turns SIGUSR1 (what `cattease halt` sends) into an
// emergency stop. The signal is caught from lockInstance on, before halt
// can find the pid: one sent while the rig was starting waits here.
func (in *instance) emergencyStops(ctx context.Context, eng *control.Engine, log *slog.Logger) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-in.usr1:
			log.Warn("SIGUSR1: emergency stop; a moderator's resume command or the panel resumes")
			eng.Stop(time.Now())
		}
	}
}
