package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServiceInstallUpgradeSaysToRestart: installing a new binary over a
// service that runs (an upgrade, the rules kept) says to restart it, since
// it goes on with the old binary until then, and not the first install's
// halt, jog and enable, which are not for a running rig; with the service
// stopped, the first install's steps stay.
func TestServiceInstallUpgradeSaysToRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := catteaseBinary(t)
	fake := t.TempDir()
	script := "#!/bin/sh\ncase \"$*\" in\n\"is-active --quiet cattease\") exit ${FAKE_ACTIVE_RC:-3} ;;\nesac\nexit 1\n"
	if err := os.WriteFile(filepath.Join(fake, "systemctl"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	path := "PATH=" + fake + string(os.PathListSeparator) + os.Getenv("PATH")
	for _, c := range []struct {
		name    string
		env     []string
		restart bool
		says    string
	}{
		{"running", []string{"FAKE_ACTIVE_RC=0"}, true, "goes on with the old binary until it restarts"},
		{"running, Chinese", []string{"FAKE_ACTIVE_RC=0", "LANG=zh_CN.UTF-8"}, true, "在重启之前还用旧的程序"},
		{"stopped", []string{"FAKE_ACTIVE_RC=3"}, false, "sudo systemctl enable --now cattease"},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			if out, err := installIn(t, root, []string{path}, "--binary", bin); err != nil {
				t.Fatalf("first install: %v\n%s", err, out)
			}
			out, err := installIn(t, root, append([]string{path, "CATTEASE_SYSTEMCTL=systemctl"}, c.env...), "--binary", bin)
			if err != nil {
				t.Fatalf("upgrade: %v\n%s", err, out)
			}
			if !strings.Contains(out, c.says) {
				t.Errorf("lacks %q:\n%s", c.says, out)
			}
			if got := strings.Contains(out, "sudo systemctl restart cattease"); got != c.restart {
				t.Errorf("says restart: %v, want %v\n%s", got, c.restart, out)
			}
			if got := strings.Contains(out, "cattease jog"); got == c.restart {
				t.Errorf("gives the first install's jog: %v\n%s", got, out)
			}
		})
	}
}
