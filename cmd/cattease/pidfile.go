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
// rules path>.pid, holding "PID\nPATH\nHARDWARE\nGIVEN\n" (HARDWARE: what
// halt switches off, haltplan.go; GIVEN: the -c path as given, made
// absolute, its symlinks left as they are: givenPath). run holds an
// exclusive lock on it for its whole life (flock; LockFileEx on Windows:
// lock_*.go), so a second run with the same configuration fails at once,
// and a file nobody holds (left by SIGKILL or a power cut) is stale
// whatever pid it names. A symlinked rules.yaml swapped to another
// version while the run plays (ln -sfn, GNU stow, a NixOS rebuild) gives
// the same -c another pid file: halt and the lock also look at every
// pid file in the state directory, and take one with the same GIVEN, or
// one naming hardware of the rules, for the run of these rules
// (pidRecord.sameRules, haltPlan.shares). `halt -c` signals only such a
// holder.

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

// givenPath is the rules path as given to -c, made absolute, its
// symlinks left as they are: what names the rules after a symlink on the
// way has been moved to another version.
func givenPath(rulesPath string) (string, error) {
	abs, err := filepath.Abs(rulesPath)
	if err != nil {
		return "", fmt.Errorf("cattease: %w", err)
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
// SIGUSR1 no longer kills the process: it waits for emergencyStops. It
// refuses when a live run or agent holds another pid file in dir with the
// same -c path (its symlink since moved) or hardware hw drives
// (otherInstance): the pid file of that key alone would let a second run
// start on the swapped link.
// lockProbeWait is how long lockInstance waits for a start's look at a
// pid file (aliveLaserFiles) to end before it looks again.
var lockProbeWait = func() { time.Sleep(10 * time.Millisecond) }

func lockInstance(dir, rulesPath string, hw haltPlan) (*instance, error) {
	key, err := configKey(rulesPath)
	if err != nil {
		return nil, err
	}
	given, err := givenPath(rulesPath)
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
			if errors.Is(err, errLocked) && (pid == 0 || !isCatteaseRun("/proc", pid)) && probed < 5 {
				// No cattease runs under that pid (or none is written
				// yet): a start looking at the files of the runs alive
				// (aliveLaserFiles, otherInstance) or a halt holds the
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
		content := fmt.Sprintf("%d\n%s\n%s\n%s\n", os.Getpid(), key, hw.encode(), given)
		if err := errors.Join(f.Truncate(0), writeAt0(f, content)); err != nil {
			in.release()
			return nil, fmt.Errorf("cattease: pid file: %w", err)
		}
		// Looked for once this pid file is written: of two starting at
		// once, the later to write sees the other.
		if err := otherInstance(dir, path, key, given, hw); err != nil {
			in.release()
			return nil, err
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
	r := readPidLines(f)
	return r.pid, r.key, r.hw
}

// readPidLines reads what a pid file says (pidRecord, without file, held
// and own). A pid file of a cattease from before the given path has none.
func readPidLines(f *os.File) pidRecord {
	b := make([]byte, maxPidFile)
	n, _ := f.ReadAt(b, 0)
	pidText, rest, _ := strings.Cut(string(b[:n]), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(pidText))
	if err != nil || pid <= 0 {
		return pidRecord{}
	}
	r := pidRecord{pid: pid}
	r.key, rest, _ = strings.Cut(rest, "\n")
	r.hw, rest, _ = strings.Cut(rest, "\n")
	r.given, _, _ = strings.Cut(rest, "\n")
	return r
}

// pidRecord is what a pid file says of the run or agent that wrote it.
type pidRecord struct {
	file  string
	pid   int
	key   string // configKey of its rules
	hw    string // the hardware it drives (haltPlan.encode)
	given string // givenPath of its rules; "" from a cattease before it was written
	held  bool   // a process holds the file: the run is alive
	own   bool   // this user owns the file (ownFile)
}

// readPidRecord reads the pid file at path, and whether a process holds
// it.
func readPidRecord(path string) (pidRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return pidRecord{}, err
	}
	defer f.Close() // and with it a lock tryLock took
	held := false
	if err := tryLock(f, false); errors.Is(err, errLocked) {
		held = true
	} else if err != nil {
		return pidRecord{}, fmt.Errorf("%s: %w", path, err)
	}
	r := readPidLines(f)
	r.file, r.held, r.own = path, held, ownFile(f)
	return r, nil
}

// pidRecords reads every pid file in dir; one that cannot be read is left
// out.
func pidRecords(dir string) []pidRecord {
	paths, _ := filepath.Glob(filepath.Join(dir, "run-*.pid"))
	var recs []pidRecord
	for _, p := range paths {
		if r, err := readPidRecord(p); err == nil && r.pid > 0 {
			recs = append(recs, r)
		}
	}
	return recs
}

// sameRules reports whether r's run was started with the rules key
// (configKey) names, or through the path given (givenPath) whatever it
// pointed to then: a symlink swapped to another version since.
func (r pidRecord) sameRules(key, given string) bool {
	return r.key == key || r.given != "" && r.given == given
}

// plan is the hardware r's run drives; none when its line is unreadable.
func (r pidRecord) plan() haltPlan {
	p, err := decodePlan(r.hw)
	if err != nil {
		return haltPlan{}
	}
	return p
}

// otherInstance refuses a start (its pid file at own, its rules key and
// given, its hardware hw) when a live run or agent holds another pid file
// in dir with the same rules (sameRules: started through the same -c
// path, its symlink moved since) or hardware hw drives too (shares).
func otherInstance(dir, own, key, given string, hw haltPlan) error {
	for _, r := range pidRecords(dir) {
		if r.file == own || !r.held {
			continue
		}
		if r.sameRules(key, given) {
			return fmt.Errorf("cattease: another cattease (pid %d) is already running with %s, which %s named when it started (pid file %s); stop it first", r.pid, r.key, given, r.file)
		}
		if hw.shares(r.plan()) {
			return fmt.Errorf("cattease: another cattease (pid %d) is already running with %s on hardware %s names too (pid file %s); stop it first", r.pid, r.key, given, r.file)
		}
	}
	return nil
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
	if len(args) < 2 {
		return false
	}
	if cmd := subcommand(args[1:]); cmd != "run" && cmd != "agent" {
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

// subcommand is the command of cattease's arguments args, after the
// global flags cli takes before it (i18n.TakeFlag: --lang zh, -lang=zh).
func subcommand(args [][]byte) string {
	for i := 0; i < len(args); i++ {
		a := string(args[i])
		name, _, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if a == "--" || !strings.HasPrefix(a, "-") || name != "lang" {
			return a
		}
		if !hasVal {
			i++ // its value
		}
	}
	return ""
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
