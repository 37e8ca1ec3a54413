//go:build unix

package main

import (
	"os"
	"path/filepath"
	"testing"
)

// A start that looks at the pid file of a run no longer alive (a power
// cut left it; aliveLaserFiles holds a shared lock on it a moment) does
// not make a run starting on that configuration at the same moment give
// up as if another cattease ran: lockInstance looks again.
func TestLockInstanceWaitsOutAProbe(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(cfg, []byte("x"), 0o644)
	key, err := configKey(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := pidFilePath(dir, key)
	// No process has pid 2^22+1 (above Linux's pid_max limit).
	if err := os.WriteFile(path, []byte("4194305\n"+key+"\n{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	probe, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := tryLock(probe, false); err != nil {
		t.Fatal(err)
	}
	waits := 0
	saved := lockProbeWait
	defer func() { lockProbeWait = saved }()
	lockProbeWait = func() { // the probe ends while the start waits
		if waits++; waits == 2 {
			probe.Close()
		}
	}
	in, err := lockInstance(dir, cfg, haltPlan{})
	if err != nil {
		t.Fatalf("a probe of a stale pid file refused the start: %v", err)
	}
	in.release()
	if waits != 2 {
		t.Errorf("waited %d times, want 2", waits)
	}
}
