package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// StateDir is the directory for cattease's mutable files (the panel token,
// the daily laser ledger, the audit log, the pid file): $STATE_DIRECTORY
// under systemd (its first entry), else $XDG_STATE_HOME/cattease, else
// ~/.local/state/cattease. Never the directory of rules.yaml, which is
// read-only on a hardened Pi. It does not create the directory.
func StateDir() (string, error) {
	if d := os.Getenv("STATE_DIRECTORY"); d != "" {
		first, _, _ := strings.Cut(d, ":")
		return filepath.Clean(first), nil
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "cattease"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", errors.New("config: no state directory: set STATE_DIRECTORY or XDG_STATE_HOME, or give the file an absolute path")
	}
	return filepath.Join(home, ".local", "state", "cattease"), nil
}

// StatePath resolves a configured mutable file: an absolute path stays,
// a relative one is taken inside dir, and "" means def inside dir.
func StatePath(dir, configured, def string) string {
	switch {
	case configured == "":
		return filepath.Join(dir, def)
	case filepath.IsAbs(configured):
		return configured
	}
	return filepath.Join(dir, configured)
}
