package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// StateDir is the directory for cattease's mutable files (the panel token,
// the daily laser ledger, the audit log, the pid file): $STATE_DIRECTORY
// under systemd (its first entry), else $XDG_STATE_HOME/cattease, else
// on Windows %LOCALAPPDATA%\cattease, else ~/.local/state/cattease. Never
// the directory of rules.yaml, which is read-only on a hardened Pi. It
// does not create the directory.
func StateDir() (string, error) {
	return stateDir(runtime.GOOS, os.Getenv, os.UserHomeDir)
}

// stateDir is StateDir on the system goos, with its environment and home
// directory.
func stateDir(goos string, getenv func(string) string, home func() (string, error)) (string, error) {
	if d := getenv("STATE_DIRECTORY"); d != "" {
		// A list, as PATH is: systemd separates with ':'; on Windows ';',
		// since C:\… holds a ':' itself.
		sep := ":"
		if goos == "windows" {
			sep = ";"
		}
		first, _, _ := strings.Cut(d, sep)
		return filepath.Clean(first), nil
	}
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "cattease"), nil
	}
	// Windows keeps a user's local, unroamed state in AppData\Local.
	if d := getenv("LOCALAPPDATA"); goos == "windows" && d != "" {
		return filepath.Join(d, "cattease"), nil
	}
	h, err := home()
	if err != nil || h == "" {
		return "", errors.New("config: no state directory: set STATE_DIRECTORY or XDG_STATE_HOME, or give the file an absolute path")
	}
	return filepath.Join(h, ".local", "state", "cattease"), nil
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
