package config

import (
	"errors"
	"testing"
)

// TestStateDir: where the mutable files go on each system, from its
// environment: systemd's STATE_DIRECTORY (a ':' list, ';' on Windows,
// whose paths hold a ':'), XDG_STATE_HOME, Windows's LOCALAPPDATA, then
// the home directory.
func TestStateDir(t *testing.T) {
	home := func() (string, error) { return "/home/you", nil }
	noHome := func() (string, error) { return "", errors.New("no home") }
	for _, tc := range []struct {
		goos string
		env  map[string]string
		home func() (string, error)
		want string // "" for an error
	}{
		{"linux", map[string]string{"STATE_DIRECTORY": "/var/lib/cattease"}, home, "/var/lib/cattease"},
		{"linux", map[string]string{"STATE_DIRECTORY": "/var/lib/cattease:/var/lib/other"}, home, "/var/lib/cattease"},
		{"linux", map[string]string{"XDG_STATE_HOME": "/x/state"}, home, "/x/state/cattease"},
		{"linux", map[string]string{"XDG_STATE_HOME": "relative", "LOCALAPPDATA": "/appdata"}, home, "/home/you/.local/state/cattease"},
		{"linux", nil, home, "/home/you/.local/state/cattease"},
		{"linux", nil, noHome, ""},
		{"darwin", nil, home, "/home/you/.local/state/cattease"},
		{"windows", map[string]string{"STATE_DIRECTORY": `C:\state;D:\other`}, home, `C:\state`},
		{"windows", map[string]string{"LOCALAPPDATA": "/Users/you/AppData/Local"}, noHome, "/Users/you/AppData/Local/cattease"},
		{"windows", map[string]string{"XDG_STATE_HOME": "/x/state", "LOCALAPPDATA": "/appdata"}, home, "/x/state/cattease"},
		{"windows", nil, home, "/home/you/.local/state/cattease"},
	} {
		got, err := stateDir(tc.goos, func(k string) string { return tc.env[k] }, tc.home)
		if got != tc.want || (err != nil) != (tc.want == "") {
			t.Errorf("%s %v: %q, %v; want %q", tc.goos, tc.env, got, err, tc.want)
		}
	}
}
