package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/web"
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

// checkFiles opens every file rules.yaml names for run to read, and
// checks what run opens before the rig is up (the web server's address,
// the directories of the panel token and of the audit log), so that
// `check` (the unit's ExecStartPre) and run's start find a missing or
// unreadable one before any output is opened, rather than run failing
// every 5 s in a restart loop. Each problem is positioned at its setting;
// contents are checked where they are used, and none is ever printed.
func checkFiles(f *config.File) error {
	var es config.Errors
	add := func(path string, err error) {
		var located config.Errors
		if errors.As(err, &located) {
			es = append(es, located...)
			return
		}
		es = append(es, f.At(path, strings.TrimPrefix(err.Error(), "cattease: ")))
	}
	for _, c := range []struct{ key, path string }{
		{"sources.bilibili.cookie_file", f.Sources.Bilibili.CookieFile},
		{"sources.bilibili_open.access_key_secret_file", f.Sources.BilibiliOpen.AccessKeySecretFile},
	} {
		if c.path == "" {
			continue
		}
		if err := readable(c.path); err != nil {
			add(c.key, err)
		}
	}
	if f.MQTT.URL != "" {
		if _, _, err := resolveMQTT(f, "", "", slog.New(slog.DiscardHandler)); err != nil {
			add("mqtt", err)
		}
	}
	if f.Web.Listen != "off" {
		if err := checkListen(f.Web.Listen); err != nil {
			add("web.listen", err)
		}
		if err := stateFileUsable(f.Web.TokenFile, tokenFileName, false); err != nil {
			add("web.token_file", err)
		} else if err := tokenFileMode(f.Web.TokenFile, tokenFileName); err != nil {
			add("web.token_file", err)
		}
		// The session key has no setting: it is always in the state
		// directory, and run refuses it as it refuses the token.
		if err := tokenFileMode("", sessionKeyName); err != nil {
			add("web", err)
		}
	}
	if f.Audit.File != "" {
		if err := stateFileUsable(f.Audit.File, "", true); err != nil {
			add("audit.file", err)
		}
	}
	if len(es) == 0 {
		return nil
	}
	return es
}

// tokenFileMode is web's test of a secret's mode (the token, the session
// key) at configured (def when ""): run refuses one that others may read,
// so check must too, or systemd restarts a service that never starts.
func tokenFileMode(configured, def string) error {
	path, err := statePath(configured, def)
	if err != nil {
		return err
	}
	return web.CheckTokenFileMode(path)
}

// checkListen parses a listen address as net.Listen does (host and port,
// a port up to 65535, the host resolved), without listening: a running
// instance may hold the port.
func checkListen(addr string) error {
	if _, err := net.ResolveTCPAddr("tcp", addr); err != nil {
		return fmt.Errorf("cattease: %q is not an address to listen on (%w): write host:port, such as 127.0.0.1:8080 or 0.0.0.0:8080, or off", addr, err)
	}
	return nil
}

// stateFileUsable checks that run can open a mutable file it keeps (the
// panel token, the audit log) at configured (def when ""; relative: in
// the state directory): an existing one can be read, or appended to if
// appends; a new one can be created in its directory. The state
// directory itself is left to run, which creates it (and only it), and
// to the laser account's check, which --dry-run skips.
func stateFileUsable(configured, def string, appends bool) error {
	path, err := statePath(configured, def)
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		var fh *os.File
		if appends {
			fh, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		} else {
			fh, err = os.Open(path)
		}
		if err != nil {
			return fmt.Errorf("cattease: cannot open %s: %w", path, err)
		}
		return fh.Close()
	}
	dir := filepath.Dir(path)
	if state, err := config.StateDir(); err == nil && filepath.Clean(state) == dir {
		return nil // run creates it; check without --dry-run probes it for the laser account
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cattease: directory %s does not exist: create it, or name a file in one that does (run creates only the state directory)", dir)
	}
	probe, err := os.CreateTemp(dir, ".cattease-check-*")
	if err != nil {
		return fmt.Errorf("cattease: cannot create a file in %s: %w", dir, err)
	}
	name := probe.Name()
	if err := errors.Join(probe.Close(), os.Remove(name)); err != nil {
		return fmt.Errorf("cattease: %s: %w", dir, err)
	}
	return nil
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
