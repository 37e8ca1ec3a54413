package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
)

// gpio17 is a rig whose laser hangs on GPIO17.
var gpio17 = haltPlan{Driver: "pca9685", I2CBus: "1", Address: 0x40, Channels: []int{0, 1},
	Switches: []haltSwitch{{Name: "laser", Pin: "GPIO17", Laser: true}}}

// The laser file of a run on this machine's rig (and of an agent) is the
// hardware's: rules.yaml swapped to another version by its symlink (ln
// -sfn rules-v2.yaml rules.yaml, GNU stow, a NixOS store path) or read
// through another path (a unit's -c edited) finds the same file, so the
// streamer's forbid holds. Before, it was keyed by the resolved path of
// rules.yaml: the new run found no file and the laser lit again.
func TestLaserFileFollowsTheHardwareNotTheRulesPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	a, b, link := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml"), filepath.Join(dir, "rules.yaml")
	copyAt := filepath.Join(t.TempDir(), "etc", "rules.yaml")
	os.MkdirAll(filepath.Dir(copyAt), 0o700)
	for _, p := range []string{a, b, copyAt} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("a.yaml", link); err != nil {
		t.Skip(err)
	}
	for _, name := range []string{laserFile, agentLaserFile} {
		files := func(config string) string {
			t.Helper()
			file, _, err := hardwareLaserFiles(name, config, gpio17)
			if err != nil {
				t.Fatal(err)
			}
			return file
		}
		before := files(link)
		os.Remove(link)
		os.Symlink("b.yaml", link)
		if after := files(link); after != before {
			t.Errorf("%s: the symlink swapped: %s, was %s", name, after, before)
		}
		if moved := files(copyAt); moved != before {
			t.Errorf("%s: -c another path: %s, was %s", name, moved, before)
		}
		os.Remove(link)
		os.Symlink("a.yaml", link)
	}
	run, _, err := runLaserFiles(link, gpio17, nil)
	if want, _, _ := hardwareLaserFiles(laserFile, copyAt, gpio17); err != nil || run != want {
		t.Errorf("run: %s (%v), want %s", run, err, want)
	}
}

// An upgrade keeps the forbid: the file the previous version kept under
// the path of this rules.yaml is taken over when there is one, else the
// one under the old name shared by every run.
func TestLaserFileTakesOverThePathKeyedOne(t *testing.T) {
	state := t.TempDir()
	t.Setenv("STATE_DIRECTORY", state)
	cfg := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(cfg, []byte("x"), 0o644)
	key, err := configKey(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{laserFile, agentLaserFile} {
		file, before, err := hardwareLaserFiles(name, cfg, gpio17)
		if err != nil || before != filepath.Join(state, name) {
			t.Fatalf("%s: no older file: before %s (%v), want the unkeyed one", name, before, err)
		}
		byPath := filepath.Join(state, keyedName(name, key))
		if byPath == file {
			t.Fatalf("%s: the hardware's file is the path's: %s", name, file)
		}
		os.WriteFile(byPath, []byte(`{"panel":["laser"]}`), 0o600)
		if _, before, _ = hardwareLaserFiles(name, cfg, gpio17); before != byPath {
			t.Errorf("%s: before %s, want the path-keyed %s", name, before, byPath)
		}
		// the mock's file is its configuration's: nothing to take over but the unkeyed one
		if file, before, _ := hardwareLaserFiles(name, cfg, haltPlan{Driver: "mock"}); file != byPath || before != filepath.Join(state, name) {
			t.Errorf("%s: the mock: %s, before %s", name, file, before)
		}
	}
}

// No file for this hardware, but another laser file whose run is not
// running (its pid file held by nobody, or none): the start says so, as
// it may be this rig's forbid under another key (its switches moved to
// other pins). A live run's file, or a file for this hardware, is not
// named. Before, nothing was said and the forbid was silently dropped.
func TestOtherLaserFileOfNoRunningRunIsSaid(t *testing.T) {
	state := t.TempDir()
	t.Setenv("STATE_DIRECTORY", state)
	cfg, liveCfg := filepath.Join(t.TempDir(), "rules.yaml"), filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(cfg, []byte("x"), 0o644)
	os.WriteFile(liveCfg, []byte("x"), 0o644)
	gpio27 := haltPlan{Driver: "pca9685", Switches: []haltSwitch{{Name: "laser", Pin: "GPIO27", Laser: true}}}
	gpio22 := haltPlan{Driver: "pca9685", Switches: []haltSwitch{{Name: "laser", Pin: "GPIO22", Laser: true}}}
	live, err := lockInstance(state, liveCfg, gpio27) // a run alive on GPIO27
	if err != nil {
		t.Fatal(err)
	}
	defer live.release()
	liveFile, _, _ := hardwareLaserFiles(laserFile, liveCfg, gpio27)
	left, _, _ := hardwareLaserFiles(laserFile, cfg, gpio22) // no run on GPIO22
	agentLeft, _, _ := hardwareLaserFiles(agentLaserFile, cfg, gpio22)
	for _, p := range []string{liveFile, left, agentLeft} {
		os.WriteFile(p, []byte(`{"panel":["laser"]}`), 0o600)
	}
	note := func(name string) string {
		var log bytes.Buffer
		file, before, err := hardwareLaserFiles(name, cfg, gpio17)
		if err != nil {
			t.Fatal(err)
		}
		noteOtherLaserFiles(name, file, before, slog.New(slog.NewTextHandler(&log, nil)))
		return log.String()
	}
	got := note(laserFile)
	if !strings.Contains(got, "another laser file is there that no running cattease") || !strings.Contains(got, left) {
		t.Errorf("the run's log: %q, want %s named", got, left)
	}
	if strings.Contains(got, liveFile) || strings.Contains(got, agentLeft) {
		t.Errorf("the run's log names a live run's or an agent's file: %q", got)
	}
	if got := note(agentLaserFile); !strings.Contains(got, agentLeft) || strings.Contains(got, left) {
		t.Errorf("the agent's log: %q, want %s alone", got, agentLeft)
	}
	os.Remove(left) // the live run's alone
	if got := note(laserFile); got != "" {
		t.Errorf("a live run's file alone: %q, want nothing said", got)
	}
	os.WriteFile(left, nil, 0o600)
	mine, _, _ := hardwareLaserFiles(laserFile, cfg, gpio17)
	os.WriteFile(mine, []byte(`{"panel":["laser"]}`), 0o600)
	if got := note(laserFile); got != "" {
		t.Errorf("with this hardware's file: %q, want nothing said", got)
	}
}

// A kept laser forbid that names a switch the rules no longer have (a
// laser renamed in rules.yaml) is said to not match the rules, every
// laser forbidden; an unreadable file (a torn write) stays "unreadable".
// Before, both were "unreadable".
func TestRestoreLasersSaysARenamedLaserApart(t *testing.T) {
	f, rules, err := loadRules("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ file, says, not string }{
		{`{"panel":["old-laser-name"]}`, "does not match the rules (a switch renamed or removed since?)", "is unreadable"},
		{`{"panel":["la`, "is unreadable", "does not match the rules"},
	} {
		r, err := buildRig(f, rigMode{dryRun: true, rulesPath: "../../rules.yaml"}, time.Now(), slog.New(slog.DiscardHandler), nil)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), laserFile)
		os.WriteFile(path, []byte(c.file), 0o600)
		var log bytes.Buffer
		eng, err := control.New(rules, r.play, control.Options{LaserFile: path})
		if err != nil {
			t.Fatal(err)
		}
		restoreLasers(eng, slog.New(slog.NewTextHandler(&log, nil)))
		r.halt()
		msg, _, _ := strings.Cut(log.String(), " err=")
		if !strings.Contains(msg, c.says) || strings.Contains(msg, c.not) {
			t.Errorf("%s: the log says %q, want %q", c.file, msg, c.says)
		}
	}
}
