package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigFileResolution: a file rules.yaml names is found where the
// service finds it: relative in the state directory, "~/" in the home
// directory, absolute as written.
func TestConfigFileResolution(t *testing.T) {
	state := t.TempDir()
	home := filepath.Join(state, "home") // the service user's home is the state directory
	t.Setenv("STATE_DIRECTORY", state)
	t.Setenv("HOME", home)
	for in, want := range map[string]string{
		"bilibili-cookie.txt":           filepath.Join(state, "bilibili-cookie.txt"),
		"secrets/open.key":              filepath.Join(state, "secrets/open.key"),
		"~/.config/cattease/cookie.txt": filepath.Join(home, ".config/cattease/cookie.txt"),
		"/etc/cattease/ca.pem":          "/etc/cattease/ca.pem",
	} {
		if got, err := configFile(in); err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, err, want)
		}
	}
}

// TestCheckReadsTheFilesRunReads: check (the unit's ExecStartPre) fails
// on a file rules.yaml names that run could not read, naming the setting;
// run fails the same way before it opens any output, not once the rig is
// up (a restart loop under systemd). With the files in place both pass.
func TestCheckReadsTheFilesRunReads(t *testing.T) {
	state := t.TempDir()
	t.Setenv("STATE_DIRECTORY", state)
	rules := rulesWithMQTT(t, "mqtt:\n  url: mqtt://127.0.0.1:1\n  credentials: mqtt-credentials\n")
	src, _ := os.ReadFile(rules)
	src = []byte(strings.Replace(string(src), `cookie_file: ""`, `cookie_file: "bilibili-cookie.txt"`, 1))
	os.WriteFile(rules, src, 0o600)

	code, _, errs := runCLI(t, "", "check", "-c", rules)
	for _, want := range []string{"sources.bilibili.cookie_file", "mqtt-credentials"} {
		if code != 1 || !strings.Contains(errs, want) {
			t.Errorf("check with the files missing: code %d, want 1 naming %s:\n%s", code, want, errs)
		}
	}
	built := false
	testHookRig = func(*rig) { built = true }
	defer func() { testHookRig = nil }()
	code, _, errs = runCLI(t, "", "run", "--dry-run", "--stdin", "-q", "--listen", "off", "-c", rules)
	if code != 1 || built || !strings.Contains(errs, "sources.bilibili.cookie_file") {
		t.Errorf("run with the files missing: code %d, rig built %v:\n%s", code, built, errs)
	}

	os.WriteFile(filepath.Join(state, "bilibili-cookie.txt"), []byte("SESSDATA=x\n"), 0o600)
	os.WriteFile(filepath.Join(state, "mqtt-credentials"), []byte("cat\nmeow\n"), 0o600)
	if code, out, errs := runCLI(t, "", "check", "-c", rules); code != 0 {
		t.Errorf("check with the files in place: code %d\n%s%s", code, out, errs)
	}
}

// TestServiceCanSee: under the service's state directory, a file named
// in the streamer's home or a temporary directory is refused with where
// to put it instead; by hand (no STATE_DIRECTORY), anything goes.
func TestServiceCanSee(t *testing.T) {
	for path, hidden := range map[string]bool{
		"/home/pi/bilibili-open-secret": true, "/root/cookie.txt": true, "/tmp/secret": true,
		"/var/tmp/x": true, "/run/user/1000/s": true, "/homework/s": false,
		"/etc/cattease/secret": false, "/var/lib/cattease/mqtt-credentials": false,
	} {
		err := serviceCanSee(path, "/var/lib/cattease")
		if (err != nil) != hidden {
			t.Errorf("%s: %v, want hidden %v", path, err, hidden)
		}
		if err != nil && !strings.Contains(err.Error(), "put it in /etc/cattease or /var/lib/cattease") {
			t.Errorf("%s: %v", path, err)
		}
		if err := serviceCanSee(path, ""); err != nil {
			t.Errorf("%s by hand: %v", path, err)
		}
		if err := serviceCanSee(path, filepath.Dir(path)); err != nil {
			t.Errorf("%s in the state directory itself: %v", path, err)
		}
	}
}
