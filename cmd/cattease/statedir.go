package main

import (
	"fmt"
	"io"
	"os"

	"github.com/cattease/cattease/cmd/cattease/internal/i18n"
	"github.com/cattease/cattease/control/config"
)

// prepareStateDir returns the state directory (config.StateDir) and
// creates it, mode 0700, if it is missing. Under systemd the unit's
// StateDirectory= has created it already; elsewhere it is
// $XDG_STATE_HOME/cattease or ~/.local/state/cattease.
func prepareStateDir() (string, error) {
	dir, err := config.StateDir()
	if err != nil {
		return "", fmt.Errorf("cattease: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cattease: state directory: %w", err)
	}
	return dir, nil
}

// statePath resolves a configured mutable file against the state
// directory: absolute paths stay, relative ones are inside it, "" is def
// inside it. Never beside rules.yaml, which is read-only under systemd.
func statePath(configured, def string) (string, error) {
	dir, err := config.StateDir()
	if err != nil {
		return "", fmt.Errorf("cattease: %w", err)
	}
	return config.StatePath(dir, configured, def), nil
}

// mayShowSecret reports whether w may show the one-time panel link, which
// holds the token: a terminal (any character device), or a writer that is
// not a file (tests). Under systemd stdout is a socket to the journal, and
// a pipe or a file may end up in a log: the link goes to none of them.
// The translating writer of Chinese messages is looked through: it wraps
// the same stdout.
func mayShowSecret(w io.Writer) bool {
	w, _ = i18n.Unwrap(w)
	f, ok := w.(*os.File)
	if !ok {
		return true
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
