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
	if rest, ok := strings.CutPrefix(configured, "~/"); ok {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cattease: %s: %w", configured, err)
		}
		return filepath.Join(home, rest), nil
	}
	return statePath(configured, "")
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
