package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/cattease/cattease/control/config"
)

// configFile resolves a file that rules.yaml names and cattease only
// reads (a browser cookie, an app secret, MQTT credentials and
// certificates): "~/" is the user's home, an absolute path stays, and a
// relative one is in the state directory, where systemd runs the service
// (its working directory) and where the streamer keeps what the service
// may read but rules.yaml, often shared, must not hold. A path given as a
// flag or in the environment is the shell's and is not passed through
// here.
func configFile(configured string) (string, error) {
	path := ""
	if rest, ok := strings.CutPrefix(configured, "~/"); ok {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cattease: %s: %w", configured, err)
		}
		path = filepath.Join(home, rest)
	} else {
		var err error
		if path, err = statePath(configured, ""); err != nil {
			return "", err
		}
	}
	return path, serviceCanSee(path, os.Getenv("STATE_DIRECTORY"))
}

// serviceHides are where the unit's sandbox (ProtectHome=yes,
// PrivateTmp=yes) shows the service nothing of what is really there.
var serviceHides = []string{"/home/", "/root/", "/run/user/", "/tmp/", "/var/tmp/"}

// serviceCanSee refuses, under systemd's state directory (the service,
// and the installer's check that stands in for it), a file where the
// service cannot see it: a secret kept in the streamer's home passed a
// check run in a shell and then failed at every start of the service.
func serviceCanSee(path, stateDir string) error {
	clean := filepath.Clean(path) + "/"
	if stateDir == "" || strings.HasPrefix(clean, filepath.Clean(stateDir)+"/") {
		return nil // the state directory is the service's own
	}
	for _, p := range serviceHides {
		if strings.HasPrefix(clean, p) {
			return fmt.Errorf("cattease: %s is where the service cannot see it (its sandbox hides %s): put it in /etc/cattease or %s", path, p, stateDir)
		}
	}
	return nil
}

// checkFiles opens every file rules.yaml names for run to read, so that
// `check` (the unit's ExecStartPre) and run's start find a missing or
// unreadable one before any output is opened, rather than run finding it
// once the rig is up, in a restart loop. Contents are checked where they
// are used; none is ever printed.
func checkFiles(f *config.File) error {
	var errs []error
	for _, c := range []struct{ key, path string }{
		{"sources.bilibili.cookie_file", f.Sources.Bilibili.CookieFile},
		{"sources.bilibili_open.access_key_secret_file", f.Sources.BilibiliOpen.AccessKeySecretFile},
	} {
		if c.path == "" {
			continue
		}
		if err := readable(c.path); err != nil {
			errs = append(errs, fmt.Errorf("cattease: %s: %w", c.key, err))
		}
	}
	if f.MQTT.URL != "" {
		if _, _, err := resolveMQTT(f, "", "", slog.New(slog.DiscardHandler)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// readable opens the configured file and reads a byte of it.
func readable(configured string) error {
	path, err := configFile(configured)
	if err != nil {
		return err
	}
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	if _, err := fh.Read(make([]byte, 1)); err != nil && err != io.EOF {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
